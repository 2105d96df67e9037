package dev.segue.als;

/** Portable loops that C2 auto-vectorises where it can. */
final class ScalarRowKernels implements RowKernels {
    private final int d;

    ScalarRowKernels(int d) {
        this.d = d;
    }

    @Override
    public String name() {
        return "scalar";
    }

    /** Four rows of G per pass over {@code out}: each load and store of {@code out} serves four multiply-adds. */
    @Override
    public void multiplyRegularizedGram(float[] gram, float lambda, float[] v, float[] out) {
        for (int a = 0; a < d; a++) {
            out[a] = lambda * v[a];
        }
        int b = 0;
        for (; b + 3 < d; b += 4) {
            float v0 = v[b], v1 = v[b + 1], v2 = v[b + 2], v3 = v[b + 3];
            int g0 = b * d, g1 = g0 + d, g2 = g1 + d, g3 = g2 + d;
            for (int a = 0; a < d; a++) {
                out[a] += (gram[g0 + a] * v0 + gram[g1 + a] * v1) + (gram[g2 + a] * v2 + gram[g3 + a] * v3);
            }
        }
        for (; b < d; b++) {
            float vb = v[b];
            int base = b * d;
            for (int a = 0; a < d; a++) {
                out[a] += gram[base + a] * vb;
            }
        }
    }

    @Override
    public void axpy(float w, float[] y, int off, float[] out) {
        for (int a = 0; a < d; a++) {
            out[a] += w * y[off + a];
        }
    }

    /** Eight independent partial sums in a fixed order (reproducible, and enough to hide the add latency). */
    @Override
    public float dot(float[] y, int off, float[] v) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int a = 0;
        for (; a + 7 < d; a += 8) {
            s0 += y[off + a] * v[a];
            s1 += y[off + a + 1] * v[a + 1];
            s2 += y[off + a + 2] * v[a + 2];
            s3 += y[off + a + 3] * v[a + 3];
            s4 += y[off + a + 4] * v[a + 4];
            s5 += y[off + a + 5] * v[a + 5];
            s6 += y[off + a + 6] * v[a + 6];
            s7 += y[off + a + 7] * v[a + 7];
        }
        for (; a < d; a++) {
            s0 += y[off + a] * v[a];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
