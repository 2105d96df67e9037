package dev.segue.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorUtilTest {
    /** The contract's order written out plainly: four strided partial sums, tail into the first. */
    private static float reference(float[] a, int aOff, float[] b, int bOff, int n) {
        float[] s = new float[4];
        int full = n - n % 4;
        for (int i = 0; i < full; i++) {
            s[i % 4] += a[aOff + i] * b[bOff + i];
        }
        for (int i = full; i < n; i++) {
            s[0] += a[aOff + i] * b[bOff + i];
        }
        return (s[0] + s[1]) + (s[2] + s[3]);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * Math.exp(r.nextDouble(-3, 3)));
        }
        return v;
    }

    @Test
    void bothImplementationsFollowTheDocumentedOrderBitForBit() {
        SplittableRandom r = new SplittableRandom(18);
        for (int n : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 63, 64, 65, 100, 128, 257}) {
            for (int t = 0; t < 200; t++) {
                int aOff = r.nextInt(5);
                int bOff = r.nextInt(5);
                float[] a = random(r, aOff + n + r.nextInt(3));
                float[] b = random(r, bOff + n + r.nextInt(3));
                int expected = Float.floatToRawIntBits(reference(a, aOff, b, bOff, n));
                assertEquals(expected, Float.floatToRawIntBits(VectorUtil.dot(a, aOff, b, bOff, n)),
                        VectorUtil.implementation() + " n=" + n);
                assertEquals(expected, Float.floatToRawIntBits(VectorUtil.scalarDot(a, aOff, b, bOff, n)),
                        "scalar n=" + n);
            }
        }
    }

    /** Four rows at once, anywhere in one array (overlapping too), each bit for bit the contract's dot. */
    @Test
    void fourRowsAtOnceGiveEachRowsDotBitForBit() {
        SplittableRandom r = new SplittableRandom(19);
        for (int n : new int[] {0, 1, 3, 4, 5, 16, 17, 63, 64, 65, 257}) {
            for (int t = 0; t < 100; t++) {
                float[] a = random(r, 4 * n + 20);
                float[] b = random(r, n + 3);
                int bOff = r.nextInt(3);
                int[] off = new int[4];
                for (int k = 0; k < 4; k++) {
                    off[k] = r.nextInt(a.length - n + 1);
                }
                float[] out = new float[6];
                VectorUtil.dot4(a, off[0], off[1], off[2], off[3], b, bOff, n, out, 1);
                for (int k = 0; k < 4; k++) {
                    assertEquals(Float.floatToRawIntBits(reference(a, off[k], b, bOff, n)),
                            Float.floatToRawIntBits(out[1 + k]), VectorUtil.implementation() + " n=" + n + " row " + k);
                }
                assertEquals(0f, out[0]);
                assertEquals(0f, out[5]);
            }
        }
    }

    /**
     * Listed rows of a matrix, every count 0–13 (so every remainder, and fewer rows than one step), repeated
     * rows too: each output is the row's contract dot bit for bit, and nothing outside the range is written.
     */
    @Test
    void listedRowsGiveEachRowsDotBitForBitWhateverTheRemainder() {
        SplittableRandom r = new SplittableRandom(20);
        int dim = 17;
        int stride = 19;
        float[] matrix = random(r, 40 * stride);
        for (int count = 0; count <= 13; count++) {
            for (int t = 0; t < 20; t++) {
                int from = r.nextInt(3);
                int[] rows = new int[from + count + 2];
                for (int k = 0; k < rows.length; k++) {
                    rows[k] = r.nextInt(40);
                }
                float[] b = random(r, dim + 2);
                int bOff = r.nextInt(2);
                float[] out = new float[count + 5];
                java.util.Arrays.fill(out, Float.NaN);
                VectorUtil.dotRows(matrix, stride, rows, from, count, b, bOff, dim, out, 2);
                for (int k = 0; k < count; k++) {
                    assertEquals(Float.floatToRawIntBits(reference(matrix, rows[from + k] * stride, b, bOff, dim)),
                            Float.floatToRawIntBits(out[2 + k]), "count " + count + " row " + k);
                }
                assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[1]) && Float.isNaN(out[count + 2]),
                        "wrote outside its range at count " + count);
            }
        }
    }

    @Test
    void theSimdPathIsUsedWhenTheModuleIsPresent() {
        // Surefire starts every test JVM with --add-modules jdk.incubator.vector (see the root pom).
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        assertEquals("simd-128bit", VectorUtil.implementation());
    }

    /**
     * The order is a fixed interleaving, not sequential summation: on these inputs the two differ, so a change
     * to a width-dependent or sequential order cannot pass unnoticed.
     */
    @Test
    void differsFromSequentialSummationWhereTheOrderMatters() {
        float[] a = {1e8f, 1f, -1e8f, 1f};
        float[] b = {1f, 1f, 1f, 1f};
        // sequential: ((1e8 + 1) - 1e8) + 1 = 1; four partial sums: (1e8 + 1) + (-1e8 + 1) = 1e8 - 1e8 = 0
        // (1 is below half an ulp of 1e8 in float)
        assertEquals(0f, VectorUtil.dot(a, b));
        assertEquals(0f, VectorUtil.scalarDot(a, 0, b, 0, 4));
    }

    @Test
    void rejectsVectorsOfDifferentLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VectorUtil.dot(new float[3], new float[4]));
        assertEquals("vectors of different lengths: 3 and 4", e.getMessage());
    }
}
