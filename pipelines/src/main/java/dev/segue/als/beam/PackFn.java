package dev.segue.als.beam;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Packs a side's factor blocks into one {@link PackedFactors} and shares it: inline, or — for the
 * {@link FactorExchange#FILES} exchange and for AUTO above the inline limit — written to
 * {@code <factorDirectory>/<side>-<version>.f32}, deleting the same side's previous version (every solve that
 * read it finished before this version could be computed) unless {@link AlsConfig#keepFactorVersions()} — a
 * runner that recomputes an uncached step (Spark) reads an earlier version again. The accumulator only collects slab references; the
 * packed array is allocated once, in the output step, so no worker ever holds per-bundle copies. Sharing in
 * the output step rather than a separate transform keeps the plan as small as the inline broadcast's (on
 * Flink every extra exchange per half-iteration costs network buffers). A retried output step rewrites the
 * same file with the same, deterministic contents.
 */
final class PackFn extends Combine.CombineFn<RowBlock, List<FactorSlab>, SharedFactors> {
    private static final long serialVersionUID = 1L;
    private final AlsConfig config;
    private final String side;
    private final int version;

    PackFn(AlsConfig config, String side, int version) {
        this.config = config;
        this.side = side;
        this.version = version;
    }

    @Override
    public List<FactorSlab> createAccumulator() {
        return new ArrayList<>();
    }

    @Override
    public List<FactorSlab> addInput(List<FactorSlab> acc, RowBlock block) {
        acc.add(block.slab()); // the factors only: the accumulator never carries ratings
        return acc;
    }

    @Override
    public List<FactorSlab> mergeAccumulators(Iterable<List<FactorSlab>> accs) {
        List<FactorSlab> out = new ArrayList<>();
        for (List<FactorSlab> a : accs) {
            out.addAll(a);
        }
        return out;
    }

    @Override
    public SharedFactors extractOutput(List<FactorSlab> acc) {
        PackedFactors packed = pack(acc);
        if (packed.rows() == 0 || !SolveHalf.viaFile(config, packed.bytes())) {
            return SharedFactors.inline(packed);
        }
        String file = fileName(config, side, version);
        FactorFiles.write(file, packed);
        if (version > 0 && !config.keepFactorVersions()) {
            FactorFiles.deleteIfPresent(fileName(config, side, version - 1));
        }
        return SharedFactors.file(file, packed.rows(), packed.dim());
    }

    static String fileName(AlsConfig config, String side, int version) {
        String dir = config.factorDirectory();
        return (dir.endsWith("/") ? dir : dir + "/") + side + "-" + version + ".f32";
    }

    private static PackedFactors pack(List<FactorSlab> acc) {
        if (acc.isEmpty()) {
            return PackedFactors.EMPTY;
        }
        int dim = acc.get(0).dim();
        long rows = 0;
        for (FactorSlab s : acc) {
            rows = Math.max(rows, (long) s.rowOffset() + s.rows());
        }
        if (rows * dim > AlsConfig.MAX_PACKED_FLOATS) {
            throw new IllegalStateException(rows + " rows of " + dim + " factors do not fit one packed array; use "
                    + "--factorExchange=SHUFFLE");
        }
        float[] data = new float[(int) (rows * dim)];
        for (FactorSlab s : acc) {
            System.arraycopy(s.values(), 0, data, s.rowOffset() * dim, s.rows() * dim);
        }
        return new PackedFactors((int) rows, dim, data);
    }

    @Override
    public Coder<List<FactorSlab>> getAccumulatorCoder(CoderRegistry registry, Coder<RowBlock> inputCoder) {
        return ListCoder.of(FactorSlab.Coder.of());
    }

    @Override
    public Coder<SharedFactors> getDefaultOutputCoder(CoderRegistry registry, Coder<RowBlock> inputCoder) {
        return SharedFactors.Coder.of();
    }
}
