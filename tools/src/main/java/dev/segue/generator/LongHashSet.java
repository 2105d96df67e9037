package dev.segue.generator;

import java.nio.charset.StandardCharsets;

/** An open-addressing set of 64-bit keys (used for URI fingerprints: millions of them without boxing). */
final class LongHashSet {
    private static final long EMPTY = 0;
    private long[] slots = new long[1 << 16];
    private int size;
    private boolean hasZero;

    /** A 64-bit fingerprint of a string (FNV-1a over UTF-8, then mixed). */
    static long fingerprint(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return RandomStreams.mix64(h);
    }

    boolean add(long key) {
        if (key == EMPTY) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if (size * 2 >= slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = (int) (RandomStreams.mix64(key) & mask); ; i = (i + 1) & mask) {
            if (slots[i] == key) {
                return false;
            }
            if (slots[i] == EMPTY) {
                slots[i] = key;
                size++;
                return true;
            }
        }
    }

    boolean contains(long key) {
        if (key == EMPTY) {
            return hasZero;
        }
        int mask = slots.length - 1;
        for (int i = (int) (RandomStreams.mix64(key) & mask); ; i = (i + 1) & mask) {
            if (slots[i] == key) {
                return true;
            }
            if (slots[i] == EMPTY) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (long k : old) {
            if (k != EMPTY) {
                add(k);
            }
        }
    }

    int size() {
        return size + (hasZero ? 1 : 0);
    }
}
