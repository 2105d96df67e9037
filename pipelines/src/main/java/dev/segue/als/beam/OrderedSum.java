package dev.segue.als.beam;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.KV;

/**
 * Element-wise sum of per-block vectors (partial Gram matrices, partial losses) taken in block-id order,
 * so the result is bit-for-bit the same whatever order a runner combines the parts in. Keeps one vector
 * per block until the output step (blocks × length doubles).
 */
final class OrderedSum extends Combine.CombineFn<KV<Integer, double[]>, TreeMap<Integer, double[]>, double[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public TreeMap<Integer, double[]> createAccumulator() {
        return new TreeMap<>();
    }

    @Override
    public TreeMap<Integer, double[]> addInput(TreeMap<Integer, double[]> acc, KV<Integer, double[]> in) {
        acc.merge(in.getKey(), in.getValue(), OrderedSum::add);
        return acc;
    }

    @Override
    public TreeMap<Integer, double[]> mergeAccumulators(Iterable<TreeMap<Integer, double[]>> accs) {
        TreeMap<Integer, double[]> out = new TreeMap<>();
        for (TreeMap<Integer, double[]> a : accs) {
            for (Map.Entry<Integer, double[]> e : a.entrySet()) {
                out.merge(e.getKey(), e.getValue(), OrderedSum::add);
            }
        }
        return out;
    }

    @Override
    public double[] extractOutput(TreeMap<Integer, double[]> acc) {
        double[] sum = null;
        for (double[] v : acc.values()) {
            if (sum == null) {
                sum = v.clone();
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += v[i];
                }
            }
        }
        return sum == null ? new double[0] : sum;
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }

    @Override
    public Coder<double[]> getDefaultOutputCoder(CoderRegistry registry, Coder<KV<Integer, double[]>> inputCoder) {
        return new VectorCoder();
    }

    @Override
    public Coder<TreeMap<Integer, double[]>> getAccumulatorCoder(CoderRegistry registry,
            Coder<KV<Integer, double[]>> inputCoder) {
        return new AccumulatorCoder();
    }

    static final class AccumulatorCoder extends DataCoder<TreeMap<Integer, double[]>> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(DataOutputStream out, TreeMap<Integer, double[]> v) throws IOException {
            out.writeInt(v.size());
            for (Map.Entry<Integer, double[]> e : v.entrySet()) {
                out.writeInt(e.getKey());
                BinaryArrays.writeDoubles(out, e.getValue());
            }
        }

        @Override
        protected TreeMap<Integer, double[]> read(DataInputStream in) throws IOException {
            int n = in.readInt();
            TreeMap<Integer, double[]> out = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                out.put(in.readInt(), BinaryArrays.readDoubles(in));
            }
            return out;
        }
    }

    /** Coder of the summed vectors. */
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
