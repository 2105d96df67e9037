package dev.segue.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FloatScoreHeapTest {
    @Test
    void keysOrderAsScoreThenLowerIdAndRoundTrip() {
        float[] scores = {Float.NEGATIVE_INFINITY, -3.5f, -1e-30f, -0.0f, 0.0f, 1e-30f, 2f, Float.MAX_VALUE,
                Float.POSITIVE_INFINITY};
        int[] ids = {0, 1, 7, 1 << 20, Integer.MAX_VALUE};
        for (float a : scores) {
            for (float b : scores) {
                for (int i : ids) {
                    for (int j : ids) {
                        long ka = FloatScoreHeap.key(i, a);
                        long kb = FloatScoreHeap.key(j, b);
                        boolean better = a > b || (a == b && i < j);
                        assertEquals(better, ka > kb, a + "/" + i + " vs " + b + "/" + j);
                    }
                }
                assertEquals(a == 0 ? 0f : a, FloatScoreHeap.scoreOf(FloatScoreHeap.key(5, a)));
            }
        }
        for (int i : ids) {
            assertEquals(i, FloatScoreHeap.idOf(FloatScoreHeap.key(i, -2f)));
        }
    }

    @Test
    void topKKeepsTheBestInDescendingOrderWithLowerIdWinningTies() {
        FloatScoreHeap top = FloatScoreHeap.topK(3);
        assertEquals(Float.NEGATIVE_INFINITY, top.threshold());
        top.offer(5, 1f);
        top.offer(2, 3f);
        top.offer(9, 3f);
        assertEquals(1f, top.threshold());
        assertEquals(5, top.topId());
        assertFalse(top.offer(1, 0.5f));
        assertTrue(top.offer(7, 2f));
        assertTrue(top.offer(4, 3f));
        assertFalse(top.accepts(3f)); // ties never pass the cheap check, as ScoreHeap's
        assertTrue(top.accepts(3.5f));
        int[] outIds = new int[3];
        float[] outScores = new float[3];
        assertEquals(3, top.drainBestFirst(outIds, outScores));
        assertArrayEquals(new int[] {2, 4, 9}, outIds);
        assertArrayEquals(new float[] {3f, 3f, 3f}, outScores);
        assertEquals(0, top.size());
    }

    /** The same entries, offered in the same order, give exactly what ScoreHeap gives: the graph code's old path. */
    @Test
    void matchesScoreHeapOnRandomInputWithTiesForBothKinds() {
        SplittableRandom r = new SplittableRandom(11);
        for (int round = 0; round < 20; round++) {
            int n = 1 + r.nextInt(3000);
            int k = 1 + r.nextInt(1500); // beyond the initial arrays: they grow
            FloatScoreHeap fast = FloatScoreHeap.topK(k);
            ScoreHeap ref = ScoreHeap.topK(k);
            FloatScoreHeap fastQueue = FloatScoreHeap.bestFirst(1);
            ScoreHeap refQueue = ScoreHeap.bestFirst(1);
            for (int i = 0; i < n; i++) {
                int id = r.nextInt(1000);
                float s = (float) Math.floor(r.nextDouble() * 50) - 25; // many ties, both signs
                assertEquals(ref.accepts(s), fast.accepts(s));
                assertEquals(ref.offer(id, s), fast.offer(id, s));
                fastQueue.offer(id, s);
                refQueue.offer(id, s);
                assertEquals(ref.size(), fast.size());
                assertEquals((float) ref.topScore(), fast.topScore());
                assertEquals(ref.topId(), fast.topId());
                assertEquals((float) ref.threshold(), fast.threshold());
                if (r.nextInt(4) == 0) { // a walk pops as it goes
                    assertEquals(refQueue.pop(), fastQueue.pop());
                }
                if (refQueue.size() > 0) {
                    assertEquals(refQueue.topId(), fastQueue.topId());
                    assertEquals((float) refQueue.topScore(), fastQueue.topScore());
                }
            }
            int[] a = new int[k];
            int[] b = new int[k];
            float[] as = new float[k];
            float[] bs = new float[k];
            assertEquals(ref.drainBestFirst(a, as), fast.drainBestFirst(b, bs));
            assertArrayEquals(a, b);
            assertArrayEquals(as, bs);
            int m = refQueue.size();
            a = new int[m];
            b = new int[m];
            as = new float[m];
            bs = new float[m];
            assertEquals(refQueue.drainBestFirst(a, as), fastQueue.drainBestFirst(b, bs));
            assertArrayEquals(a, b);
            assertArrayEquals(as, bs);
        }
    }

    @Test
    void emptyAndZeroCapacityHeapsAcceptNothingAndBadSizesAreRefused() {
        FloatScoreHeap none = FloatScoreHeap.topK(0);
        assertFalse(none.accepts(1f));
        assertFalse(none.offer(1, 1f));
        assertEquals(0, none.size());
        assertThrows(IllegalArgumentException.class, () -> FloatScoreHeap.topK(-1));
        assertThrows(IllegalArgumentException.class, () -> FloatScoreHeap.bestFirst(0));
        FloatScoreHeap q = FloatScoreHeap.bestFirst(1);
        q.offer(3, -0.0f);
        q.offer(1, 0.0f); // -0.0 and 0.0 tie: the lower id first
        assertEquals(1, q.pop());
        assertEquals(3, q.pop());
        assertEquals(0, q.size());
    }
}
