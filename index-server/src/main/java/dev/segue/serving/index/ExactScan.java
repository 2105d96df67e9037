package dev.segue.serving.index;

import dev.segue.math.ScoreHeap;
import dev.segue.math.VectorUtil;

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
        int d = factors.dim();
        float[] values = factors.values();
        float[] four = new float[4];
        int row = 0;
        // four rows per step (VectorUtil.dot4: each row's exact score, four add chains in flight)
        for (; row + 3 < n; row += 4) {
            if ((row & (CANCEL_CHECK_ROWS - 1)) == 0) {
                cancel.check();
            }
            int off = row * d;
            VectorUtil.dot4(values, off, off + d, off + 2 * d, off + 3 * d, query, 0, d, four, 0);
            for (int j = 0; j < 4; j++) {
                if (top.accepts(four[j]) && filter.accept(row + j)) {
                    top.offer(row + j, four[j]);
                }
            }
        }
        for (; row < n; row++) {
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
