package dev.segue.churn;

import dev.segue.math.ScoreHeap;

/**
 * The 99.9th percentile as the study's cleaning uses it, defined exactly (nearest rank): of n values sorted
 * ascending, the value at 1-based rank ⌈0.999·n⌉. "Above the percentile" means strictly greater, so at most
 * 0.1% of the values are dropped, and none when n ≤ 1000 (the percentile is then the maximum).
 */
public final class Percentile {
    private Percentile() {}

    /** ⌈0.999·n⌉ computed in integers. */
    public static long rank999(long n) {
        return (999 * n + 999) / 1000;
    }

    /**
     * The k-th largest value offered to a {@link ScoreHeap#topK topK(k)} heap (the smallest it keeps; the
     * percentile when k is {@link #topCount999}), or NaN when fewer than k values were seen or k is 0.
     */
    public static double kthLargest(ScoreHeap top) {
        return top.capacity() > 0 && top.isFull() ? top.topScore() : Double.NaN;
    }

    /** The exact sum of the values a heap keeps strictly above {@code threshold}. */
    public static ExactSum sumAbove(ScoreHeap top, double threshold) {
        ExactSum s = new ExactSum();
        for (int i = 0; i < top.size(); i++) {
            if (top.score(i) > threshold) {
                s.add(top.score(i));
            }
        }
        return s;
    }

    /** How many of the largest values one must keep to know the percentile: n − rank + 1 (0 for n = 0). */
    public static long topCount999(long n) {
        return n == 0 ? 0 : n - rank999(n) + 1;
    }
}
