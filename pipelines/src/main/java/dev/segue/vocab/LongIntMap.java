package dev.segue.vocab;

import java.util.Arrays;

/** Open-addressing map from {@code long} keys to non-negative {@code int} values, without boxing. */
public final class LongIntMap {
    private static final int FREE = -1;

    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    public LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, (int) Math.min(1 << 30, expected * 2L)) - 1) << 1;
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(values, FREE);
        mask = cap - 1;
    }

    public int size() {
        return size;
    }

    /** The value for {@code key}, or -1. */
    public int get(long key) {
        int i = slot(key);
        while (values[i] != FREE) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return FREE;
    }

    /** Sets {@code key} to {@code value} (≥ 0); returns the previous value or -1. */
    public int put(long key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values must be non-negative, got " + value);
        }
        if ((size + 1) * 2L > keys.length) {
            grow();
        }
        int i = slot(key);
        while (values[i] != FREE) {
            if (keys[i] == key) {
                int old = values[i];
                values[i] = value;
                return old;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
        return FREE;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(values, FREE);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != FREE) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
