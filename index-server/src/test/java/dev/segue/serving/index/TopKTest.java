package dev.segue.serving.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {
    @Test
    void keepsTheBestInDescendingOrderWithLowerIdWinningTies() {
        TopK top = new TopK(3);
        top.offer(5, 1f);
        top.offer(2, 3f);
        top.offer(9, 3f);
        top.offer(1, 0.5f);
        top.offer(7, 2f);
        top.offer(4, 3f);
        int[] ids = new int[3];
        float[] scores = new float[3];
        assertEquals(3, top.drainDescending(ids, scores));
        assertArrayEquals(new int[] {2, 4, 9}, ids);
        assertArrayEquals(new float[] {3f, 3f, 3f}, scores);
        assertEquals(0, top.size());
    }

    @Test
    void matchesAFullSortOnRandomInput() {
        SplittableRandom r = new SplittableRandom(3);
        float[] values = new float[5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.floor(r.nextDouble() * 200); // many ties
        }
        TopK top = new TopK(100);
        for (int i = 0; i < values.length; i++) {
            top.offer(i, values[i]);
        }
        int[] ids = new int[100];
        float[] scores = new float[100];
        top.drainDescending(ids, scores);
        int[] expected = IntStream.range(0, values.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -values[i]).thenComparingInt(i -> i))
                .limit(100).mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, ids);
        for (int i = 0; i < 100; i++) {
            assertEquals(values[ids[i]], scores[i]);
        }
    }

    @Test
    void fewerOffersThanCapacity() {
        TopK top = new TopK(10);
        top.offer(1, 0.1f);
        top.offer(2, 0.2f);
        Candidates c = Candidates.drain(top);
        assertEquals(2, c.size());
        assertArrayEquals(new int[] {2, 1}, Arrays.copyOf(c.ids(), 2));
    }
}
