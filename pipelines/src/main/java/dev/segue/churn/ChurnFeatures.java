package dev.segue.churn;

import dev.segue.format.FeatureSetContracts.UserChurnFeatures;

import java.util.List;

/**
 * Study 003's per-user features for one snapshot T with feature window [T − F + 1, T] (an event's age is
 * T − date, 0..F−1), computed from cleaned events (cleaning-dropped plays are gone; downloads and searches are
 * never dropped except with their bot user):
 * <ul>
 *   <li>A1 {@code time_pct_*}: share of plays whose play_time/song_length is in [0, .2), [.2, .4), [.4, .6),
 *       [.6, .8), [.8, ∞) — sums to 1 when the user has plays;</li>
 *   <li>A2 {@code time_pct_80_plus_7d_over_30d}: plays ≥ 80% in the last 7 days over those in the window;</li>
 *   <li>B1 {@code total_play_time}, B2 {@code total_play_time_7d_over_30d}, B3 {@code avg_play_time} (per play);</li>
 *   <li>C1 {@code freq_X_last_N}: events of type X (P, D, S) in the last N ∈ {1, 3, 7, 14, 30} days (last 1 =
 *       day T only); C2 {@code X_7d_over_30d};</li>
 *   <li>D1 {@code days_since_last_X}: T minus the date of the user's last X event;</li>
 *   <li>E1 {@code device}: the device with most events, a tie going to {@code ip} (then the smallest name).</li>
 * </ul>
 * Conventions for empty windows (no division by zero): a ratio whose denominator is 0 is 0; A1 shares and B3
 * are 0 for a user without plays (so A1 sums to 0, not 1); D1 is F (one more than the largest possible age)
 * for a type the user has no event of; E1 is null when no event names a device. Day windows longer than the
 * feature window are capped at it ("30" means the whole window).
 */
public final class ChurnFeatures {
    public static final int[] DAYS = UserChurnFeatures.DAYS.stream().mapToInt(Integer::intValue).toArray();
    public static final String[] TYPES = UserChurnFeatures.TYPES.toArray(String[]::new);

    public static final int A1 = UserChurnFeatures.A1;
    public static final int A2 = UserChurnFeatures.A2;
    public static final int B1 = UserChurnFeatures.B1;
    public static final int B2 = UserChurnFeatures.B2;
    public static final int B3 = UserChurnFeatures.B3;
    public static final int C1 = UserChurnFeatures.C1;
    public static final int C2 = UserChurnFeatures.C2;
    public static final int D1 = UserChurnFeatures.D1;
    public static final int COUNT = UserChurnFeatures.COUNT;

    /** Column names in feature-vector order (the registry's, {@code user_churn_features}). */
    public static final List<String> NAMES = UserChurnFeatures.FEATURES;

    private ChurnFeatures() {}

    /** True for the integer-valued features (C1 counts and D1 days). */
    public static boolean isCount(int f) {
        return UserChurnFeatures.isCount(f);
    }

    /** Play-time-percentage bucket 0..4 of a cleaned play (also the rating's play score minus one). */
    public static int bucket(double playTime, double songLength) {
        double pct = playTime / songLength;
        return pct < 0.2 ? 0 : pct < 0.4 ? 1 : pct < 0.6 ? 2 : pct < 0.8 ? 3 : 4;
    }

    /** Reusable per-thread scratch space. */
    public static final class Scratch {
        final double[] cleaned = new double[2];
        final long[][] counts = new long[3][DAYS.length];
        final int[] lastAge = new int[3];
        final long[] buckets = new long[5];
        int[] deviceIds = new int[4];
        long[] deviceCounts = new long[4];
        int devices;
    }

