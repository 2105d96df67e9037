package dev.segue.als;

/**
 * The three inner loops of a CG row solve, in single precision: {@code (G + λI)·v}, {@code out += w·y} and
 * {@code y·v}. {@link #forDimension} picks the SIMD implementation ({@code jdk.incubator.vector}) when the JVM
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
