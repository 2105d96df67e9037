package dev.segue.churn;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * An exact sum of doubles, so a mean does not depend on how a runner splits and merges the data: the cleaning
 * means replace values that later fall into play-time buckets, and a one-ulp difference could move a play
 * across a bucket edge. Integral values (the usual case for seconds) are summed in a long; others in a
 * BigDecimal.
 */
public final class ExactSum implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double LONG_SAFE = 9.0e15;

    private long integral;
    private BigDecimal rest;

    public void add(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("cannot sum a non-finite value: " + v);
        }
        if (v == Math.rint(v) && Math.abs(v) < LONG_SAFE) {
            long x = (long) v;
            long r = integral + x;
            if (((integral ^ r) & (x ^ r)) < 0) {
                spill();
                integral = x;
            } else {
                integral = r;
            }
        } else {
            rest = rest == null ? new BigDecimal(v) : rest.add(new BigDecimal(v));
        }
    }

    private void spill() {
        BigDecimal i = BigDecimal.valueOf(integral);
        rest = rest == null ? i : rest.add(i);
        integral = 0;
    }

    public void addAll(ExactSum other) {
        if (other.rest != null) {
            rest = rest == null ? other.rest : rest.add(other.rest);
        }
        long x = other.integral;
        long r = integral + x;
        if (((integral ^ r) & (x ^ r)) < 0) {
            spill();
            integral = x;
        } else {
            integral = r;
        }
    }

    public BigDecimal value() {
        BigDecimal i = BigDecimal.valueOf(integral);
        return rest == null ? i : rest.add(i);
    }

    /** sum / n rounded through 34 significant digits to a double; NaN when n is 0. */
    public static double mean(BigDecimal sum, long n) {
        if (n <= 0) {
            return Double.NaN;
        }
        return sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue();
    }
}
