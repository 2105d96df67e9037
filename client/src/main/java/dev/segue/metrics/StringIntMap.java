package dev.segue.metrics;

import java.util.Arrays;

/**
 * An open-addressing map from strings to non-negative ints, so hot lookups (a recommended URI against the
 * truth or the catalog) neither box nor allocate. {@link #get} returns -1 for a missing key.
 */
public final class StringIntMap {
    private String[] keys;
    private int[] values;
    private int size;
    private int mask;

    public StringIntMap() {
        this(16);
    }

    public StringIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new String[capacity];
        values = new int[capacity];
        mask = capacity - 1;
    }

    public int size() {
        return size;
    }

    /** The value of {@code key}, or -1. */
    public int get(String key) {
        if (key == null) {
            return -1;
        }
        int i = mix(key.hashCode()) & mask;
        while (true) {
            String k = keys[i];
            if (k == null) {
                return -1;
            }
            if (k.equals(key)) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
    }

    /** Stores {@code value} (≥ 0) under {@code key}; returns the previous value or -1. */
    public int put(String key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values must be >= 0: " + value);
        }
        int i = mix(key.hashCode()) & mask;
        while (true) {
            String k = keys[i];
            if (k == null) {
                keys[i] = key;
                values[i] = value;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return -1;
            }
            if (k.equals(key)) {
                int old = values[i];
                values[i] = value;
                return old;
            }
            i = (i + 1) & mask;
        }
    }

    /** The value of {@code key}, inserting {@code size()} (the next dense id) when absent. */
    public int idOf(String key) {
        int id = get(key);
        if (id >= 0) {
            return id;
        }
        id = size;
        put(key, id);
        return id;
    }

    public void clear() {
        Arrays.fill(keys, null);
        size = 0;
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldValues = values;
        keys = new String[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
