package dev.segue.als.beam;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Element-wise sum of vectors (partial Gram matrices, partial losses) in fixed point: each part is rounded to
 * a multiple of 2⁻²⁴ and added as a {@code long}. Integer addition is associative, so the total is bit-for-bit
 * the same in whatever order a runner combines the parts — that is what makes training reproducible across
 * runs and runners — while the accumulator stays one small array. A part too large for the fixed-point range
 * (|value| ≥ 2³⁸) fails loudly instead of wrapping. (The churn pipeline's {@code dev.segue.churn.ExactSum} is
 * exact to the last bit but sums scalars through {@code BigDecimal}, too slow for d×d Gram parts.)
 */
final class FixedPointSum extends Combine.CombineFn<double[], long[], double[]> {
    private static final long serialVersionUID = 1L;
    static final double SCALE = 0x1p24;
    private static final double LIMIT = 0x1p62;

    @Override
    public long[] createAccumulator() {
        return new long[0];
    }

    @Override
    public long[] addInput(long[] acc, double[] part) {
        long[] out = acc.length == 0 ? new long[part.length] : acc;
        check(out.length, part.length);
        for (int i = 0; i < part.length; i++) {
            double scaled = Math.rint(part[i] * SCALE);
            if (!(Math.abs(scaled) < LIMIT)) {
                throw new IllegalStateException("value " + part[i] + " is outside the exact-sum range (factors "
                        + "diverged? lower --alpha or raise --regularization)");
            }
            out[i] = Math.addExact(out[i], (long) scaled);
        }
        return out;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
        long[] out = new long[0];
        for (long[] a : accs) {
            if (a.length == 0) {
                continue;
            }
            if (out.length == 0) {
                out = a.clone();
            } else {
                check(out.length, a.length);
                for (int i = 0; i < a.length; i++) {
                    out[i] = Math.addExact(out[i], a[i]);
                }
            }
        }
        return out;
    }

    @Override
    public double[] extractOutput(long[] acc) {
        double[] out = new double[acc.length];
        for (int i = 0; i < acc.length; i++) {
            out[i] = acc[i] / SCALE;
        }
        return out;
    }

    private static void check(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("cannot add vectors of lengths " + a + " and " + b);
        }
    }

    @Override
    public Coder<long[]> getAccumulatorCoder(CoderRegistry registry, Coder<double[]> inputCoder) {
        return new DataCoder<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void write(DataOutputStream out, long[] value) throws IOException {
                BinaryArrays.writeLongs(out, value);
            }

            @Override
            protected long[] read(DataInputStream in) throws IOException {
                return BinaryArrays.readLongs(in);
            }
        };
    }

    @Override
    public Coder<double[]> getDefaultOutputCoder(CoderRegistry registry, Coder<double[]> inputCoder) {
        return new VectorCoder();
    }

    /** Coder of {@code double[]}. */
    static final class VectorCoder extends DataCoder<double[]> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(DataOutputStream out, double[] v) throws IOException {
            BinaryArrays.writeDoubles(out, v);
        }

        @Override
        protected double[] read(DataInputStream in) throws IOException {
            return BinaryArrays.readDoubles(in);
        }
    }
}
