package dev.segue.util;

import java.util.Arrays;

/** A growable {@code int} array (no boxing in hot loops). */
public final class IntList {
    private int[] values;
    private int size;

    public IntList(int capacity) {
        values = new int[Math.max(4, capacity)];
    }

    public void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = v;
    }

    public int get(int i) {
        return values[i];
    }

    public int size() {
        return size;
    }

    public int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
