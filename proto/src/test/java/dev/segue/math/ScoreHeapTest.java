package dev.segue.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScoreHeapTest {
    @Test
    void topKKeepsTheBestInDescendingOrderWithLowerIdWinningTies() {
        ScoreHeap top = ScoreHeap.topK(3);
        top.offer(5, 1f);
        top.offer(2, 3f);
        top.offer(9, 3f);
        top.offer(1, 0.5f);
        top.offer(7, 2f);
        top.offer(4, 3f);
        int[] ids = new int[3];
        float[] scores = new float[3];
        assertEquals(3, top.drainBestFirst(ids, scores));
        assertArrayEquals(new int[] {2, 4, 9}, ids);
        assertArrayEquals(new float[] {3f, 3f, 3f}, scores);
        assertEquals(0, top.size());
    }

    private static int[] sortedBest(double[] values, int k) {
        return IntStream.range(0, values.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -values[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void topKMatchesAFullSortOnRandomInputWithTies() {
        SplittableRandom r = new SplittableRandom(3);
        double[] values = new double[5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.floor(r.nextDouble() * 200); // many ties
        }
        // offered in a shuffled order, so the lower-id tie rule is what decides, not arrival
        int[] order = IntStream.range(0, values.length).toArray();
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int k : new int[] {1, 100, 1500}) { // 1500 > the initial arrays: they grow
            ScoreHeap top = ScoreHeap.topK(k);
            for (int i : order) {
                top.offer(i, values[i]);
            }
            assertEquals(values[sortedBest(values, k)[k - 1]], top.threshold());
            assertArrayEquals(sortedBest(values, k), top.drainBestFirst(), "k=" + k);
        }
    }

    @Test
    void bestFirstPopsInRankOrderAndGrows() {
        SplittableRandom r = new SplittableRandom(7);
        double[] values = new double[3000];
        ScoreHeap q = ScoreHeap.bestFirst(4);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.floor(r.nextDouble() * 50);
            q.offer(i, values[i]);
        }
        int[] expected = sortedBest(values, values.length);
        for (int e : expected) {
            assertEquals(values[e], q.topScore());
            assertEquals(e, q.topId());
            assertEquals(e, q.pop());
        }
        assertEquals(0, q.size());
    }

    @Test
    void acceptsAndThresholdGateAFullHeap() {
        ScoreHeap top = ScoreHeap.topK(2);
        assertEquals(Double.NEGATIVE_INFINITY, top.threshold());
        assertTrue(top.accepts(-1e30));
        top.offer(1, 5);
        top.offer(2, 6);
        assertTrue(top.isFull());
        assertEquals(5, top.threshold());
        assertFalse(top.accepts(5));
        assertTrue(top.accepts(5.5));
        assertFalse(top.offer(3, 4));
        assertTrue(top.offer(0, 5)); // equal score, lower id: ranks above id 1
        assertArrayEquals(new int[] {2, 0}, top.drainBestFirst());
    }

    @Test
    void zeroCapacityKeepsNothing() {
        ScoreHeap top = ScoreHeap.topK(0);
        assertFalse(top.offer(1, 1));
        assertEquals(0, top.size());
        assertEquals(0, top.drainBestFirst().length);
    }

    @Test
    void mergedShardsKeepTheGlobalBestAndSurviveSerialization() throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        double[] values = new double[2000];
        ScoreHeap a = ScoreHeap.topK(50);
        ScoreHeap b = ScoreHeap.topK(50);
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextDouble();
            (i % 2 == 0 ? a : b).offer(i, values[i]);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(b);
        }
        ScoreHeap copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ScoreHeap) in.readObject();
        }
        a.addAll(copy);
        int[] best = sortedBest(values, 50);
        assertEquals(10, a.countAbove(values[best[10]]));
        assertArrayEquals(best, a.drainBestFirst());
    }

    @Test
    void rejectsANegativeK() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScoreHeap.topK(-1));
        assertEquals("k must be between 0 and 2147483639, got -1", e.getMessage());
    }
}
