package dev.segue.als;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RowKernelsTest {
    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    /** A symmetric d×d matrix (the kernels rely on G being symmetric). */
    private static float[] symmetric(Random rnd, int d) {
        float[] g = new float[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                float x = (float) rnd.nextGaussian();
                g[a * d + b] = x;
                g[b * d + a] = x;
            }
        }
        return g;
    }

    /**
     * The dimensions to test: every multiple of the vector width up to 128 that the loops treat differently
     * (one vector, two, four, eight, sixteen per row), whatever the width is on this CPU (4 floats on SSE and
     * NEON, 8 on AVX2, 16 on AVX-512).
     */
    private static int[] simdDimensions() {
        int l = VectorRowKernels.lanes();
        return IntStream.of(l, 2 * l, 3 * l, 4 * l, 8 * l, 16 * l).filter(d -> d <= 256).toArray();
    }

    @Test
    void theBuildRunsTestsWithTheSimdKernels() {
        // The surefire argLine adds jdk.incubator.vector, so the SIMD path is the one these tests exercise.
        assertTrue(RowKernels.vectorAvailable(), "run the tests with --add-modules=jdk.incubator.vector");
        int l = VectorRowKernels.lanes();
        assertTrue(l >= 2 && Integer.bitCount(l) == 1, "lanes " + l);
        assertTrue(RowKernels.forDimension(64).name().startsWith("simd"), "64 is a multiple of every width");
        assertEquals("simd-" + 32 * l + "bit", RowKernels.forDimension(64).name());
        assertEquals("scalar", RowKernels.forDimension(5).name(), "a dimension that is not a multiple of the width");
        assertEquals("scalar", RowKernels.forDimension(l + 1).name());
        assertNull(RowKernels.Selection.vector(l / 2 == 0 ? 1 : l / 2), "a dimension below the width");
    }

    @Test
    void simdAndScalarKernelsAgree() {
        Random rnd = new Random(3);
        for (int d : simdDimensions()) {
            RowKernels simd = RowKernels.Selection.vector(d);
            assertNotNull(simd, "d=" + d + " with " + VectorRowKernels.lanes() + " lanes");
            RowKernels scalar = new ScalarRowKernels(d);
            float[] g = symmetric(rnd, d);
            float[] v = random(rnd, d);
            float[] y = random(rnd, 3 * d);
            float[] expected = new float[d];
            float[] actual = new float[d];
            scalar.multiplyRegularizedGram(g, 0.5f, v, expected);
            simd.multiplyRegularizedGram(g, 0.5f, v, actual);
            for (int a = 0; a < d; a++) {
                double naive = 0.5 * v[a];
                for (int b = 0; b < d; b++) {
                    naive += (double) g[a * d + b] * v[b];
                }
                assertEquals(naive, expected[a], 1e-3, "scalar (G+λI)v, d=" + d);
                assertEquals(naive, actual[a], 1e-3, "simd (G+λI)v, d=" + d);
            }
            double dot = 0;
            for (int a = 0; a < d; a++) {
                dot += (double) y[d + a] * v[a];
            }
            assertEquals(dot, scalar.dot(y, d, v), 1e-4);
            assertEquals(dot, simd.dot(y, d, v), 1e-4);
            float[] o1 = v.clone();
            float[] o2 = v.clone();
            scalar.axpy(-1.5f, y, 2 * d, o1);
            simd.axpy(-1.5f, y, 2 * d, o2);
            for (int a = 0; a < d; a++) {
                assertEquals(v[a] - 1.5f * y[2 * d + a], o1[a], 1e-5);
                assertEquals(o1[a], o2[a], 1e-5);
            }
        }
        int l = VectorRowKernels.lanes();
        assertNull(RowKernels.Selection.vector(3 * l + 1), (3 * l + 1) + " is not a multiple of the vector width");
    }

    /**
     * The observed-entry term against the plain sum, for both weightings, at every row shape: the fused
     * register-resident loops (four and eight vectors a row) and the generic dot-then-axpy loop.
     */
    @Test
    void addObservedMatchesTheDefinitionInBothKernels() {
        Random rnd = new Random(5);
        for (int d : simdDimensions()) {
            int m = 7;
            float[] yu = random(rnd, m * d);
            float[] conf = new float[m + 2];
            for (int k = 0; k < conf.length; k++) {
                conf[k] = 1 + 20 * rnd.nextFloat();
            }
            float[] v = random(rnd, d);
            float[] start = random(rnd, d);
            for (float[] weighting : new float[][] {{0f, 1f}, {1f, -1f}}) {
                float base = weighting[0], sign = weighting[1];
                double[] expected = new double[d];
                for (int a = 0; a < d; a++) {
                    expected[a] = start[a];
                }
                for (int k = 0; k < m; k++) {
                    double dot = 0;
                    for (int a = 0; a < d; a++) {
                        dot += (double) yu[k * d + a] * v[a];
                    }
                    double c = conf[2 + k];
                    double w = base * c + (c - 1) * sign * dot;
                    for (int a = 0; a < d; a++) {
                        expected[a] += w * yu[k * d + a];
                    }
                }
                RowKernels simd = RowKernels.Selection.vector(d);
                assertNotNull(simd, "d=" + d);
                for (RowKernels kernels : new RowKernels[] {simd, new ScalarRowKernels(d)}) {
                    float[] out = start.clone();
                    kernels.addObserved(yu, m, conf, 2, v, out, base, sign);
                    for (int a = 0; a < d; a++) {
                        assertEquals(expected[a], out[a], 2e-3 * (1 + Math.abs(expected[a])),
                                kernels.name() + " d=" + d + " base=" + base + " component " + a);
                    }
                }
            }
        }
    }

    @Test
    void conjugateGradientAtServingDimensionMatchesCholesky() {
        Random rnd = new Random(11);
        int n = 400, d = 64;
        float[] y = new float[n * d];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (rnd.nextGaussian() * 0.2);
        }
        double[] g = Gram.compute(y, n, d);
        WrmfParams params = new WrmfParams(20, 0.5, 3, false, 1);
        int[] cols = new int[40];
        float[] conf = new float[cols.length];
        for (int k = 0; k < cols.length; k++) {
            cols[k] = k * 9 + 3;
            conf[k] = (float) params.confidence(1 + k % 2);
        }
        RowSolver solver = new RowSolver(d);
        double[] exact = solver.exact(g, params.regularization(), y, cols, conf, 0, cols.length);
        float[] x = new float[d];
        solver.conjugateGradient(g, params.regularization(), y, cols, conf, 0, cols.length, x, 0, 2 * d);
        for (int a = 0; a < d; a++) {
            assertEquals(exact[a], x[a], 1e-4, "component " + a + " with " + solver.kernelName());
        }
    }
}
