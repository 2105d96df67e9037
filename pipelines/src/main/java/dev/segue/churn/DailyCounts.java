package dev.segue.churn;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lines per log date (epoch day), ascending by day; what the default snapshot is chosen from. A stray date
 * (one line dated weeks after everything else) must not move the window, so the end of the logs is the
 * <em>last busy day</em>: the last date whose count is at least {@link #BUSY_SHARE} of the typical daily
 * count. The typical daily count is the median over lines of their day's count (each day weighted by its
 * lines), so even many sparse stray dates, holding fewer than half of the lines, cannot lower it.
 */
public record DailyCounts(int[] days, long[] counts) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A day with at least this share of the typical daily count is a busy day. */
    public static final double BUSY_SHARE = 0.1;

    public static final DailyCounts EMPTY = new DailyCounts(new int[0], new long[0]);

    public DailyCounts {
        if (days.length != counts.length) {
            throw new IllegalArgumentException("days and counts differ in length");
        }
        for (int i = 1; i < days.length; i++) {
            if (days[i] <= days[i - 1]) {
                throw new IllegalArgumentException("days must be strictly ascending");
            }
        }
    }

    public static DailyCounts of(Map<Integer, Long> perDay) {
        TreeMap<Integer, Long> sorted = new TreeMap<>(perDay);
        int[] d = new int[sorted.size()];
        long[] c = new long[sorted.size()];
        int i = 0;
        for (Map.Entry<Integer, Long> e : sorted.entrySet()) {
            d[i] = e.getKey();
            c[i++] = e.getValue();
        }
        return new DailyCounts(d, c);
    }

    public static DailyCounts merge(Iterable<DailyCounts> parts) {
        TreeMap<Integer, Long> sum = new TreeMap<>();
        for (DailyCounts p : parts) {
            for (int i = 0; i < p.days.length; i++) {
                sum.merge(p.days[i], p.counts[i], Long::sum);
            }
        }
        return of(sum);
    }

    public boolean isEmpty() {
        return days.length == 0;
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** The last date with any line. */
    public int lastDay() {
        requireLines();
        return days[days.length - 1];
    }

    /** The median over lines of their day's line count (the lower median: the count at line ⌈n/2⌉). */
    public long typicalDailyCount() {
        requireLines();
        long[] sorted = counts.clone();
        Arrays.sort(sorted);
        long half = (total() + 1) / 2;
        long seen = 0;
        for (long c : sorted) {
            seen += c;
            if (seen >= half) {
                return c;
            }
        }
        throw new AssertionError("unreachable");
    }

    /** The last date whose count is at least {@link #BUSY_SHARE} of {@link #typicalDailyCount()}. */
    public int lastBusyDay() {
        double min = BUSY_SHARE * typicalDailyCount();
        for (int i = days.length - 1; i >= 0; i--) {
            if (counts[i] >= min) {
                return days[i];
            }
        }
        throw new AssertionError("the typical day is busy");
    }

    private void requireLines() {
        if (isEmpty()) {
            throw new IllegalArgumentException("the logs hold no line with a valid date");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DailyCounts c && Arrays.equals(days, c.days) && Arrays.equals(counts, c.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(days) * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "DailyCounts[" + days.length + " days, " + total() + " lines]";
    }
}
