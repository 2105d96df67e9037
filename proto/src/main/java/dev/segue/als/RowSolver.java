package dev.segue.als;

/**
 * Solves one row of the WRMF normal equations
 * {@code (G + Yᵤᵀ(Cᵤ − I)Yᵤ + λI) x = Yᵤᵀ Cᵤ pᵤ} where {@code G = YᵀY} of the opposite side's packed factors
 * {@code y} (row-major {@code float[n*d]}), the row's observed columns are {@code cols[start..end)} with
 * confidences {@code conf[start..end)} and {@code pᵤ = 1} on them.
 *
 * <p>{@link #conjugateGradient} improves the row in place with a few CG steps warm-started from its current
 * value, without ever forming the d×d matrix (Takács et al. 2011, as in the {@code implicit} library);
 * {@link #exact} forms it and solves by Cholesky (tests, verification, fold-in). An instance keeps d-sized
 * scratch buffers, so it is cheap to reuse and must not be shared between threads.
 */
public final class RowSolver {
    /** Residual norm² below which CG stops (as in {@code implicit}). */
    static final double TOLERANCE = 1e-20;

    private final int d;
    private final double[] x;
    private final double[] r;
    private final double[] p;
    private final double[] ap;
    private double[] gathered = new double[0];

    public RowSolver(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be positive, got " + d);
        }
        this.d = d;
        this.x = new double[d];
        this.r = new double[d];
        this.p = new double[d];
        this.ap = new double[d];
    }

    public int dimension() {
        return d;
    }

    /**
     * Runs up to {@code steps} conjugate-gradient steps on the row equation, starting from and writing back to
     * {@code out[outOffset .. outOffset+d)}.
     */
    public void conjugateGradient(double[] gram, double lambda, float[] y, int[] cols, float[] conf, int start,
            int end, float[] out, int outOffset, int steps) {
        for (int a = 0; a < d; a++) {
            x[a] = out[outOffset + a];
        }
        conjugateGradient(gram, lambda, y, cols, conf, start, end, steps);
        for (int a = 0; a < d; a++) {
            out[outOffset + a] = (float) x[a];
        }
    }

    /** CG from a zero start into a fresh vector (fold-in with a bounded number of steps). */
    public float[] conjugateGradientFromZero(double[] gram, double lambda, float[] y, int[] cols, float[] conf,
            int start, int end, int steps) {
        java.util.Arrays.fill(x, 0.0);
        conjugateGradient(gram, lambda, y, cols, conf, start, end, steps);
        float[] out = new float[d];
        for (int a = 0; a < d; a++) {
            out[a] = (float) x[a];
        }
        return out;
    }

    private void conjugateGradient(double[] gram, double lambda, float[] y, int[] cols, float[] conf, int start,
            int end, int steps) {
        int m = end - start;
        double[] yu = gather(y, cols, start, end);
        // r = b − A x, with b = Σ cᵢ yᵢ and A x = (G + λI) x + Σ (cᵢ − 1)(yᵢ·x) yᵢ.
        multiplyRegularizedGram(gram, lambda, x, r);
        for (int a = 0; a < d; a++) {
            r[a] = -r[a];
        }
        for (int k = 0; k < m; k++) {
            double c = conf[start + k];
            double w = c - (c - 1.0) * dot(yu, k * d, x);
            axpy(w, yu, k * d, r);
        }
        double rsOld = 0;
        for (int a = 0; a < d; a++) {
            p[a] = r[a];
            rsOld += r[a] * r[a];
        }
        if (rsOld < TOLERANCE) {
            return;
        }
        for (int it = 0; it < steps; it++) {
            multiplyRegularizedGram(gram, lambda, p, ap);
            for (int k = 0; k < m; k++) {
                double w = (conf[start + k] - 1.0) * dot(yu, k * d, p);
                axpy(w, yu, k * d, ap);
            }
            double pAp = 0;
            for (int a = 0; a < d; a++) {
                pAp += p[a] * ap[a];
            }
            if (!(pAp > 0)) {
                return;
            }
            double step = rsOld / pAp;
            double rsNew = 0;
            for (int a = 0; a < d; a++) {
                x[a] += step * p[a];
                r[a] -= step * ap[a];
                rsNew += r[a] * r[a];
            }
            if (rsNew < TOLERANCE) {
                return;
            }
            double beta = rsNew / rsOld;
            for (int a = 0; a < d; a++) {
                p[a] = r[a] + beta * p[a];
            }
            rsOld = rsNew;
        }
    }

    /** The row's opposite factors as contiguous doubles (converted once, reused by every CG step). */
    private double[] gather(float[] y, int[] cols, int start, int end) {
        int m = end - start;
        if (gathered.length < m * d) {
            gathered = new double[Math.max(m * d, gathered.length * 2)];
        }
        double[] yu = gathered;
        for (int k = 0; k < m; k++) {
            int src = cols[start + k] * d;
            int dst = k * d;
            for (int a = 0; a < d; a++) {
                yu[dst + a] = y[src + a];
            }
        }
        return yu;
    }

    /** The exact solution by forming the d×d system and a Cholesky solve. */
    public double[] exact(double[] gram, double lambda, float[] y, int[] cols, float[] conf, int start, int end) {
        double[] a = new double[d * d];
        double[] b = new double[d];
        buildSystem(gram, lambda, y, cols, conf, start, end, a, b);
        return Cholesky.solve(a, b, d);
    }

    /** Fills {@code a = G + λI + Σ (cᵢ−1) yᵢyᵢᵀ} and {@code b = Σ cᵢ yᵢ}. */
    public void buildSystem(double[] gram, double lambda, float[] y, int[] cols, float[] conf, int start, int end,
            double[] a, double[] b) {
        System.arraycopy(gram, 0, a, 0, d * d);
        for (int i = 0; i < d; i++) {
            a[i * d + i] += lambda;
            b[i] = 0;
        }
        double[] row = x;
        for (int k = start; k < end; k++) {
            int off = cols[k] * d;
            double c = conf[k];
            double w = c - 1.0;
            for (int i = 0; i < d; i++) {
                row[i] = y[off + i];
                b[i] += c * row[i];
            }
            for (int i = 0; i < d; i++) {
                double wi = w * row[i];
                int base = i * d;
                for (int j = i; j < d; j++) {
                    a[base + j] += wi * row[j];
                }
            }
        }
        // The loop above filled the upper triangle; mirror it.
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                a[j * d + i] = a[i * d + j];
            }
        }
    }

    /**
     * The row's share of the implicit objective:
     * {@code xᵀGx + Σᵢ [cᵢ(1 − yᵢ·x)² − (yᵢ·x)²] + λ‖x‖²}. Summed over all rows and added to
     * {@code λ‖Y‖²} = {@code λ·trace(G)} it gives {@code Σᵤᵢ cᵤᵢ(pᵤᵢ − xᵤ·yᵢ)² + λ(‖X‖² + ‖Y‖²)}.
     */
    public double loss(double[] gram, double lambda, float[] y, int[] cols, float[] conf, int start, int end,
            float[] xs, int xOffset) {
        for (int a = 0; a < d; a++) {
            x[a] = xs[xOffset + a];
        }
        multiplyRegularizedGram(gram, lambda, x, r);
        double total = 0;
        for (int a = 0; a < d; a++) {
            total += x[a] * r[a];
        }
        double[] yu = gather(y, cols, start, end);
        for (int k = 0; k < end - start; k++) {
            double s = dot(yu, k * d, x);
            double e = 1.0 - s;
            total += conf[start + k] * e * e - s * s;
        }
        return total;
    }

    /**
     * The observed-entry part of the row's loss, {@code Σᵢ [cᵢ(1 − yᵢ·x)² − (yᵢ·x)²]}: {@link #loss} without
     * {@code xᵀGx + λ‖x‖²}, which a caller summing many rows gets cheaper as {@code tr(G·XᵀX) + λ·tr(XᵀX)}.
     */
    public double observedLoss(float[] y, int[] cols, float[] conf, int start, int end, float[] xs, int xOffset) {
        for (int a = 0; a < d; a++) {
            x[a] = xs[xOffset + a];
        }
        double[] yu = gather(y, cols, start, end);
        double total = 0;
        for (int k = 0; k < end - start; k++) {
            double s = dot(yu, k * d, x);
            double e = 1.0 - s;
            total += conf[start + k] * e * e - s * s;
        }
        return total;
    }

    /** out = (G + λI) v, row by row as axpy (G is symmetric), which the JIT vectorises. */
    private void multiplyRegularizedGram(double[] gram, double lambda, double[] v, double[] out) {
        for (int a = 0; a < d; a++) {
            out[a] = lambda * v[a];
        }
        for (int b = 0; b < d; b++) {
            double vb = v[b];
            int base = b * d;
            for (int a = 0; a < d; a++) {
                out[a] += gram[base + a] * vb;
            }
        }
    }

    /** out += w · yu[off .. off+d). */
    private void axpy(double w, double[] yu, int off, double[] out) {
        for (int a = 0; a < d; a++) {
            out[a] += w * yu[off + a];
        }
    }

    /** yu[off .. off+d) · v with four independent partial sums (a fixed order, so results are reproducible). */
    private double dot(double[] yu, int off, double[] v) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int a = 0;
        for (; a + 3 < d; a += 4) {
            s0 += yu[off + a] * v[a];
            s1 += yu[off + a + 1] * v[a + 1];
            s2 += yu[off + a + 2] * v[a + 2];
            s3 += yu[off + a + 3] * v[a + 3];
        }
        for (; a < d; a++) {
            s0 += yu[off + a] * v[a];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
