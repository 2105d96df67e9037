package dev.segue.churn;

import java.io.Serializable;

/**
 * The k largest values seen (a primitive min-heap). Exact upper percentiles over distributed data: each
 * shard keeps its k largest, the merge keeps the global k largest, and the k-th largest is the percentile
 * once k is the number of values at or above the percentile's rank.
 */
public final class TopK implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int k;
    private double[] heap;
    private int size;

    public TopK(long k) {
        if (k < 0 || k > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("k out of range: " + k);
        }
        this.k = (int) k;
        this.heap = new double[(int) Math.min(k, 1024)];
    }

    public void add(double v) {
        if (k == 0) {
            return;
        }
        if (size < k) {
            if (size == heap.length) {
                heap = java.util.Arrays.copyOf(heap, (int) Math.min((long) k, heap.length * 2L));
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= v) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = v;
        } else if (v > heap[0]) {
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) {
                    break;
                }
                if (c + 1 < size && heap[c + 1] < heap[c]) {
                    c++;
                }
                if (heap[c] >= v) {
                    break;
                }
                heap[i] = heap[c];
                i = c;
            }
            heap[i] = v;
        }
    }

    public void addAll(TopK other) {
        for (int i = 0; i < other.size; i++) {
            add(other.heap[i]);
        }
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return k;
    }

    /** The k-th largest value (the smallest kept), or NaN when fewer than k values were seen or k is 0. */
    public double kthLargest() {
        return k > 0 && size == k ? heap[0] : Double.NaN;
    }

    /** The number and exact sum of the kept values strictly above {@code threshold}. */
    public long countAbove(double threshold) {
        long c = 0;
        for (int i = 0; i < size; i++) {
            if (heap[i] > threshold) {
                c++;
            }
        }
        return c;
    }

    public ExactSum sumAbove(double threshold) {
        ExactSum s = new ExactSum();
        for (int i = 0; i < size; i++) {
            if (heap[i] > threshold) {
                s.add(heap[i]);
            }
        }
        return s;
    }
}
