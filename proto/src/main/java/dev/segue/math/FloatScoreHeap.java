package dev.segue.math;

import java.util.Arrays;

/**
 * The float-keyed path of {@link ScoreHeap} for graph walks (the HNSW build and search), where the heap is a
 * fifth of the time: the same two kinds ({@link #topK}, {@link #bestFirst}) and the same ranking — a higher
 * score is better, equal scores rank the lower id first — but each entry is one {@code long}, so a comparison
 * is one signed compare instead of a score compare plus a tie-break, and a move is one store instead of two
 * (Lucene's {@code NeighborQueue} packs the same way). The key is {@link #key}: the score's bits made
 * order-preserving as a signed int in the high half, the complemented id in the low half; a larger key ranks
 * higher. A best-first heap stores the complement of each key, so both kinds are the same min-heap code.
 *
 * <p>Scores are floats (a graph walk's scores are); {@code -0.0} counts as {@code 0.0}, as it does in
 * {@link ScoreHeap}'s comparisons. NaN is not a score. Ids are non-negative.
 */
public final class FloatScoreHeap {
    private static final int INITIAL = 256;

    /** 0 for top-k (min-heap of keys: the worst kept on top), −1 for best-first (min-heap of ~key: the best). */
    private final long flip;
    private final int capacity; // Integer.MAX_VALUE: unbounded
    private long[] heap;
    private int size;

    private FloatScoreHeap(long flip, int capacity, int initial) {
        this.flip = flip;
        this.capacity = capacity;
        this.heap = new long[Math.max(1, initial)];
    }

    /** Keeps the {@code k} best entries offered; the top is the worst of them (the entry threshold). */
    public static FloatScoreHeap topK(int k) {
        if (k < 0 || k > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("k must be between 0 and " + (Integer.MAX_VALUE - 8) + ", got " + k);
        }
        return new FloatScoreHeap(0L, k, Math.min(k, 1024));
    }

    /** An unbounded queue whose top is the best entry, starting with room for {@code initialCapacity}. */
    public static FloatScoreHeap bestFirst(int initialCapacity) {
        if (initialCapacity < 1) {
            throw new IllegalArgumentException("initial capacity must be >= 1, got " + initialCapacity);
        }
        return new FloatScoreHeap(-1L, Integer.MAX_VALUE, initialCapacity);
    }

    /**
     * The packed entry: {@code key(a) > key(b)} exactly when a ranks above b (higher score, or equal score and
     * lower id).
     */
    public static long key(int id, float score) {
        int bits = Float.floatToRawIntBits(score + 0.0f); // -0.0 + 0.0 = +0.0
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) sortable << 32) | (~id & 0xffffffffL);
    }

    /** The score packed in {@code key}. */
    public static float scoreOf(long key) {
        int sortable = (int) (key >> 32);
        return Float.intBitsToFloat(sortable ^ ((sortable >> 31) & 0x7fffffff));
    }

    /** The id packed in {@code key}. */
    public static int idOf(long key) {
        return ~(int) key;
    }

    public int size() {
        return size;
    }

    /** k of a {@link #topK} heap. */
    public int capacity() {
        return capacity;
    }

    public void clear() {
        size = 0;
    }

    /** The top entry's key (size &gt; 0). */
    public long topKey() {
        return heap[0] ^ flip;
    }

    /** The top entry's score: the worst kept for {@link #topK}, the best for {@link #bestFirst} (size &gt; 0). */
    public float topScore() {
        return scoreOf(heap[0] ^ flip);
    }

    /** The top entry's id (size &gt; 0). */
    public int topId() {
        return idOf(heap[0] ^ flip);
    }

    /** The lowest score a {@link #topK} heap keeps, or −∞ while it holds fewer than k. */
    public float threshold() {
        return size < capacity ? Float.NEGATIVE_INFINITY : topScore();
    }

    /** Whether an entry with this score could enter a {@link #topK} heap (a cheap check before offering). */
    public boolean accepts(float score) {
        return size < capacity || (size > 0 && score > topScore());
    }

    /** Adds an entry; see {@link #offerKey}. */
    public boolean offer(int id, float score) {
        return offerKey(key(id, score));
    }

    /**
     * Adds the entry packed in {@code key} ({@link #key}). A full {@link #topK} heap keeps it only if it ranks
     * above the worst kept entry, which it then replaces.
     *
     * @return whether the entry was kept
     */
    public boolean offerKey(long key) {
        long e = key ^ flip;
        if (size < capacity) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, (int) Math.min(capacity, 2L * size));
            }
            siftUp(size++, e);
            return true;
        }
        if (size > 0 && e > heap[0]) {
            siftDown(0, e);
            return true;
        }
        return false;
    }

    /** Removes the top entry and returns its key (size &gt; 0). */
    public long popKey() {
        long top = heap[0];
        int last = --size;
        if (last > 0) {
            siftDown(0, heap[last]);
        }
        return top ^ flip;
    }

    /** Removes the top entry and returns its id (size &gt; 0). */
    public int pop() {
        return idOf(popKey());
    }

    /**
     * Moves the entries, best first, into the arrays and empties the heap.
     *
     * @return the number written
     */
    public int drainBestFirst(int[] outIds, float[] outScores) {
        int n = size;
        boolean bestOnTop = flip != 0;
        for (int k = 0; k < n; k++) {
            long key = popKey();
            int pos = bestOnTop ? k : n - 1 - k;
            outIds[pos] = idOf(key);
            outScores[pos] = scoreOf(key);
        }
        return n;
    }

    private void siftUp(int i, long e) {
        long[] h = heap;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long p = h[parent];
            if (p <= e) {
                break;
            }
            h[i] = p;
            i = parent;
        }
        h[i] = e;
    }

    private void siftDown(int i, long e) {
        long[] h = heap;
        int n = size;
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            long c = h[child];
            if (child + 1 < n && h[child + 1] < c) {
                child++;
                c = h[child];
            }
            if (c >= e) {
                break;
            }
            h[i] = c;
            i = child;
        }
        h[i] = e;
    }
}
