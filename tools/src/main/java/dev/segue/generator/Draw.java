package dev.segue.generator;

import java.util.SplittableRandom;

/** Sampling helpers over a {@link SplittableRandom}: the handful of distributions the world model uses. */
public final class Draw {
    private Draw() {}

    public static double normal(SplittableRandom r) {
        // Box-Muller; one value per call keeps streams simple and reproducible.
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    public static double lognormal(SplittableRandom r, double median, double sigma) {
        return median * Math.exp(sigma * normal(r));
    }

    /** Number of failures before the first success, success probability {@code p}. */
    public static int geometric(SplittableRandom r, double p) {
        if (p >= 1.0) {
            return 0;
        }
        double u = 1.0 - r.nextDouble();
        return (int) Math.floor(Math.log(u) / Math.log(1.0 - p));
    }

    public static int poisson(SplittableRandom r, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 30) {
            return Math.max(0, (int) Math.round(lambda + Math.sqrt(lambda) * normal(r)));
        }
        double limit = Math.exp(-lambda);
        double product = r.nextDouble();
        int n = 0;
        while (product > limit) {
            product *= r.nextDouble();
            n++;
        }
        return n;
    }

    public static double exponential(SplittableRandom r, double mean) {
        return -mean * Math.log(1.0 - r.nextDouble());
    }

    /** Index drawn with probability proportional to {@code weights[i]}. */
    public static int weighted(SplittableRandom r, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = r.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Index {@code i} in {@code [from, to)} with {@code cum[i-1] <= x < cum[i]} (cum is non-decreasing). */
    public static int search(double[] cum, int from, int to, double x) {
        int lo = from;
        int hi = to - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    public static <T> T pick(SplittableRandom r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    public static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