    /**
     * Features of the user whose events in the feature window are [lo, hi) of {@code ev}, for snapshot i.
     * Writes the 30 numeric features to {@code out}; returns E1 (null when no device is known).
     * {@code tally} (length {@link CleaningTally#WIDTH}) counts the cleaning outcomes of the user's plays.
     */
    public static String compute(UserEvents ev, int lo, int hi, int snapshotDay, int featureDays,
                                 CleaningRules rules, int i, Scratch s, long[] tally, double[] out) {
        for (long[] c : s.counts) {
            java.util.Arrays.fill(c, 0);
        }
        java.util.Arrays.fill(s.lastAge, -1);
        java.util.Arrays.fill(s.buckets, 0);
        s.devices = 0;
        long plays = 0;
        long over80Recent = 0;
        double totalPlay = 0;
        double recentPlay = 0;
        for (int e = lo; e < hi; e++) {
            int k = ev.kind[e];
            int age = snapshotDay - ev.date[e];
            if (k == LogKind.PLAY.index()) {
                int outcome = rules.cleanPlay(i, ev.playTime[e], ev.songLength[e], s.cleaned);
                CleaningTally.count(tally, outcome);
                if ((outcome & CleaningRules.DROP_MASK) != 0) {
                    continue;
                }
                double pt = s.cleaned[0];
                int b = bucket(pt, s.cleaned[1]);
                s.buckets[b]++;
                plays++;
                totalPlay += pt;
                if (age < Math.min(7, featureDays)) {
                    recentPlay += pt;
                    if (b == 4) {
                        over80Recent++;
                    }
                }
            }
            long[] c = s.counts[k];
            for (int w = 0; w < DAYS.length; w++) {
                if (age < Math.min(DAYS[w], featureDays)) {
                    c[w]++;
                }
            }
            if (s.lastAge[k] < 0 || age < s.lastAge[k]) {
                s.lastAge[k] = age;
            }
            int d = ev.device[e];
            if (d >= 0) {
                countDevice(s, d);
            }
        }
        for (int b = 0; b < 5; b++) {
            out[A1 + b] = plays == 0 ? 0 : (double) s.buckets[b] / plays;
        }
        out[A2] = ratio(over80Recent, s.buckets[4]);
        out[B1] = totalPlay;
        out[B2] = totalPlay == 0 ? 0 : recentPlay / totalPlay;
        out[B3] = plays == 0 ? 0 : totalPlay / plays;
        for (int k = 0; k < 3; k++) {
            for (int w = 0; w < DAYS.length; w++) {
                out[C1 + k * DAYS.length + w] = s.counts[k][w];
            }
            out[C2 + k] = ratio(s.counts[k][2], s.counts[k][4]);
            out[D1 + k] = s.lastAge[k] < 0 ? featureDays : s.lastAge[k];
        }
        return majorityDevice(ev.devices, s);
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0 : (double) num / den;
    }

    private static void countDevice(Scratch s, int d) {
        for (int j = 0; j < s.devices; j++) {
            if (s.deviceIds[j] == d) {
                s.deviceCounts[j]++;
                return;
            }
        }
        if (s.devices == s.deviceIds.length) {
            s.deviceIds = java.util.Arrays.copyOf(s.deviceIds, s.devices * 2);
            s.deviceCounts = java.util.Arrays.copyOf(s.deviceCounts, s.devices * 2);
        }
        s.deviceIds[s.devices] = d;
        s.deviceCounts[s.devices] = 1;
        s.devices++;
    }

    private static String majorityDevice(String[] names, Scratch s) {
        String best = null;
        long bestCount = -1;
        for (int j = 0; j < s.devices; j++) {
            String name = names[s.deviceIds[j]];
            long c = s.deviceCounts[j];
            if (c > bestCount || (c == bestCount && prefer(name, best))) {
                best = name;
                bestCount = c;
            }
        }
        return best;
    }

    /** Tie-break between equally frequent devices: ip first (study 003), then the smaller name. */
    static boolean prefer(String a, String b) {
        if (a.equals("ip")) {
            return true;
        }
        if (b.equals("ip")) {
            return false;
        }
        return a.compareTo(b) < 0;
    }
}
