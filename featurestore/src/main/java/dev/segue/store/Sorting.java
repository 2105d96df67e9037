package dev.segue.store;

/** Stable LSD radix ordering of rows by several long keys; no boxing, O(passes * n). */
final class Sorting {
    private static final int BITS = 11;
    private static final int RADIX = 1 << BITS;

    private Sorting() {
    }

    /** Rows sorted by (key, ts, original row): parallel arrays, ready to stream sequentially. */
    record Sorted(long[] keys, long[] ts, int[] rows) {
    }

    /**
     * Sorts rows [0, n) by key, then event time, then row, returning sorted copies. Keys are radix-sorted (a few
     * passes for realistic key ranges) carrying the row; each run of equal keys, usually short, is then ordered by
     * time: insertion sort when short, a radix ordering of the run otherwise.
     */
    static Sorted byKeyThenTime(long[] keys, long[] ts, int n) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long v = keys[i];
            if (v < min) min = v;
            if (v > max) max = v;
        }
        long[] sk = new long[n];
        long[] st = new long[n];
        int[] perm = new int[n];
        long range = max - min;
        if (n > 0 && range >= 0 && range < (1L << 32)) {
            // one array of (key - min) << 31 | row: radix passes then write a single stream per bucket
            long[] packed = new long[n];
            for (int i = 0; i < n; i++) {
                packed[i] = ((keys[i] - min) << 31) | i;
            }
            long[] tmp = new long[n];
            int[] count = new int[RADIX];
            for (int shift = 31; shift < 63 && (range >>> (shift - 31)) != 0; shift += BITS) {
                java.util.Arrays.fill(count, 0);
                for (int i = 0; i < n; i++) {
                    count[(int) ((packed[i] >>> shift) & (RADIX - 1))]++;
                }
                int sum = 0;
                for (int d = 0; d < RADIX; d++) {
                    int c = count[d];
                    count[d] = sum;
                    sum += c;
                }
                for (int i = 0; i < n; i++) {
                    long v = packed[i];
                    tmp[count[(int) ((v >>> shift) & (RADIX - 1))]++] = v;
                }
                long[] t = packed;
                packed = tmp;
                tmp = t;
            }
            for (int i = 0; i < n; i++) {
                long v = packed[i];
                int row = (int) (v & 0x7fff_ffffL);
                sk[i] = (v >>> 31) + min;
                perm[i] = row;
                st[i] = ts[row];
            }
        } else {
            int[] o = order(n, keys);
            for (int i = 0; i < n; i++) {
                int p = o[i];
                sk[i] = keys[p];
                st[i] = ts[p];
                perm[i] = p;
            }
        }
        int start = 0;
        while (start < n) {
            int end = start + 1;
            while (end < n && sk[end] == sk[start]) {
                end++;
            }
            int len = end - start;
            if (len > 1 && len <= 32) {
                for (int i = start + 1; i < end; i++) {
                    long t = st[i];
                    int r = perm[i];
                    int j = i - 1;
                    while (j >= start && (st[j] > t || (st[j] == t && perm[j] > r))) {
                        st[j + 1] = st[j];
                        perm[j + 1] = perm[j];
                        j--;
                    }
                    st[j + 1] = t;
                    perm[j + 1] = r;
                }
            } else if (len > 32) {
                long[] runTs = java.util.Arrays.copyOfRange(st, start, end);
                long[] runRows = new long[len];
                for (int i = 0; i < len; i++) {
                    runRows[i] = perm[start + i];
                }
                int[] o = order(len, runTs, runRows);
                for (int i = 0; i < len; i++) {
                    st[start + i] = runTs[o[i]];
                    perm[start + i] = (int) runRows[o[i]];
                }
            }
            start = end;
        }
        return new Sorted(sk, st, perm);
    }

    /**
     * The permutation that orders rows [0, n) by {@code keys[0]}, then {@code keys[1]}, ... (signed comparison),
     * ties kept in row order. Null key arrays are skipped.
     */
    static int[] order(int n, long[]... keys) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int[] permTmp = new int[n];
        long[] vals = new long[n];
        long[] valsTmp = new long[n];
        int[] count = new int[RADIX];
        for (int k = keys.length - 1; k >= 0; k--) {
            long[] a = keys[k];
            if (a == null) {
                continue;
            }
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                long v = a[perm[i]];
                vals[i] = v;
                if (v < min) min = v;
                if (v > max) max = v;
            }
            if (n == 0 || min == max) {
                continue;
            }
            long range = max - min; // as unsigned: wraps correctly for any signed min/max
            for (int i = 0; i < n; i++) {
                vals[i] -= min;
            }
            for (int shift = 0; shift < 64 && (range >>> shift) != 0; shift += BITS) {
                java.util.Arrays.fill(count, 0);
                for (int i = 0; i < n; i++) {
                    count[(int) ((vals[i] >>> shift) & (RADIX - 1))]++;
                }
                int sum = 0;
                for (int d = 0; d < RADIX; d++) {
                    int c = count[d];
                    count[d] = sum;
                    sum += c;
                }
                for (int i = 0; i < n; i++) {
                    int pos = count[(int) ((vals[i] >>> shift) & (RADIX - 1))]++;
                    valsTmp[pos] = vals[i];
                    permTmp[pos] = perm[i];
                }
                long[] tv = vals;
                vals = valsTmp;
                valsTmp = tv;
                int[] tp = perm;
                perm = permTmp;
                permTmp = tp;
            }
        }
        return perm;
    }
}
