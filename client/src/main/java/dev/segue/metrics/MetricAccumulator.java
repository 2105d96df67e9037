package dev.segue.metrics;

import dev.segue.format.ChallengeCategory;

/**
 * Averages per-playlist metric vectors overall and per challenge category (mean and standard error).
 * Not thread-safe; merge per-thread accumulators with {@link #addAll}.
 */
public final class MetricAccumulator {
    private static final int CATEGORIES = ChallengeCategory.values().length;
    private final MetricLayout layout;
    private final double[][] sum;
    private final double[][] sumSquares;
    private final long[] count;

    public MetricAccumulator(MetricLayout layout) {
        this.layout = layout;
        this.sum = new double[CATEGORIES + 1][layout.size()];
        this.sumSquares = new double[CATEGORIES + 1][layout.size()];
        this.count = new long[CATEGORIES + 1];
    }

    public MetricLayout layout() {
        return layout;
    }

    /** Adds one playlist's metrics ({@code values} laid out as {@link #layout()}). */
    public void add(ChallengeCategory category, double[] values) {
        addTo(CATEGORIES, values);
        addTo(category.ordinal(), values);
    }

    public void addAll(MetricAccumulator other) {
        for (int c = 0; c <= CATEGORIES; c++) {
            count[c] += other.count[c];
            for (int m = 0; m < layout.size(); m++) {
                sum[c][m] += other.sum[c][m];
                sumSquares[c][m] += other.sumSquares[c][m];
            }
        }
    }

    private void addTo(int row, double[] values) {
        count[row]++;
        double[] s = sum[row];
        double[] q = sumSquares[row];
        for (int m = 0; m < s.length; m++) {
            s[m] += values[m];
            q[m] += values[m] * values[m];
        }
    }

    public long count() {
        return count[CATEGORIES];
    }

    public long count(ChallengeCategory category) {
        return count[category.ordinal()];
    }

    /** Overall means ({@code NaN} when empty). */
    public double[] means() {
        return means(CATEGORIES);
    }

    public double[] means(ChallengeCategory category) {
        return means(category.ordinal());
    }

    /** Standard errors of the overall means. */
    public double[] standardErrors() {
        return standardErrors(CATEGORIES);
    }

    public double[] standardErrors(ChallengeCategory category) {
        return standardErrors(category.ordinal());
    }

    private double[] means(int row) {
        double[] out = new double[layout.size()];
        for (int m = 0; m < out.length; m++) {
            out[m] = count[row] == 0 ? Double.NaN : sum[row][m] / count[row];
        }
        return out;
    }

    private double[] standardErrors(int row) {
        double[] out = new double[layout.size()];
        long n = count[row];
        for (int m = 0; m < out.length; m++) {
            if (n < 2) {
                out[m] = Double.NaN;
                continue;
            }
            double mean = sum[row][m] / n;
            double variance = Math.max(0, (sumSquares[row][m] - n * mean * mean) / (n - 1));
            out[m] = Math.sqrt(variance / n);
        }
        return out;
    }
}
