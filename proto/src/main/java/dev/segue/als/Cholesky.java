package dev.segue.als;

/** Dense Cholesky solve of a symmetric positive-definite system; the exact reference for the CG solver. */
public final class Cholesky {
    private Cholesky() {}

    /**
     * Solves {@code A x = b} for SPD {@code A} (d×d row-major). {@code A} and {@code b} are not modified.
     *
     * @throws IllegalArgumentException if {@code A} is not positive definite
     */
    public static double[] solve(double[] a, double[] b, int d) {
        if (a.length != d * d || b.length != d) {
            throw new IllegalArgumentException("shape mismatch: A has " + a.length + ", b has " + b.length + ", d=" + d);
        }
        double[] l = a.clone();
        decompose(l, d);
        double[] x = b.clone();
        // Forward: L y = b.
        for (int i = 0; i < d; i++) {
            double s = x[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * d + k] * x[k];
            }
            x[i] = s / l[i * d + i];
        }
        // Backward: Lᵀ x = y.
        for (int i = d - 1; i >= 0; i--) {
            double s = x[i];
            for (int k = i + 1; k < d; k++) {
                s -= l[k * d + i] * x[k];
            }
            x[i] = s / l[i * d + i];
        }
        return x;
    }

    /** In-place lower Cholesky factor {@code L} (the upper triangle is left as garbage). */
    static void decompose(double[] a, int d) {
        for (int j = 0; j < d; j++) {
            double diag = a[j * d + j];
            for (int k = 0; k < j; k++) {
                diag -= a[j * d + k] * a[j * d + k];
            }
            if (!(diag > 0)) {
                throw new IllegalArgumentException("matrix is not positive definite (pivot " + j + " = " + diag + ")");
            }
            double ljj = Math.sqrt(diag);
            a[j * d + j] = ljj;
            for (int i = j + 1; i < d; i++) {
                double s = a[i * d + j];
                for (int k = 0; k < j; k++) {
                    s -= a[i * d + k] * a[j * d + k];
                }
                a[i * d + j] = s / ljj;
            }
        }
    }
}
