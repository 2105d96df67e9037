package dev.segue.neighbours;

import dev.segue.vocab.LongIntMap;
import java.util.Arrays;

/**
 * Sums of counts per ordered track pair {@code (a, b)}, keyed {@code a << 32 | b}, in primitive arrays: an
 * open-addressing map from key to slot and parallel key and count arrays. Boxed maps (or one Beam element per
 * pair) cost an allocation per pair, and a run holds hundreds of millions of them.
 */
final class PairCounter {
    private LongIntMap slots;
    private long[] keys;
    private long[] counts;
    private int size;

    PairCounter(int expected) {
        int cap = Math.max(16, expected);
        slots = new LongIntMap(cap);
        keys = new long[cap];
        counts = new long[cap];
    }

    static long key(int a, int b) {
        return (long) a << 32 | (b & 0xffffffffL);
    }

    static int first(long key) {
        return (int) (key >>> 32);
    }

    static int second(long key) {
        return (int) key;
    }

    int size() {
        return size;
    }

    void add(long key, long count) {
        int slot = slots.get(key);
        if (slot < 0) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            slot = size++;
            slots.put(key, slot);
            keys[slot] = key;
        }
        counts[slot] += count;
    }

    /** Adds every pair of a partial sum. */
    void addAll(PairCounts part) {
        long[] k = part.keys();
        long[] c = part.counts();
        for (int i = 0; i < k.length; i++) {
            add(k[i], c[i]);
        }
    }

    /** The sums in ascending key order (so by first track, then second). */
    PairCounts sorted() {
        long[] sortedKeys = Arrays.copyOf(keys, size);
        Arrays.sort(sortedKeys);
        long[] sortedCounts = new long[size];
        for (int i = 0; i < size; i++) {
            sortedCounts[i] = counts[slots.get(sortedKeys[i])];
        }
        return new PairCounts(sortedKeys, sortedCounts);
    }
}
