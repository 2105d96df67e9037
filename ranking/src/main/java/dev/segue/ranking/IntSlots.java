package dev.segue.ranking;

/**
 * An int → int map for one request's sets and indexes (seeds, merged candidates, artist counts): open addressing
 * with linear probing over two primitive arrays, growing at half full. Replaces {@code HashMap<Integer, …>} on the
 * serving path, where boxing every candidate cost more allocation than the features themselves. Not thread-safe;
 * one instance per request. Any int is a valid key.
 */
final class IntSlots {
    private static final int FREE = Integer.MIN_VALUE;

    private int[] keys;
    private int[] values;
    private boolean hasFreeKey;
    private int freeKeyValue;
    private int size;
    private int mask;

    /** Room for {@code expected} keys before the first growth. */
    IntSlots(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected) * 2 - 1) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new int[capacity];
        values = new int[capacity];
        java.util.Arrays.fill(keys, FREE);
        mask = capacity - 1;
    }

    private int home(int key) {
        return (key * 0x9E3779B9) >>> 7 & mask;
    }

    int size() {
        return size;
    }

    boolean contains(int key) {
        if (key == FREE) {
            return hasFreeKey;
        }
        for (int i = home(key); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                return true;
            }
            if (k == FREE) {
                return false;
            }
        }
    }

    /** The value of {@code key}, or {@code absent}. */
    int get(int key, int absent) {
        if (key == FREE) {
            return hasFreeKey ? freeKeyValue : absent;
        }
        for (int i = home(key); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == FREE) {
                return absent;
            }
        }
    }

    /** Sets {@code key} to {@code value} when absent; returns the value it already had, or {@code absent}. */
    int putIfAbsent(int key, int value, int absent) {
        return put(key, value, absent, false);
    }

    /** Sets {@code key} to {@code value}; returns the previous value, or {@code absent}. */
    int put(int key, int value, int absent) {
        return put(key, value, absent, true);
    }

    private int put(int key, int value, int absent, boolean replace) {
        if (key == FREE) {
            int old = hasFreeKey ? freeKeyValue : absent;
            if (!hasFreeKey || replace) {
                freeKeyValue = value;
            }
            if (!hasFreeKey) {
                hasFreeKey = true;
                size++;
            }
            return old;
        }
        for (int i = home(key); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                int old = values[i];
                if (replace) {
                    values[i] = value;
                }
                return old;
            }
            if (k == FREE) {
                keys[i] = key;
                values[i] = value;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return absent;
            }
        }
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int j = 0; j < oldKeys.length; j++) {
            int k = oldKeys[j];
            if (k != FREE) {
                int i = home(k);
                while (keys[i] != FREE) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                values[i] = oldValues[j];
            }
        }
    }
}
