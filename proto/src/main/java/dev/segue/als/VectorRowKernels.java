package dev.segue.als;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels over {@code jdk.incubator.vector}: with d = 64 and 8-float vectors a row is eight registers, so
 * {@code (G + λI)v} keeps its accumulators in registers across all of G instead of loading and storing
 * {@code out} for every row of G. Only loaded when the module is present ({@link RowKernels#forDimension}).
 */
final class VectorRowKernels implements RowKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private final int d;

    private VectorRowKernels(int d) {
        this.d = d;
    }

    /** The kernels for {@code d}, or null when d is not a multiple of the vector width. */
    public static RowKernels create(int d) {
        return d % S.length() == 0 && d >= S.length() ? new VectorRowKernels(d) : null;
    }

    @Override
    public String name() {
        return "simd-" + S.length() * 32 + "bit";
    }

    /** Two output vectors per pass over G's columns, each accumulating in a register (G is symmetric). */
    @Override
    public void multiplyRegularizedGram(float[] gram, float lambda, float[] v, float[] out) {
        int l = S.length();
        int j = 0;
        for (; j + 2 * l <= d; j += 2 * l) {
            FloatVector acc0 = FloatVector.fromArray(S, v, j).mul(lambda);
            FloatVector acc1 = FloatVector.fromArray(S, v, j + l).mul(lambda);
            for (int b = 0, base = 0; b < d; b++, base += d) {
                FloatVector vb = FloatVector.broadcast(S, v[b]);
                acc0 = FloatVector.fromArray(S, gram, base + j).fma(vb, acc0);
                acc1 = FloatVector.fromArray(S, gram, base + j + l).fma(vb, acc1);
            }
            acc0.intoArray(out, j);
            acc1.intoArray(out, j + l);
        }
        for (; j < d; j += l) {
            FloatVector acc = FloatVector.fromArray(S, v, j).mul(lambda);
            for (int b = 0, base = 0; b < d; b++, base += d) {
                acc = FloatVector.fromArray(S, gram, base + j).fma(FloatVector.broadcast(S, v[b]), acc);
            }
            acc.intoArray(out, j);
        }
    }

    @Override
    public void axpy(float w, float[] y, int off, float[] out) {
        FloatVector vw = FloatVector.broadcast(S, w);
        for (int a = 0; a < d; a += S.length()) {
            FloatVector.fromArray(S, y, off + a).fma(vw, FloatVector.fromArray(S, out, a)).intoArray(out, a);
        }
    }

    @Override
    public float dot(float[] y, int off, float[] v) {
        int l = S.length();
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int a = 0;
        for (; a + 2 * l <= d; a += 2 * l) {
            acc0 = FloatVector.fromArray(S, y, off + a).fma(FloatVector.fromArray(S, v, a), acc0);
            acc1 = FloatVector.fromArray(S, y, off + a + l).fma(FloatVector.fromArray(S, v, a + l), acc1);
        }
        for (; a < d; a += l) {
            acc0 = FloatVector.fromArray(S, y, off + a).fma(FloatVector.fromArray(S, v, a), acc0);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }
}
