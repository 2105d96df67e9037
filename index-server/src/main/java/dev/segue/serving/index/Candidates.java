package dev.segue.serving.index;

import dev.segue.math.ScoreHeap;

/** A ranked list of row ids with their exact inner-product scores, best first. */
public record Candidates(int[] ids, float[] scores, int size) {
    public static final Candidates EMPTY = new Candidates(new int[0], new float[0], 0);

    public Candidates {
        if (size < 0 || size > ids.length || size > scores.length) {
            throw new IllegalArgumentException("size " + size + " outside the arrays");
        }
    }

    /** The entries of a {@link ScoreHeap#topK} heap, best first (empties it). */
    static Candidates drain(ScoreHeap top) {
        int[] ids = new int[top.size()];
        float[] scores = new float[top.size()];
        int n = top.drainBestFirst(ids, scores);
        return new Candidates(ids, scores, n);
    }
}
