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
    private final RowKernels kernels;
    private final float[] x;
    private final float[] r;
    private final float[] p;
    private final float[] ap;
    private final double[] xd;
    private final double[] rd;
    private double[] gathered = new double[0];
    private float[] gatheredFloats = new float[0];

    public RowSolver(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be positive, got " + d);
        }
        this.d = d;
        this.kernels = RowKernels.forDimension(d);
        this.x = new float[d];
        this.r = new float[d];
        this.p = new float[d];
        this.ap = new float[d];
        this.xd = new double[d];
        this.rd = new double[d];
    }

    public int dimension() {
        return d;
    }

    /**
     * Runs up to {@code steps} conjugate-gradient steps on the row equation, starting from and writing back to
     * {@code out[outOffset .. outOffset+d)}. Convenience form; hot loops pass the Gram as floats once
     * converted ({@link #toFloat}).
     */
    public void conjugateGradient(double[] gram, double lambda, float[] y, int[] cols, float[] conf, int start,
            int end, float[] out, int outOffset, int steps) {
        conjugateGradient(toFloat(gram), lambda, y, cols, conf, start, end, out, outOffset, steps);
    }

    /** As above with {@code G} already in single precision (row-major d×d). */
    public void conjugateGradient(float[] gram, double lambda, float[] y, int[] cols, float[] conf, int start,
            int end, float[] out, int outOffset, int steps) {
        System.arraycopy(out, outOffset, x, 0, d);
        conjugateGradient(gram, (float) lambda, y, cols, conf, start, end, steps);
        System.arraycopy(x, 0, out, outOffset, d);
    }

    /**
     * As {@link #conjugateGradient(float[], double, float[], int[], float[], int, int, float[], int, int)}, and
     * returns the new row's observed-entry loss ({@link #observedLoss}) from the rows already gathered for CG,
     * so a training pass that reports its objective does not gather every row a second time.
     */
    public double conjugateGradientWithObservedLoss(float[] gram, double lambda, float[] y, int[] cols, float[] conf,
            int start, int end, float[] out, int outOffset, int steps) {
        conjugateGradient(gram, lambda, y, cols, conf, start, end, out, outOffset, steps);
        float[] yu = gatheredFloats;
        double total = 0;
        for (int k = 0; k < end - start; k++) {
            double s = dot(yu, k * d, x);
            double e = 1.0 - s;
            total += conf[start + k] * e * e - s * s;
        }
        return total;
    }

    /** CG from a zero start into a fresh vector (fold-in with a bounded number of steps). */
    public float[] conjugateGradientFromZero(double[] gram, double lambda, float[] y, int[] cols, float[] conf,
            int start, int end, int steps) {
        java.util.Arrays.fill(x, 0f);
        conjugateGradient(toFloat(gram), (float) lambda, y, cols, conf, start, end, steps);
        return x.clone();
    }

    /** The Gram matrix in single precision, as the CG hot loop uses it. */
    public static float[] toFloat(double[] gram) {
        float[] out = new float[gram.length];
        for (int i = 0; i < gram.length; i++) {
            out[i] = (float) gram[i];
        }
        return out;
    }

    /*
     * The vectors are single precision, as in the implicit library: CG only improves a warm start by a few
     * steps, floats halve the memory traffic of the gathered rows (the cost that dominates) and double the
     * SIMD width of the axpy loops. Scalars (step sizes, residual norms) are accumulated in double.
     */
    private void conjugateGradient(float[] gram, float lambda, float[] y, int[] cols, float[] conf, int start,
            int end, int steps) {
        int m = end - start;
        float[] yu = gatherFloats(y, cols, start, end);
        // r = b − A x, with b = Σ cᵢ yᵢ and A x = (G + λI) x + Σ (cᵢ − 1)(yᵢ·x) yᵢ.
        multiplyRegularizedGram(gram, lambda, x, r);
        for (int a = 0; a < d; a++) {
            r[a] = -r[a];
        }
        kernels.addObserved(yu, m, conf, start, x, r, 1f, -1f);
        System.arraycopy(r, 0, p, 0, d);
        // Step sizes from single-precision dot products (as implicit does): the double-precision sums these
        // replaced were one serial chain of adds each, as slow as the (G + λI)·p product itself.
        float rsOld = dot(r, 0, r);
        if (rsOld < TOLERANCE) {
            return;
        }
        for (int it = 0; it < steps; it++) {
            multiplyRegularizedGram(gram, lambda, p, ap);
            kernels.addObserved(yu, m, conf, start, p, ap, 0f, 1f);
            float pAp = dot(p, 0, ap);
            if (!(pAp > 0)) {
                return;
            }
            float step = rsOld / pAp;
            for (int a = 0; a < d; a++) {
                x[a] += step * p[a];
                r[a] -= step * ap[a];
            }
            float rsNew = dot(r, 0, r);
            if (rsNew < TOLERANCE) {
                return;
            }
            float beta = rsNew / rsOld;
            for (int a = 0; a < d; a++) {
                p[a] = r[a] + beta * p[a];
            }
            rsOld = rsNew;
        }
    }

    /** The row's opposite factors as one contiguous block (copied once, reused by every CG step). */
    private float[] gatherFloats(float[] y, int[] cols, int start, int end) {
        int m = end - start;
        if (gatheredFloats.length < m * d) {
            gatheredFloats = new float[Math.max(m * d, gatheredFloats.length * 2)];
        }
        for (int k = 0; k < m; k++) {
            System.arraycopy(y, cols[start + k] * d, gatheredFloats, k * d, d);
        }
        return gatheredFloats;
    }

    /** The row's opposite factors as contiguous doubles (loss evaluation in double precision). */
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
        double[] row = xd;
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
            xd[a] = xs[xOffset + a];
        }
        multiplyRegularizedGram(gram, lambda, xd, rd);
        double total = 0;
        for (int a = 0; a < d; a++) {
            total += xd[a] * rd[a];
        }
        double[] yu = gather(y, cols, start, end);
        for (int k = 0; k < end - start; k++) {
            double s = dot(yu, k * d, xd);
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
            xd[a] = xs[xOffset + a];
        }
        double[] yu = gather(y, cols, start, end);
        double total = 0;
        for (int k = 0; k < end - start; k++) {
            double s = dot(yu, k * d, xd);
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

    private void multiplyRegularizedGram(float[] gram, float lambda, float[] v, float[] out) {
        kernels.multiplyRegularizedGram(gram, lambda, v, out);
    }

    private void axpy(float w, float[] yu, int off, float[] out) {
        kernels.axpy(w, yu, off, out);
    }

    private float dot(float[] yu, int off, float[] v) {
        return kernels.dot(yu, off, v);
    }

    /** Which inner loops this solver uses ("scalar" or "simd-256bit", …). */
    public String kernelName() {
        return kernels.name();
    }
}
