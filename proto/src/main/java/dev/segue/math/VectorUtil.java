package dev.segue.math;

/**
 * The one float dot product every score in Segue comes from: the server's graph walk and exact scan, the
 * graph build's distance, and the {@code als-exact} baseline the server is measured against — so a
 * baseline score and a served score of the same row and query are equal bit for bit.
 *
 * <p><b>Summation order</b> (the contract, on every machine): four partial sums, {@code s_j} accumulating
 * {@code a[i]·b[i]} for {@code i ≡ j (mod 4)} in ascending {@code i} over the first {@code 4⌊n/4⌋} components,
 * the remaining {@code n mod 4} products added to {@code s_0} in order, result {@code (s_0 + s_1) + (s_2 + s_3)}.
 * Every product is rounded to float before it is added (no fused multiply-add). Two implementations follow it
 * exactly: a SIMD one ({@code jdk.incubator.vector}, a fixed 128-bit species — four lanes are the four partial
 * sums — chosen when the JVM has the module, as {@code dev.segue.als.RowKernels} chooses) and the portable
 * scalar loops. Because the order is fixed by the contract and not by the machine's vector width
 * ({@code SPECIES_PREFERRED} is 4, 8 or 16 floats), a score is the same on SSE, AVX2, AVX-512 and NEON, with or
 * without the module: a baseline run on one machine and a server on another agree bit for bit.
 * {@code -Dsegue.simd=false} forces the scalar loops (same results; for comparisons).
 *
 * <p>Not covered: the ALS solver's own kernels ({@code RowKernels.dot}), which use fused multiply-adds at the
 * preferred width inside a conjugate-gradient solve whose result is only defined up to float rounding.
 */
public final class VectorUtil {
    /** The implementation in use: SIMD when the module is present (and not disabled), else scalar. */
    private static final FloatDot IMPL = choose();

    private VectorUtil() {}

    /** {@code a·b} over all components; the arrays must have the same length. */
    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of different lengths: " + a.length + " and " + b.length);
        }
        return IMPL.dot(a, 0, b, 0, a.length);
    }

    /** {@code a[aOff .. aOff+n) · b[bOff .. bOff+n)} in the documented summation order. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return IMPL.dot(a, aOff, b, bOff, n);
    }

    /**
     * Four dot products with one vector {@code b}: {@code out[outOff + r] = dot(a, off_r, b, bOff, n)} for the
     * rows at {@code off0..off3} of {@code a}, each bit for bit what {@link #dot(float[], int, float[], int, int)}
     * returns. The contract's order makes each row's partial sums one chain of dependent adds (a 64-float dot
     * waits on 16 adds in a row); four rows interleaved keep four independent chains in flight, which is what
     * an exact scan and a graph walk scoring a node's neighbours need.
     */
    public static void dot4(float[] a, int off0, int off1, int off2, int off3, float[] b, int bOff, int n,
                            float[] out, int outOff) {
        IMPL.dot4(a, off0, off1, off2, off3, b, bOff, n, out, outOff);
    }

    /**
     * {@code out[outOff + k] = dot(a, rows[from + k]·stride, b, bOff, n)} for {@code k < count}: the rows of a
     * row-major matrix {@code a} listed in {@code rows}, scored against one vector, four per {@link #dot4} —
     * the neighbours of a graph node, say. A remainder of one to three rows is not scored one by one (one
     * chain of dependent adds each, three times the latency of a four-row step): the last four rows are
     * scored again as one step, rewriting the same bits; fewer than four rows in all go one by one.
     */
    public static void dotRows(float[] a, int stride, int[] rows, int from, int count, float[] b, int bOff, int n,
                               float[] out, int outOff) {
        int k = 0;
        for (; k + 3 < count; k += 4) {
            int i = from + k;
            IMPL.dot4(a, rows[i] * stride, rows[i + 1] * stride, rows[i + 2] * stride, rows[i + 3] * stride, b, bOff,
                    n, out, outOff + k);
        }
        if (k == count) {
            return;
        }
        if (count >= 4) {
            int i = from + count - 4;
            IMPL.dot4(a, rows[i] * stride, rows[i + 1] * stride, rows[i + 2] * stride, rows[i + 3] * stride, b, bOff,
                    n, out, outOff + count - 4);
            return;
        }
        for (; k < count; k++) {
            out[outOff + k] = IMPL.dot(a, rows[from + k] * stride, b, bOff, n);
        }
    }

    /** The scalar loops (the reference the SIMD path is tested against bit for bit). */
    public static float scalarDot(float[] a, int aOff, float[] b, int bOff, int n) {
        return ScalarDot.INSTANCE.dot(a, aOff, b, bOff, n);
    }

    /** A short name of the implementation in use, for logs and benchmarks ("simd-128bit" or "scalar"). */
    public static String implementation() {
        return IMPL.name();
    }

    /** One dot-product implementation; all follow the order documented on {@link VectorUtil}. */
    interface FloatDot {
        float dot(float[] a, int aOff, float[] b, int bOff, int n);

        default void dot4(float[] a, int off0, int off1, int off2, int off3, float[] b, int bOff, int n,
                          float[] out, int outOff) {
            out[outOff] = dot(a, off0, b, bOff, n);
            out[outOff + 1] = dot(a, off1, b, bOff, n);
            out[outOff + 2] = dot(a, off2, b, bOff, n);
            out[outOff + 3] = dot(a, off3, b, bOff, n);
        }

        String name();
    }

    private static FloatDot choose() {
        boolean enabled = Boolean.parseBoolean(System.getProperty("segue.simd", "true"))
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (enabled) {
            try {
                // Loaded reflectively so a JVM without the module never links the class.
                return (FloatDot) Class.forName("dev.segue.math.VectorFloatDot").getField("INSTANCE").get(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the scalar loops
            }
        }
        return ScalarDot.INSTANCE;
    }

    /** Portable loops in the documented order: four independent partial sums hide the add latency. */
    static final class ScalarDot implements FloatDot {
        static final ScalarDot INSTANCE = new ScalarDot();

        @Override
        public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                s0 += a[aOff + i] * b[bOff + i];
                s1 += a[aOff + i + 1] * b[bOff + i + 1];
                s2 += a[aOff + i + 2] * b[bOff + i + 2];
                s3 += a[aOff + i + 3] * b[bOff + i + 3];
            }
            for (; i < n; i++) {
                s0 += a[aOff + i] * b[bOff + i];
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        public String name() {
            return "scalar";
        }
    }
}
