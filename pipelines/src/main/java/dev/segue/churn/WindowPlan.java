package dev.segue.churn;

import java.io.Serializable;
import java.util.Arrays;
import java.util.StringJoiner;

/**
 * The snapshots of one run. Snapshot T (an epoch day) has the feature window [T − F + 1, T] and the label
 * window [T + 1, T + L], both inclusive, F = featureDays and L = labelDays (study 003: 30 and 14). An event
 * whose date lies in no window of any snapshot is dead-lettered: as {@code AFTER_LAST_WINDOW} when the plan was
 * derived from the logs ({@link #fromLogs}) and the date is after its last label window, else as
 * {@code OUTSIDE_WINDOWS}.
 */
public final class WindowPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] snapshots;
    private final int featureDays;
    private final int labelDays;
    /** How a plan derived from the logs chose its end; null for explicit snapshots. */
    private final String derivation;

    public WindowPlan(int[] snapshots, int featureDays, int labelDays) {
        this(snapshots, featureDays, labelDays, null);
    }

    private WindowPlan(int[] snapshots, int featureDays, int labelDays, String derivation) {
        if (snapshots.length == 0 && !NO_DATES.equals(derivation)) {
            throw new IllegalArgumentException("at least one snapshot date is needed");
        }
        if (featureDays < 1 || labelDays < 1) {
            throw new IllegalArgumentException("window lengths must be at least one day, got feature "
                    + featureDays + ", label " + labelDays);
        }
        int[] s = snapshots.clone();
        Arrays.sort(s);
        for (int i = 1; i < s.length; i++) {
            if (s[i] == s[i - 1]) {
                throw new IllegalArgumentException("snapshot " + LogDates.format(s[i]) + " given twice");
            }
        }
        this.snapshots = s;
        this.featureDays = featureDays;
        this.labelDays = labelDays;
        this.derivation = derivation;
    }

    /** The plan study 003 used: one snapshot whose label window ends on the last day of the logs. */
    public static WindowPlan endingAt(int lastLogDay, int featureDays, int labelDays) {
        return new WindowPlan(new int[] {lastLogDay - labelDays}, featureDays, labelDays);
    }

    /**
     * The default plan (no {@code --snapshots}): one snapshot whose label window ends on the last busy day of
     * the logs ({@link DailyCounts#lastBusyDay()}), so a few stray far-future dates neither move the window nor
     * send the whole log to dead letters; lines after that day are dead letters {@code AFTER_LAST_WINDOW}.
     */
    public static WindowPlan fromLogs(DailyCounts lines, int featureDays, int labelDays) {
        if (lines.isEmpty()) {
            return none(featureDays, labelDays);
        }
        int end = lines.lastBusyDay();
        String how = String.format(java.util.Locale.ROOT, "label window ends on %s, the last log date with at least "
                + "%.0f%% of the typical %d lines a day (median over lines of their date's count); last log date %s",
                LogDates.format(end), DailyCounts.BUSY_SHARE * 100, lines.typicalDailyCount(),
                LogDates.format(lines.lastDay()));
        return new WindowPlan(new int[] {end - labelDays}, featureDays, labelDays, how);
    }

    /** Why a derived plan has no snapshot. */
    static final String NO_DATES = "the logs hold no line with a valid and plausible date";

    /**
     * The plan derived from logs without a single valid, plausible date: no snapshot, so every line is a dead
     * letter; the cleaning statistics refuse it ({@link CleaningStatistics}) once parsing is done, so the dead
     * letters are written before the run stops.
     */
    public static WindowPlan none(int featureDays, int labelDays) {
        return new WindowPlan(new int[0], featureDays, labelDays, NO_DATES);
    }

    /** True when the plan was derived from the logs rather than given as {@code --snapshots}. */
    public boolean derived() {
        return derivation != null;
    }

    /** How a derived plan chose its end, or null for explicit snapshots. */
    public String derivation() {
        return derivation;
    }

    public int size() {
        return snapshots.length;
    }

    public int snapshot(int i) {
        return snapshots[i];
    }

    public int[] snapshots() {
        return snapshots.clone();
    }

    public int featureDays() {
        return featureDays;
    }

    public int labelDays() {
        return labelDays;
    }

    public int featureStart(int i) {
        return snapshots[i] - featureDays + 1;
    }

    public int labelEnd(int i) {
        return snapshots[i] + labelDays;
    }

    public int spanStart() {
        return featureStart(0);
    }

    public int spanEnd() {
        return labelEnd(snapshots.length - 1);
    }

    /** True when the day lies in the feature or label window of some snapshot. */
    public boolean covers(int day) {
        for (int i = 0; i < snapshots.length; i++) {
            if (day >= featureStart(i) && day <= labelEnd(i)) {
                return true;
            }
        }
        return false;
    }

    public String describe() {
        StringJoiner j = new StringJoiner(", ");
        for (int i = 0; i < snapshots.length; i++) {
            j.add("features " + LogDates.format(featureStart(i)) + ".." + LogDates.format(snapshots[i])
                    + " labels " + LogDates.format(snapshots[i] + 1) + ".." + LogDates.format(labelEnd(i)));
        }
        return j.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowPlan p && Arrays.equals(snapshots, p.snapshots) && featureDays == p.featureDays
                && labelDays == p.labelDays && java.util.Objects.equals(derivation, p.derivation);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(snapshots) * 31 + featureDays * 7 + labelDays;
    }

    @Override
    public String toString() {
        return "WindowPlan[" + describe() + "]";
    }
}
