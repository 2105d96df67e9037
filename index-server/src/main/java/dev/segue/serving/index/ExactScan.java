package dev.segue.serving.index;

import dev.segue.math.ScoreHeap;

/**
 * Brute-force maximum inner product: scores every accepted row. The reference the graph is measured
 * against, and the fallback when a filter leaves too few rows for a graph search to find k of them.
 */
public final class ExactScan {
    private static final int CANCEL_CHECK_ROWS = 8192;

    private final FactorMatrix factors;

    public ExactScan(FactorMatrix factors) {
        this.factors = factors;
    }

    /** Top {@code k} over all rows accepted by {@code filter}. */
    public Candidates search(float[] query, int k, RowFilter filter, Cancellation cancel) {
        factors.checkQuery(query);
        ScoreHeap top = ScoreHeap.topK(Math.min(k, factors.rows()));
        int n = factors.rows();
        for (int row = 0; row < n; row++) {
            if ((row & (CANCEL_CHECK_ROWS - 1)) == 0) {
                cancel.check();
            }
            if (filter.accept(row)) {
                top.offer(row, factors.dot(row, query));
            }
        }
        return Candidates.drain(top);
    }

    /** Top {@code k} over an explicit list of rows (e.g. the tracks of allow-listed artists). */
    public Candidates search(float[] query, int k, int[] rows, RowFilter filter, Cancellation cancel) {
        factors.checkQuery(query);
        ScoreHeap top = ScoreHeap.topK(Math.min(k, rows.length));
        for (int i = 0; i < rows.length; i++) {
            if ((i & (CANCEL_CHECK_ROWS - 1)) == 0) {
                cancel.check();
            }
            int row = rows[i];
            if (filter.accept(row)) {
                top.offer(row, factors.dot(row, query));
            }
        }
        return Candidates.drain(top);
    }
}
