package dev.segue.serving.index;

/**
 * The k best (highest score) ids seen so far: a bounded binary min-heap over parallel primitive arrays, so
 * a scan of millions of rows allocates nothing per row. Ties keep the lower id, so rankings are
 * deterministic and an exact scan and a re-ranked graph search order equal scores the same way.
 */
public final class TopK {
    private final int capacity;
    private final int[] ids;
    private final float[] scores;
    private int size;

    public TopK(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
        this.ids = new int[capacity];
        this.scores = new float[capacity];
    }

    public int size() {
        return size;
    }

    /** The lowest score kept (only meaningful when {@link #size()} &gt; 0). */
    public float minScore() {
        return scores[0];
    }

    /** Whether a candidate with this score could enter (cheap pre-check before computing anything else). */
    public boolean accepts(float score) {
        return size < capacity || score > scores[0];
    }

    public void offer(int id, float score) {
        if (capacity == 0) {
            return;
        }
        if (size < capacity) {
            int i = size++;
            ids[i] = id;
            scores[i] = score;
            siftUp(i);
        } else if (worse(scores[0], ids[0], score, id)) {
            ids[0] = id;
            scores[0] = score;
            siftDown(0);
        }
    }

    /**
     * Moves the contents, best first, into the given arrays and empties this heap.
     *
     * @return the number of results written
     */
    public int drainDescending(int[] outIds, float[] outScores) {
        int n = size;
        for (int pos = n - 1; pos >= 0; pos--) {
            outIds[pos] = ids[0];
            outScores[pos] = scores[0];
            size--;
            if (size > 0) {
                ids[0] = ids[size];
                scores[0] = scores[size];
                siftDown(0);
            }
        }
        return n;
    }

    /** True when (s1, id1) ranks below (s2, id2). */
    private static boolean worse(float s1, int id1, float s2, int id2) {
        return s1 < s2 || (s1 == s2 && id1 > id2);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(scores[i], ids[i], scores[parent], ids[parent])) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int right = left + 1;
            int child = right < size && worse(scores[right], ids[right], scores[left], ids[left]) ? right : left;
            if (!worse(scores[child], ids[child], scores[i], ids[i])) {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void swap(int a, int b) {
        int id = ids[a];
        ids[a] = ids[b];
        ids[b] = id;
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
    }
}
