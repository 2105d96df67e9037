package dev.segue.als;

import java.util.Arrays;
import java.util.Map;

/**
 * Computes a playlist (user) vector for seed tracks by solving the training's row equation against fixed
 * item factors — the same {@link RowSolver} math the ALS pipeline uses, so serving and training agree.
 *
 * <p>By default the row equation is solved exactly (Cholesky), as {@code implicit}'s
 * {@code recalculate_user} does: training warm-starts each CG solve from the previous iterate, which a
 * fold-in from scratch cannot, so a few CG steps from zero would be a worse answer to the same equation.
 * {@link #userVectorCg} runs a bounded number of CG steps instead, for callers that trade accuracy for
 * latency.
 *
 * <p>Instances are immutable and thread-safe; each call allocates its own scratch space.
 */
public final class FoldIn {
    private final float[] itemFactors;
    private final int numItems;
    private final int d;
    private final double[] gram;
    private final WrmfParams params;

    /**
     * @param itemFactors packed row-major item factors {@code float[n*d]} (not copied; must not be modified)
     * @param gram        {@code YᵀY} of those factors (d×d row-major), e.g. from {@link Gram#compute}
     */
    public FoldIn(float[] itemFactors, int numItems, int d, double[] gram, WrmfParams params) {
        Gram.checkShape(itemFactors, numItems, d);
        if (gram.length != d * d) {
            throw new IllegalArgumentException("gram has " + gram.length + " entries, expected " + d * d);
        }
        this.itemFactors = itemFactors;
        this.numItems = numItems;
        this.d = d;
        this.gram = gram;
        this.params = params;
    }

    /** Fold-in over item factors with parameters read from a {@code track_factors} manifest; computes the Gram. */
    public static FoldIn fromParameters(float[] itemFactors, int d, Map<String, String> manifestParameters) {
        if (d < 1 || itemFactors.length % d != 0) {
            throw new IllegalArgumentException("factors of length " + itemFactors.length + " are not rows of " + d);
        }
        int n = itemFactors.length / d;
        return new FoldIn(itemFactors, n, d, Gram.compute(itemFactors, n, d), WrmfParams.fromParameters(manifestParameters));
    }

    public int dimension() {
        return d;
    }

    public int numItems() {
        return numItems;
    }

    public WrmfParams params() {
        return params;
    }

    /** A copy of {@code YᵀY}. */
    public double[] gram() {
        return gram.clone();
    }

    /** User vector for seed item ids; a repeated id counts as a higher raw count {@code r}. */
    public float[] userVector(int[] itemIds) {
        return userVector(itemIds, null);
    }

    /**
     * User vector for seed item ids with raw counts ({@code counts == null} means 1 each; repeated ids add up).
     * No seeds give the zero vector.
     *
     * @throws IllegalArgumentException an id outside {@code 0..numItems-1} or a non-positive count
     */
    public float[] userVector(int[] itemIds, float[] counts) {
        Row row = row(itemIds, counts);
        if (row.cols.length == 0) {
            return new float[d];
        }
        double[] x = new RowSolver(d).exact(gram, params.regularization(), itemFactors, row.cols, row.conf, 0,
                row.cols.length);
        float[] out = new float[d];
        for (int a = 0; a < d; a++) {
            out[a] = (float) x[a];
        }
        return out;
    }

    /** Like {@link #userVector(int[], float[])} but with at most {@code steps} CG steps from zero. */
    public float[] userVectorCg(int[] itemIds, float[] counts, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        Row row = row(itemIds, counts);
        return new RowSolver(d).conjugateGradientFromZero(gram, params.regularization(), itemFactors, row.cols,
                row.conf, 0, row.cols.length, steps);
    }

    private record Row(int[] cols, float[] conf) {}

    /** Distinct ids in ascending order with their summed counts turned into confidences. */
    private Row row(int[] itemIds, float[] counts) {
        int m = itemIds.length;
        if (counts != null && counts.length != m) {
            throw new IllegalArgumentException(m + " item ids but " + counts.length + " counts");
        }
        long[] order = new long[m];
        for (int k = 0; k < m; k++) {
            int id = itemIds[k];
            if (id < 0 || id >= numItems) {
                throw new IllegalArgumentException("item id " + id + " is outside 0.." + (numItems - 1));
            }
            if (counts != null && !(counts[k] > 0)) {
                throw new IllegalArgumentException("count of item " + id + " must be positive, got " + counts[k]);
            }
            order[k] = ((long) id << 32) | k;
        }
        Arrays.sort(order);
        int[] cols = new int[m];
        float[] raw = new float[m];
        int distinct = 0;
        for (int k = 0; k < m; k++) {
            int id = (int) (order[k] >>> 32);
            int index = (int) order[k];
            float r = counts == null ? 1f : counts[index];
            if (distinct > 0 && cols[distinct - 1] == id) {
                raw[distinct - 1] += r;
            } else {
                cols[distinct] = id;
                raw[distinct] = r;
                distinct++;
            }
        }
        int[] outCols = Arrays.copyOf(cols, distinct);
        float[] conf = new float[distinct];
        for (int k = 0; k < distinct; k++) {
            conf[k] = (float) params.confidence(raw[k]);
        }
        return new Row(outCols, conf);
    }
}
