package dev.segue.math;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The one heap of scored ids (Lucene's {@code NeighborQueue} is the model): a binary heap over parallel
 * primitive arrays ({@code double} scores, {@code int} ids), so a scan of millions of rows or a graph walk
 * allocates nothing per entry. One ranking everywhere: a higher score is better, and equal scores rank the
 * lower id first, so results are deterministic and an exact scan and a graph search order ties the same way.
 * Float scores are stored exactly (widening is lossless) and compare as they did as floats.
 *
 * <ul>
 *   <li>{@link #topK(long)}: the k best entries seen — the worst kept one at the top, replaced when a better
 *       one arrives; the arrays grow on demand up to k, so a huge k costs only what is kept.</li>
 *   <li>{@link #bestFirst(int)}: an unbounded queue that pops the best entry first (a graph search's
 *       candidates).</li>
 * </ul>
 *
 * <p>Graph walks on float scores (the HNSW build and level-0 search) use {@link FloatScoreHeap}: this ranking
 * packed into one {@code long} per entry, tested entry for entry against this class.
 */
public final class ScoreHeap implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int INITIAL = 1024;

    private final boolean bestOnTop;
    private final long capacity; // Long.MAX_VALUE: unbounded
    private double[] scores;
    private int[] ids;
    private int size;

    private ScoreHeap(boolean bestOnTop, long capacity, int initial) {
        this.bestOnTop = bestOnTop;
        this.capacity = capacity;
        this.scores = new double[initial];
        this.ids = new int[initial];
    }

    /** Keeps the {@code k} best entries offered; the top is the worst of them (the entry threshold). */
    public static ScoreHeap topK(long k) {
        if (k < 0 || k > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("k must be between 0 and " + (Integer.MAX_VALUE - 8) + ", got " + k);
        }
        return new ScoreHeap(false, k, (int) Math.min(k, INITIAL));
    }

    /** An unbounded queue whose top is the best entry, starting with room for {@code initialCapacity}. */
    public static ScoreHeap bestFirst(int initialCapacity) {
        if (initialCapacity < 1) {
            throw new IllegalArgumentException("initial capacity must be >= 1, got " + initialCapacity);
        }
        return new ScoreHeap(true, Long.MAX_VALUE, initialCapacity);
    }

    public int size() {
        return size;
    }

    /** k of a {@link #topK} heap. */
    public long capacity() {
        return capacity;
    }

    public boolean isFull() {
        return size >= capacity;
    }

    public void clear() {
        size = 0;
    }

    /** The top entry's score: the worst kept for {@link #topK}, the best for {@link #bestFirst} (size &gt; 0). */
    public double topScore() {
        return scores[0];
    }

    /** The top entry's id (size &gt; 0). */
    public int topId() {
        return ids[0];
    }

    /** The lowest score a {@link #topK} heap keeps, or −∞ while it holds fewer than k. */
    public double threshold() {
        return size < capacity ? Double.NEGATIVE_INFINITY : scores[0];
    }

    /** Whether an entry with this score could enter a {@link #topK} heap (a cheap check before offering). */
    public boolean accepts(double score) {
        return size < capacity || score > scores[0];
    }

    /**
     * Adds an entry. A full {@link #topK} heap keeps it only if it ranks above the worst kept entry, which it
     * then replaces.
     *
     * @return whether the entry was kept
     */
    public boolean offer(int id, double score) {
        if (size < capacity) {
            if (size == ids.length) {
                int grown = (int) Math.min(capacity, Math.max(1L, 2L * size));
                ids = Arrays.copyOf(ids, grown);
                scores = Arrays.copyOf(scores, grown);
            }
            siftUp(size++, id, score);
            return true;
        }
        if (size > 0 && better(score, id, scores[0], ids[0])) {
            siftDown(0, id, score);
            return true;
        }
        return false;
    }

    /** Removes the top entry and returns its id (size &gt; 0). */
    public int pop() {
        int top = ids[0];
        size--;
        if (size > 0) {
            siftDown(0, ids[size], scores[size]);
        }
        return top;
    }

    /** Score of the i-th stored entry in heap order (not ranked), {@code 0 <= i < size}: for merging and sums. */
    public double score(int i) {
        return scores[i];
    }

    /** Id of the i-th stored entry in heap order (not ranked). */
    public int id(int i) {
        return ids[i];
    }

    /** Offers every entry of {@code other} (merging the partial top-k of shards). */
    public void addAll(ScoreHeap other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.ids[i], other.scores[i]);
        }
    }

    /** The number of entries scoring strictly above {@code threshold}. */
    public long countAbove(double threshold) {
        long c = 0;
        for (int i = 0; i < size; i++) {
            if (scores[i] > threshold) {
                c++;
            }
        }
        return c;
    }

    /**
     * Moves the entries, best first, into the arrays and empties the heap.
     *
     * @return the number written
     */
    public int drainBestFirst(int[] outIds, float[] outScores) {
        int n = size;
        for (int k = 0; k < n; k++) {
            int pos = bestOnTop ? k : n - 1 - k;
            outIds[pos] = ids[0];
            outScores[pos] = (float) scores[0];
            pop();
        }
        return n;
    }

    /** The ids, best first (empties the heap). */
    public int[] drainBestFirst() {
        int n = size;
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[bestOnTop ? k : n - 1 - k] = ids[0];
            pop();
        }
        return out;
    }

    /** True when (s1, id1) ranks above (s2, id2). */
    private static boolean better(double s1, int id1, double s2, int id2) {
        return s1 > s2 || (s1 == s2 && id1 < id2);
    }

    /** Whether (s1, id1) belongs above (s2, id2) in this heap. */
    private boolean above(double s1, int id1, double s2, int id2) {
        return bestOnTop ? better(s1, id1, s2, id2) : better(s2, id2, s1, id1);
    }

    private void siftUp(int i, int id, double score) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!above(score, id, scores[parent], ids[parent])) {
                break;
            }
            ids[i] = ids[parent];
            scores[i] = scores[parent];
            i = parent;
        }
        ids[i] = id;
        scores[i] = score;
    }

    private void siftDown(int i, int id, double score) {
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && above(scores[child + 1], ids[child + 1], scores[child], ids[child])) {
                child++;
            }
            if (!above(scores[child], ids[child], score, id)) {
                break;
            }
            ids[i] = ids[child];
            scores[i] = scores[child];
            i = child;
        }
        ids[i] = id;
        scores[i] = score;
    }
}
