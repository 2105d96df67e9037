package dev.segue.generator;

/**
 * The k best (score, id) pairs seen, kept in a primitive min-heap; ties go to the smaller id so rankings
 * are deterministic.
 */
final class TopK {
    private final int k;
    private final double[] scores;
    private final int[] ids;
    private int size;

    TopK(int k) {
        this.k = k;
        this.scores = new double[k];
        this.ids = new int[k];
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** The smallest score kept, or -infinity while fewer than k are kept. */
    double threshold() {
        return size < k ? Double.NEGATIVE_INFINITY : scores[0];
    }

    void offer(int id, double score) {
        if (size < k) {
            scores[size] = score;
            ids[size] = id;
            up(size++);
        } else if (better(score, id, scores[0], ids[0])) {
            scores[0] = score;
            ids[0] = id;
            down(0);
        }
    }

    /** The kept ids, best first (empties the heap). */
    int[] drainBestFirst() {
        int[] out = new int[size];
        for (int i = size - 1; i >= 0; i--) {
            out[i] = ids[0];
            size--;
            scores[0] = scores[size];
            ids[0] = ids[size];
            down(0);
        }
        return out;
    }

    private static boolean better(double s1, int id1, double s2, int id2) {
        return s1 > s2 || (s1 == s2 && id1 < id2);
    }

    private void up(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (better(scores[parent], ids[parent], scores[i], ids[i])) {
                swap(i, parent);
                i = parent;
            } else {
                return;
            }
        }
    }

    private void down(int i) {
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int worst = i;
            if (l < size && better(scores[worst], ids[worst], scores[l], ids[l])) {
                worst = l;
            }
            if (r < size && better(scores[worst], ids[worst], scores[r], ids[r])) {
                worst = r;
            }
            if (worst == i) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }

    private void swap(int a, int b) {
        double s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
        int t = ids[a];
        ids[a] = ids[b];
        ids[b] = t;
    }
}
