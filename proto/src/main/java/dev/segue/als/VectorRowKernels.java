package dev.segue.als;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels over {@code jdk.incubator.vector} at the JVM's preferred width ({@code FloatVector.SPECIES_PREFERRED}:
 * 4 floats on SSE and NEON, 8 on AVX2, 16 on AVX-512; no width is assumed). With d = 64 a row is four to sixteen
 * registers, so {@code (G + λI)v} keeps its accumulators in registers across all of G instead of loading and
 * storing {@code out} for every row of G. Only loaded when the module is present ({@link RowKernels#forDimension}).
 */
final class VectorRowKernels implements RowKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private final int d;

    private VectorRowKernels(int d) {
        this.d = d;
    }

    /** Floats per vector in this JVM (the preferred species' lane count). */
    static int lanes() {
        return S.length();
    }

    /** The kernels for {@code d}, or null when d is not a multiple of the vector width. */
    public static RowKernels create(int d) {
        return d % S.length() == 0 && d >= S.length() ? new VectorRowKernels(d) : null;
    }

    @Override
    public String name() {
        return "simd-" + S.length() * 32 + "bit";
    }

    /**
     * Eight output vectors per pass over G (all of a d = 64 row with 8-float vectors), then four, then one:
     * each accumulator is its own dependency chain, and eight chains keep both FMA ports busy where two left
     * them waiting on the FMA latency (G is symmetric, so row b of G is column b).
     */
    @Override
    public void multiplyRegularizedGram(float[] gram, float lambda, float[] v, float[] out) {
        int l = S.length();
        int j = 0;
        for (; j + 8 * l <= d; j += 8 * l) {
            FloatVector a0 = FloatVector.fromArray(S, v, j).mul(lambda);
            FloatVector a1 = FloatVector.fromArray(S, v, j + l).mul(lambda);
            FloatVector a2 = FloatVector.fromArray(S, v, j + 2 * l).mul(lambda);
            FloatVector a3 = FloatVector.fromArray(S, v, j + 3 * l).mul(lambda);
            FloatVector a4 = FloatVector.fromArray(S, v, j + 4 * l).mul(lambda);
            FloatVector a5 = FloatVector.fromArray(S, v, j + 5 * l).mul(lambda);
            FloatVector a6 = FloatVector.fromArray(S, v, j + 6 * l).mul(lambda);
            FloatVector a7 = FloatVector.fromArray(S, v, j + 7 * l).mul(lambda);
            for (int b = 0, base = j; b < d; b++, base += d) {
                FloatVector vb = FloatVector.broadcast(S, v[b]);
                a0 = FloatVector.fromArray(S, gram, base).fma(vb, a0);
                a1 = FloatVector.fromArray(S, gram, base + l).fma(vb, a1);
                a2 = FloatVector.fromArray(S, gram, base + 2 * l).fma(vb, a2);
                a3 = FloatVector.fromArray(S, gram, base + 3 * l).fma(vb, a3);
                a4 = FloatVector.fromArray(S, gram, base + 4 * l).fma(vb, a4);
                a5 = FloatVector.fromArray(S, gram, base + 5 * l).fma(vb, a5);
                a6 = FloatVector.fromArray(S, gram, base + 6 * l).fma(vb, a6);
                a7 = FloatVector.fromArray(S, gram, base + 7 * l).fma(vb, a7);
            }
            a0.intoArray(out, j);
            a1.intoArray(out, j + l);
            a2.intoArray(out, j + 2 * l);
            a3.intoArray(out, j + 3 * l);
            a4.intoArray(out, j + 4 * l);
            a5.intoArray(out, j + 5 * l);
            a6.intoArray(out, j + 6 * l);
            a7.intoArray(out, j + 7 * l);
        }
        for (; j + 4 * l <= d; j += 4 * l) {
            FloatVector a0 = FloatVector.fromArray(S, v, j).mul(lambda);
            FloatVector a1 = FloatVector.fromArray(S, v, j + l).mul(lambda);
            FloatVector a2 = FloatVector.fromArray(S, v, j + 2 * l).mul(lambda);
            FloatVector a3 = FloatVector.fromArray(S, v, j + 3 * l).mul(lambda);
            for (int b = 0, base = j; b < d; b++, base += d) {
                FloatVector vb = FloatVector.broadcast(S, v[b]);
                a0 = FloatVector.fromArray(S, gram, base).fma(vb, a0);
                a1 = FloatVector.fromArray(S, gram, base + l).fma(vb, a1);
                a2 = FloatVector.fromArray(S, gram, base + 2 * l).fma(vb, a2);
                a3 = FloatVector.fromArray(S, gram, base + 3 * l).fma(vb, a3);
            }
            a0.intoArray(out, j);
            a1.intoArray(out, j + l);
            a2.intoArray(out, j + 2 * l);
            a3.intoArray(out, j + 3 * l);
        }
        for (; j < d; j += l) {
            FloatVector acc = FloatVector.fromArray(S, v, j).mul(lambda);
            for (int b = 0, base = j; b < d; b++, base += d) {
                acc = FloatVector.fromArray(S, gram, base).fma(FloatVector.broadcast(S, v[b]), acc);
            }
            acc.intoArray(out, j);
        }
    }

    /**
     * When a row is eight vectors (d = 64 on AVX2, 128 on AVX-512) or four (d = 64 on AVX-512, 32 on AVX2),
     * {@code out} stays in registers across all m rows instead of being loaded and stored once per row; other
     * shapes take the interface's dot-then-axpy loop. Every path sums {@code yu·v} as {@link #dot} does (two
     * partial sums over alternating vectors), so the kernels agree with each other bit for bit.
     */
    @Override
    public void addObserved(float[] yu, int m, float[] conf, int confOffset, float[] v, float[] out, float base,
            float sign) {
        int l = S.length();
        if (d == 8 * l) {
            addObserved8(yu, m, conf, confOffset, v, out, base, sign);
        } else if (d == 4 * l) {
            addObserved4(yu, m, conf, confOffset, v, out, base, sign);
        } else {
            RowKernels.super.addObserved(yu, m, conf, confOffset, v, out, base, sign);
        }
    }

    private static void addObserved8(float[] yu, int m, float[] conf, int confOffset, float[] v, float[] out,
            float base, float sign) {
        int l = S.length();
        int d = 8 * l;
        FloatVector o0 = FloatVector.fromArray(S, out, 0);
        FloatVector o1 = FloatVector.fromArray(S, out, l);
        FloatVector o2 = FloatVector.fromArray(S, out, 2 * l);
        FloatVector o3 = FloatVector.fromArray(S, out, 3 * l);
        FloatVector o4 = FloatVector.fromArray(S, out, 4 * l);
        FloatVector o5 = FloatVector.fromArray(S, out, 5 * l);
        FloatVector o6 = FloatVector.fromArray(S, out, 6 * l);
        FloatVector o7 = FloatVector.fromArray(S, out, 7 * l);
        for (int k = 0, off = 0; k < m; k++, off += d) {
            FloatVector y0 = FloatVector.fromArray(S, yu, off);
            FloatVector y1 = FloatVector.fromArray(S, yu, off + l);
            FloatVector y2 = FloatVector.fromArray(S, yu, off + 2 * l);
            FloatVector y3 = FloatVector.fromArray(S, yu, off + 3 * l);
            FloatVector y4 = FloatVector.fromArray(S, yu, off + 4 * l);
            FloatVector y5 = FloatVector.fromArray(S, yu, off + 5 * l);
            FloatVector y6 = FloatVector.fromArray(S, yu, off + 6 * l);
            FloatVector y7 = FloatVector.fromArray(S, yu, off + 7 * l);
            FloatVector s0 = y0.mul(FloatVector.fromArray(S, v, 0));
            FloatVector s1 = y1.mul(FloatVector.fromArray(S, v, l));
            s0 = y2.fma(FloatVector.fromArray(S, v, 2 * l), s0);
            s1 = y3.fma(FloatVector.fromArray(S, v, 3 * l), s1);
            s0 = y4.fma(FloatVector.fromArray(S, v, 4 * l), s0);
            s1 = y5.fma(FloatVector.fromArray(S, v, 5 * l), s1);
            s0 = y6.fma(FloatVector.fromArray(S, v, 6 * l), s0);
            s1 = y7.fma(FloatVector.fromArray(S, v, 7 * l), s1);
            float c = conf[confOffset + k];
            FloatVector w = FloatVector.broadcast(S, base * c + (c - 1f) * sign * s0.add(s1).reduceLanes(VectorOperators.ADD));
            o0 = y0.fma(w, o0);
            o1 = y1.fma(w, o1);
            o2 = y2.fma(w, o2);
            o3 = y3.fma(w, o3);
            o4 = y4.fma(w, o4);
            o5 = y5.fma(w, o5);
            o6 = y6.fma(w, o6);
            o7 = y7.fma(w, o7);
        }
        o0.intoArray(out, 0);
        o1.intoArray(out, l);
        o2.intoArray(out, 2 * l);
        o3.intoArray(out, 3 * l);
        o4.intoArray(out, 4 * l);
        o5.intoArray(out, 5 * l);
        o6.intoArray(out, 6 * l);
        o7.intoArray(out, 7 * l);
    }

    private static void addObserved4(float[] yu, int m, float[] conf, int confOffset, float[] v, float[] out,
            float base, float sign) {
        int l = S.length();
        int d = 4 * l;
        FloatVector v0 = FloatVector.fromArray(S, v, 0);
        FloatVector v1 = FloatVector.fromArray(S, v, l);
        FloatVector v2 = FloatVector.fromArray(S, v, 2 * l);
        FloatVector v3 = FloatVector.fromArray(S, v, 3 * l);
        FloatVector o0 = FloatVector.fromArray(S, out, 0);
        FloatVector o1 = FloatVector.fromArray(S, out, l);
        FloatVector o2 = FloatVector.fromArray(S, out, 2 * l);
        FloatVector o3 = FloatVector.fromArray(S, out, 3 * l);
        for (int k = 0, off = 0; k < m; k++, off += d) {
            FloatVector y0 = FloatVector.fromArray(S, yu, off);
            FloatVector y1 = FloatVector.fromArray(S, yu, off + l);
            FloatVector y2 = FloatVector.fromArray(S, yu, off + 2 * l);
            FloatVector y3 = FloatVector.fromArray(S, yu, off + 3 * l);
            FloatVector s0 = y0.mul(v0);
            FloatVector s1 = y1.mul(v1);
            s0 = y2.fma(v2, s0);
            s1 = y3.fma(v3, s1);
            float c = conf[confOffset + k];
            FloatVector w = FloatVector.broadcast(S, base * c + (c - 1f) * sign * s0.add(s1).reduceLanes(VectorOperators.ADD));
            o0 = y0.fma(w, o0);
            o1 = y1.fma(w, o1);
            o2 = y2.fma(w, o2);
            o3 = y3.fma(w, o3);
        }
        o0.intoArray(out, 0);
        o1.intoArray(out, l);
        o2.intoArray(out, 2 * l);
        o3.intoArray(out, 3 * l);
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
