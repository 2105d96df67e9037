package dev.segue.vocab;

/** Stable merge sort of an index permutation under a primitive comparator (no boxing). */
public final class IndexSort {
    /** Compares positions {@code a} and {@code b} of whatever arrays the caller sorts by. */
    @FunctionalInterface
    public interface IndexComparator {
        int compare(int a, int b);
    }

    private IndexSort() {}

    /** The permutation {@code 0..n-1} sorted by {@code cmp} (ties keep their index order). */
    public static int[] sort(int n, IndexComparator cmp) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        int[] b = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo, j = mid, k = lo;
                while (i < mid && j < hi) {
                    b[k++] = cmp.compare(a[j], a[i]) < 0 ? a[j++] : a[i++];
                }
                while (i < mid) {
                    b[k++] = a[i++];
                }
                while (j < hi) {
                    b[k++] = a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        return a;
    }
}
