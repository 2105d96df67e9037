package dev.segue.als;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FoldInTest {
    private final Random rnd = new Random(5);
    private final int n = 50;
    private final int d = 6;
    private final float[] y = new float[n * d];
    private final WrmfParams params = new WrmfParams(15, 0.1, 3, false, 1);

    FoldInTest() {
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (rnd.nextGaussian() * 0.3);
        }
    }

    @Test
    void foldInSolvesTheTrainingRowEquation() {
        FoldIn foldIn = FoldIn.fromParameters(y, d, params.toParameters());
        int[] seeds = {4, 17, 17, 30};
        float[] x = foldIn.userVector(seeds);
        // Same equation by hand: item 17 counted twice.
        int[] cols = {4, 17, 30};
        float[] conf = {(float) params.confidence(1), (float) params.confidence(2), (float) params.confidence(1)};
        double[] exact = new RowSolver(d).exact(Gram.compute(y, n, d), 0.1, y, cols, conf, 0, 3);
        for (int a = 0; a < d; a++) {
            assertEquals(exact[a], x[a], 1e-6);
        }
        float[] withCounts = foldIn.userVector(new int[] {30, 17, 4}, new float[] {1, 2, 1});
        assertArrayEquals(x, withCounts, 1e-6f);
        float[] cg = foldIn.userVectorCg(seeds, null, 4 * d);
        assertArrayEquals(x, cg, 1e-4f);
    }

    @Test
    void seedItemsScoreHigherThanAverage() {
        FoldIn foldIn = new FoldIn(y, n, d, Gram.compute(y, n, d), params);
        int[] seeds = {1, 2, 3, 8};
        float[] x = foldIn.userVector(seeds);
        double seedMean = 0, allMean = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int a = 0; a < d; a++) {
                s += x[a] * y[i * d + a];
            }
            allMean += s / n;
            for (int seed : seeds) {
                if (seed == i) {
                    seedMean += s / seeds.length;
                }
            }
        }
        assertTrue(seedMean > allMean + 0.1, seedMean + " vs " + allMean);
    }

    @Test
    void emptySeedsGiveZeroAndBadIdsAreRejected() {
        FoldIn foldIn = new FoldIn(y, n, d, Gram.compute(y, n, d), params);
        assertArrayEquals(new float[d], foldIn.userVector(new int[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> foldIn.userVector(new int[] {3, n}));
        assertTrue(e.getMessage().contains("item id " + n), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> foldIn.userVector(new int[] {3}, new float[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new FoldIn(y, n + 1, d, new double[d * d], params));
    }
}
