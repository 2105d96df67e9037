package dev.segue.als;

/**
 * The Gram matrix {@code YᵀY} (d×d, row-major, double precision) of packed row-major factors
 * {@code float[n*d]}. Partial Grams of row blocks add up to the Gram of the whole matrix, which is how the
 * pipelines compute it with a global combine.
 */
public final class Gram {
    private Gram() {}

    /** {@code YᵀY} of all {@code n} rows. */
    public static double[] compute(float[] factors, int n, int d) {
        checkShape(factors, n, d);
        double[] gram = new double[d * d];
        accumulate(factors, 0, n, d, gram);
        return gram;
    }

    /**
     * Adds {@code Σ yᵢyᵢᵀ} over rows {@code from..to-1} of {@code factors} into {@code gram} (which must be
     * symmetric on entry, e.g. zeros or another partial Gram).
     */
    public static void accumulate(float[] factors, int from, int to, int d, double[] gram) {
        if (gram.length != d * d) {
            throw new IllegalArgumentException("gram has " + gram.length + " entries, expected " + d * d);
        }
        // Upper triangle only, four rows per pass (one load and store of the accumulator per four products),
        // mirrored afterwards.
        double[] upper = new double[d * d];
        double[] r0 = new double[d], r1 = new double[d], r2 = new double[d], r3 = new double[d];
        int i = from;
        for (; i + 3 < to; i += 4) {
            for (int a = 0, o = i * d; a < d; a++, o++) {
                r0[a] = factors[o];
                r1[a] = factors[o + d];
                r2[a] = factors[o + 2 * d];
                r3[a] = factors[o + 3 * d];
            }
            for (int a = 0; a < d; a++) {
                double y0 = r0[a], y1 = r1[a], y2 = r2[a], y3 = r3[a];
                int base = a * d;
                for (int b = a; b < d; b++) {
                    upper[base + b] += (y0 * r0[b] + y1 * r1[b]) + (y2 * r2[b] + y3 * r3[b]);
                }
            }
        }
        for (; i < to; i++) {
            int off = i * d;
            for (int a = 0; a < d; a++) {
                r0[a] = factors[off + a];
            }
            for (int a = 0; a < d; a++) {
                double ya = r0[a];
                int base = a * d;
                for (int b = a; b < d; b++) {
                    upper[base + b] += ya * r0[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double v = upper[a * d + b];
                gram[a * d + b] += v;
                if (b != a) {
                    gram[b * d + a] += v;
                }
            }
        }
    }

    /** Adds {@code other} into {@code target} element-wise. */
    public static void add(double[] target, double[] other) {
        if (target.length != other.length) {
            throw new IllegalArgumentException("Gram matrices differ in size: " + target.length + " vs " + other.length);
        }
        for (int i = 0; i < target.length; i++) {
            target[i] += other[i];
        }
    }

    /** {@code tr(A·B)} of two symmetric d×d matrices, i.e. {@code Σ A∘B}. */
    public static double traceOfProduct(double[] a, double[] b, int d) {
        double t = 0;
        for (int i = 0; i < d * d; i++) {
            t += a[i] * b[i];
        }
        return t;
    }

    /** The trace, i.e. the squared Frobenius norm {@code ‖Y‖²} of the matrix the Gram was computed from. */
    public static double trace(double[] gram, int d) {
        double t = 0;
        for (int a = 0; a < d; a++) {
            t += gram[a * d + a];
        }
        return t;
    }

    static void checkShape(float[] factors, int n, int d) {
        if (d < 1 || n < 0) {
            throw new IllegalArgumentException("bad shape " + n + "x" + d);
        }
        if ((long) n * d != factors.length) {
            throw new IllegalArgumentException("factors have " + factors.length + " values, expected " + n + "x" + d);
        }
    }
}
