package dev.segue.eval.stats;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A paired comparison of two methods on the same playlists: the per-playlist differences {@code d = a − b}, their
 * mean and standard error, the paired t statistic {@code t = mean(d) / (sd(d) / √n)} with its two-sided p-value
 * (Student's t with n − 1 degrees of freedom, Apache Commons Math), and a sign-flip permutation p-value: under the
 * null hypothesis that the two methods are exchangeable on each playlist every difference is as likely to have
 * either sign, so the p-value is the share of random sign assignments whose mean is at least as far from 0 as the
 * observed one, {@code (1 + hits) / (1 + resamples)}, from a fixed seed (the same inputs give the same p).
 */
public final class PairedTest {
    /** Resamples of the sign-flip test unless asked otherwise. */
    public static final int DEFAULT_RESAMPLES = 10_000;
    /** Seed of the sign-flip test unless asked otherwise (the challenge's year). */
    public static final long DEFAULT_SEED = 2018L;

    /**
     * @param meanDifference mean of a − b
     * @param stderr         standard error of that mean (sample sd / √n)
     * @param t              paired t statistic (NaN when n < 2 or every difference is 0)
     * @param pT             two-sided p-value of t (1 when every difference is 0, NaN when n < 2)
     * @param pSignFlip      two-sided sign-flip permutation p-value
     */
    public record Result(int n, double meanA, double meanB, double meanDifference, double stderr, double t,
                         double pT, double pSignFlip, int resamples) {}

    private PairedTest() {}

    public static Result of(double[] a, double[] b, int resamples, long seed) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples differ in size: " + a.length + " and " + b.length);
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be positive, got " + resamples);
        }
        int n = a.length;
        double[] d = new double[n];
        double sumA = 0;
        double sumB = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            d[i] = a[i] - b[i];
            sumA += a[i];
            sumB += b[i];
            sum += d[i];
        }
        if (n == 0) {
            return new Result(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    resamples);
        }
        double mean = sum / n;
        double ss = 0;
        for (double x : d) {
            ss += (x - mean) * (x - mean);
        }
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN;
        double se = sd / Math.sqrt(n);
        double t;
        double pT;
        if (n < 2) {
            t = Double.NaN;
            pT = Double.NaN;
        } else if (se == 0) {
            t = mean == 0 ? Double.NaN : Math.copySign(Double.POSITIVE_INFINITY, mean);
            pT = mean == 0 ? 1.0 : 0.0;
        } else {
            t = mean / se;
            pT = 2 * new TDistribution(null, n - 1).cumulativeProbability(-Math.abs(t));
        }
        return new Result(n, sumA / n, sumB / n, mean, se, t, pT, signFlip(d, sum, resamples, seed), resamples);
    }

    /** The two-sided sign-flip p-value of the sum of {@code d} (the mean's, as n is fixed). */
    static double signFlip(double[] d, double observedSum, int resamples, long seed) {
        double observed = Math.abs(observedSum);
        double tolerance = 1e-9 * Math.max(1.0, observed); // a resample equal to the observed sum counts as a hit
        SplittableRandom random = new SplittableRandom(seed);
        int hits = 0;
        for (int r = 0; r < resamples; r++) {
            double s = 0;
            long bits = 0;
            for (int i = 0; i < d.length; i++) {
                if ((i & 63) == 0) {
                    bits = random.nextLong();
                }
                s += (bits & 1L) == 0 ? d[i] : -d[i];
                bits >>>= 1;
            }
            if (Math.abs(s) >= observed - tolerance) {
                hits++;
            }
        }
        return (1.0 + hits) / (1.0 + resamples);
    }
}
