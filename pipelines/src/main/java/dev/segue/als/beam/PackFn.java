package dev.segue.als.beam;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Packs a side's factor blocks into one {@link PackedFactors}. The accumulator only collects slab references;
 * the packed array is allocated once, in the output step, so no worker ever holds per-bundle copies.
 */
final class PackFn extends Combine.CombineFn<RowBlock, List<FactorSlab>, PackedFactors> {
    private static final long serialVersionUID = 1L;

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
    public PackedFactors extractOutput(List<FactorSlab> acc) {
        if (acc.isEmpty()) {
            return PackedFactors.EMPTY;
        }
        int dim = acc.get(0).dim();
        long rows = 0;
        for (FactorSlab s : acc) {
            rows = Math.max(rows, (long) s.rowOffset() + s.rows());
        }
        if (rows * dim > Integer.MAX_VALUE - 8) {
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
    public Coder<PackedFactors> getDefaultOutputCoder(CoderRegistry registry, Coder<RowBlock> inputCoder) {
        return PackedFactors.Coder.of();
    }
}
