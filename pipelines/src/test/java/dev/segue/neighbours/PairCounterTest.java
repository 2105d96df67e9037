package dev.segue.neighbours;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link PairCounter} against a sorted boxed map: sums, growth and the key order of {@link PairCounter#sorted}. */
class PairCounterTest {

    @Test
    void sumsAndOrderMatchASortedMap() {
        Random rnd = new Random(7);
        // Small ids (few varying key bytes), ids spread over all 31 bits (every byte varies), and one first track.
        for (int maxId : new int[] {50, 300_000, Integer.MAX_VALUE}) {
            for (boolean oneFirst : new boolean[] {false, true}) {
                PairCounter counter = new PairCounter(4); // grows many times
                TreeMap<Long, Long> expected = new TreeMap<>();
                for (int i = 0; i < 20_000; i++) {
                    int a = oneFirst ? 12345 : rnd.nextInt(maxId);
                    int b = rnd.nextInt(maxId);
                    long key = PairCounter.key(a, b);
                    long count = 1 + rnd.nextInt(3);
                    counter.add(key, count);
                    expected.merge(key, count, Long::sum);
                    if (i % 7 == 0) { // repeats of an earlier pair
                        Long again = expected.floorKey(key);
                        counter.add(again, 1);
                        expected.merge(again, 1L, Long::sum);
                    }
                }
                assertEquals(expected.size(), counter.size(), "distinct pairs, ids < " + maxId);
                PairCounts sorted = counter.sorted();
                long[] keys = new long[expected.size()];
                long[] counts = new long[expected.size()];
                int k = 0;
                for (Map.Entry<Long, Long> e : expected.entrySet()) {
                    keys[k] = e.getKey();
                    counts[k++] = e.getValue();
                }
                assertArrayEquals(keys, sorted.keys(), "key order, ids < " + maxId);
                assertArrayEquals(counts, sorted.counts(), "sums, ids < " + maxId);
            }
        }
    }

    @Test
    void mergesPartialSumsAndHandlesEmptyAndSingle() {
        PairCounter empty = new PairCounter(16);
        assertEquals(0, empty.sorted().size());
        PairCounter one = new PairCounter(16);
        one.add(PairCounter.key(3, 4), 2);
        PairCounter all = new PairCounter(1);
        all.addAll(one.sorted());
        all.addAll(one.sorted());
        all.add(PairCounter.key(0, 0), 1);
        PairCounts sums = all.sorted();
        assertArrayEquals(new long[] {PairCounter.key(0, 0), PairCounter.key(3, 4)}, sums.keys());
        assertArrayEquals(new long[] {1, 4}, sums.counts());
        assertEquals(3, PairCounter.first(sums.keys()[1]));
        assertEquals(4, PairCounter.second(sums.keys()[1]));
    }

    @Test
    void refusesANegativeTrackId() {
        PairCounter counter = new PairCounter(16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> counter.add(PairCounter.key(-1, 2), 1));
        assertEquals("pair key " + PairCounter.key(-1, 2) + " holds a negative track id", e.getMessage());
    }
}
