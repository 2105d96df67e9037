package dev.segue.als;

/**
 * The inner loops of a CG row solve, in single precision: {@code (G + λI)·v}, {@code out += w·y},
 * {@code y·v} and the observed-entry term that combines the last two. {@link #forDimension} picks the SIMD implementation ({@code jdk.incubator.vector}) when the JVM
 * was started with {@code --add-modules jdk.incubator.vector} and the dimension is a multiple of the vector
 * width, and the portable scalar loops otherwise; both give the same results up to float rounding.
 */
interface RowKernels {
    /** {@code out = (G + λI) v}, G row-major d×d and symmetric. */
    void multiplyRegularizedGram(float[] gram, float lambda, float[] v, float[] out);

    /** {@code out += w · y[off .. off+d)}. */
    void axpy(float w, float[] y, int off, float[] out);

    /** {@code y[off .. off+d) · v}. */
    float dot(float[] y, int off, float[] v);

    /**
     * The observed-entry term of a CG step over a row's {@code m} gathered factors {@code yu} (row-major m×d):
     * {@code out += Σₖ wₖ·yuₖ} with {@code wₖ = base·cₖ + (cₖ − 1)·sign·(yuₖ·v)}, {@code cₖ = conf[confOffset+k]}.
     * CG steps use {@code base = 0, sign = 1} (the {@code A·p} product); the initial residual uses
     * {@code base = 1, sign = −1} ({@code b − A·x}).
     */
    default void addObserved(float[] yu, int m, float[] conf, int confOffset, float[] v, float[] out, float base,
            float sign) {
        int d = v.length;
        for (int k = 0; k < m; k++) {
            float c = conf[confOffset + k];
            axpy(base * c + (c - 1f) * sign * dot(yu, k * d, v), yu, k * d, out);
        }
    }

    /** A short name for logs and benchmarks. */
    String name();

    /** The fastest kernels available for dimension {@code d} in this JVM. */
    static RowKernels forDimension(int d) {
        RowKernels vector = Selection.vector(d);
        return vector != null ? vector : new ScalarRowKernels(d);
    }

    /** Whether the SIMD kernels can be used in this JVM (module present and not disabled). */
    static boolean vectorAvailable() {
        return Selection.VECTOR_MODULE;
    }

    final class Selection {
        /** {@code -Dsegue.als.simd=false} forces the scalar loops (comparisons, debugging). */
        static final boolean VECTOR_MODULE = Boolean.parseBoolean(System.getProperty("segue.als.simd", "true"))
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

        private Selection() {}

        static RowKernels vector(int d) {
            if (!VECTOR_MODULE) {
                return null;
            }
            try {
                // Loaded reflectively so a JVM without the module never links the class.
                Class<?> c = Class.forName("dev.segue.als.VectorRowKernels");
                Object k = c.getMethod("create", int.class).invoke(null, d);
                return (RowKernels) k;
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
    }
}
