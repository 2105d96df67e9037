package dev.segue.genre;

import dev.segue.churn.ExactSum;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Exact per-column count, sum, sum of squares, minimum and maximum of the numeric audio features, merged
 * across shards; from it the standardisation parameters (population standard deviation, as scikit-learn's
 * StandardScaler), identical whatever the runner's split.
 */
public final class AudioStats implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int WIDTH = AudioBlock.WIDTH;

    long count;
    final ExactSum[] sum = new ExactSum[WIDTH];
    final ExactSum[] sumSq = new ExactSum[WIDTH];
    final double[] min = new double[WIDTH];
    final double[] max = new double[WIDTH];

    public AudioStats() {
        for (int c = 0; c < WIDTH; c++) {
            sum[c] = new ExactSum();
            sumSq[c] = new ExactSum();
            min[c] = Double.POSITIVE_INFINITY;
            max[c] = Double.NEGATIVE_INFINITY;
        }
    }

    public static AudioStats of(AudioBlock b) {
        AudioStats s = new AudioStats();
        for (int r = 0; r < b.size; r++) {
            for (int c = 0; c < WIDTH; c++) {
                double v = b.value(r, c);
                s.sum[c].add(v);
                s.sumSq[c].add(v * v);
                s.min[c] = Math.min(s.min[c], v);
                s.max[c] = Math.max(s.max[c], v);
            }
        }
        s.count = b.size;
        return s;
    }

    public static AudioStats merge(Iterable<AudioStats> parts) {
        AudioStats out = new AudioStats();
        for (AudioStats p : parts) {
            out.count += p.count;
            for (int c = 0; c < WIDTH; c++) {
                out.sum[c].addAll(p.sum[c]);
                out.sumSq[c].addAll(p.sumSq[c]);
                out.min[c] = Math.min(out.min[c], p.min[c]);
                out.max[c] = Math.max(out.max[c], p.max[c]);
            }
        }
        return out;
    }

    /** The standardisation these statistics define; fails when there are no rows. */
    public Standardization standardization() {
        if (count == 0) {
            throw new IllegalArgumentException("the audio file has no usable row");
        }
        double[] mean = new double[WIDTH];
        double[] std = new double[WIDTH];
        BigDecimal n = BigDecimal.valueOf(count);
        for (int c = 0; c < WIDTH; c++) {
            BigDecimal s = sum[c].value();
            mean[c] = ExactSum.mean(s, count);
            // population variance = (Σx² − (Σx)²/n) / n, exactly up to the final rounding
            BigDecimal var = sumSq[c].value().subtract(s.multiply(s).divide(n, MathContext.DECIMAL128))
                    .divide(n, MathContext.DECIMAL128);
            std[c] = var.signum() <= 0 ? 0 : Math.sqrt(var.doubleValue());
        }
        return new Standardization(AudioLayout.NUMERIC.toArray(new String[0]), mean, std, min.clone(), max.clone(), count);
    }
}
