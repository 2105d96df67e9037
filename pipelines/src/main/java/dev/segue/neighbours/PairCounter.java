package dev.segue.neighbours;

import java.util.Arrays;

/**
 * Sums of counts per ordered track pair {@code (a, b)}, keyed {@code a << 32 | b}, in one primitive open-addressing
 * table that holds each key next to its count. Boxed maps (or one Beam element per pair) cost an allocation per
 * pair, and a run holds hundreds of millions of them.
 *
 * <p>Adding a pair is one probe sequence over one array (key and count share a cache line): in a JFR profile of the
 * {@code medium} continuation pipeline, counting pairs was the largest single step of the ingest phase, nearly all
 * of it cache misses of a key → slot map followed by separate key and count arrays (three random reads per pair).
 * {@link #sorted} radix-sorts the keys with their counts instead of looking every count up again.
 */
final class PairCounter {
    /** No pair key is negative: track ids are non-negative {@code int}s. */
    private static final long FREE = -1L;

    /** Slot {@code i}: key at {@code 2i}, count at {@code 2i + 1}. */
    private long[] table;
    private int mask;
    private int shift;
    private int size;

    PairCounter(int expected) {
        allocate(capacityFor(Math.max(16, expected)));
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
        if (key < 0) {
            throw new IllegalArgumentException("pair key " + key + " holds a negative track id");
        }
        long[] t = table;
        int i = slot(key);
        while (true) {
            long k = t[2 * i];
            if (k == key) {
                t[2 * i + 1] += count;
                return;
            }
            if (k == FREE) {
                t[2 * i] = key;
                t[2 * i + 1] = count;
                if (++size * 2L > mask + 1L) {
                    grow();
                }
                return;
            }
            i = (i + 1) & mask;
        }
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
        long[] keys = new long[size];
        long[] counts = new long[size];
        int n = 0;
        for (int i = 0; i < table.length; i += 2) {
            if (table[i] != FREE) {
                keys[n] = table[i];
                counts[n++] = table[i + 1];
            }
        }
        radixSort(keys, counts);
        return new PairCounts(keys, counts);
    }

    /**
     * Sorts non-negative {@code keys} ascending, moving {@code values} along: least significant byte first, stable,
     * skipping the bytes in which all keys agree (pair keys use the low bytes of each of their two ids).
     */
    static void radixSort(long[] keys, long[] values) {
        int n = keys.length;
        if (n < 2) {
            return;
        }
        long any = 0;
        long all = -1L;
        for (long k : keys) {
            any |= k;
            all &= k;
        }
        long varying = any ^ all;
        long[] k0 = keys, v0 = values, k1 = new long[n], v1 = new long[n];
        int[] offsets = new int[256];
        for (int shiftBits = 0; shiftBits < 64; shiftBits += 8) {
            if ((varying >>> shiftBits & 0xff) == 0) {
                continue;
            }
            Arrays.fill(offsets, 0);
            for (int i = 0; i < n; i++) {
                offsets[(int) (k0[i] >>> shiftBits) & 0xff]++;
            }
            for (int b = 0, sum = 0; b < 256; b++) {
                int c = offsets[b];
                offsets[b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int at = offsets[(int) (k0[i] >>> shiftBits) & 0xff]++;
                k1[at] = k0[i];
                v1[at] = v0[i];
            }
            long[] swap = k0;
            k0 = k1;
            k1 = swap;
            swap = v0;
            v0 = v1;
            v1 = swap;
        }
        if (k0 != keys) {
            System.arraycopy(k0, 0, keys, 0, n);
            System.arraycopy(v0, 0, values, 0, n);
        }
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private static int capacityFor(int expected) {
        long cap = Long.highestOneBit(Math.max(8L, expected * 2L - 1)) << 1;
        return (int) Math.min(cap, 1 << 28);
    }

    private void allocate(int capacity) {
        table = new long[2 * capacity];
        Arrays.fill(table, FREE);
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        size = 0;
    }

    private void grow() {
        long[] old = table;
        if (mask + 1 >= 1 << 28) {
            throw new IllegalStateException("more than " + (1 << 27) + " distinct track pairs in one partial sum");
        }
        allocate((mask + 1) * 2);
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != FREE) {
                long key = old[i];
                int s = slot(key);
                while (table[2 * s] != FREE) {
                    s = (s + 1) & mask;
                }
                table[2 * s] = key;
                table[2 * s + 1] = old[i + 1];
                size++;
            }
        }
    }
}
