package dev.segue.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The metrics one evaluation reports, in a fixed order so a playlist's scores fit in a {@code double[]}: the
 * five headline metrics of the challenge on the whole list, then, for each list length k, study 000's four
 * columns RP(artist)@k, RP(track)@k, NDCG(track)@k and NDCG(artist)@k. Definitions: docs/METRICS.md and
 * {@link PlaylistScorer}.
 */
public final class MetricLayout {
    /** One reported metric; {@code k} is 0 for the headline metrics (computed on the whole list). */
    public record Metric(String key, String label, boolean higherIsBetter, int k) {}

    /** The list lengths of study 000's tables that this project reports. */
    public static final int[] STANDARD_KS = {10, 50, 100, 500};

    public static final int R_PRECISION = 0;
    public static final int R_PRECISION_TRACK = 1;
    public static final int NDCG = 2;
    public static final int NDCG_RULES = 3;
    public static final int CLICKS = 4;
    private static final int HEADLINE = 5;
    /** Offsets of the per-k columns within one k's block. */
    public static final int RP_ARTIST = 0;
    public static final int RP_TRACK = 1;
    public static final int NDCG_TRACK = 2;
    public static final int NDCG_ARTIST = 3;
    private static final int PER_K = 4;
    private static final String[] PER_K_KEYS = {"rp_artist", "rp_track", "ndcg_track", "ndcg_artist"};
    private static final String[] PER_K_LABELS = {"RP(artist)", "RP(track)", "NDCG(track)", "NDCG(artist)"};

    private final int listLength;
    private final int[] ks;
    private final List<Metric> metrics;

    private MetricLayout(int listLength, int[] ks) {
        this.listLength = listLength;
        this.ks = ks;
        List<Metric> m = new ArrayList<>();
        m.add(new Metric("r_precision", "R-precision", true, 0));
        m.add(new Metric("r_precision_track", "R-precision (track only)", true, 0));
        m.add(new Metric("ndcg", "NDCG (reference code)", true, 0));
        m.add(new Metric("ndcg_rules", "NDCG (challenge rules)", true, 0));
        m.add(new Metric("clicks", "Clicks", false, 0));
        for (int k : ks) {
            for (int j = 0; j < PER_K; j++) {
                m.add(new Metric(PER_K_KEYS[j] + "@" + k, PER_K_LABELS[j] + "@" + k, true, k));
            }
        }
        this.metrics = Collections.unmodifiableList(m);
    }

    /** The layout for lists of {@code listLength} tracks: the standard ks up to it, and the length itself. */
    public static MetricLayout forListLength(int listLength) {
        if (listLength < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + listLength);
        }
        List<Integer> ks = new ArrayList<>();
        for (int k : STANDARD_KS) {
            if (k < listLength) {
                ks.add(k);
            }
        }
        ks.add(listLength);
        return new MetricLayout(listLength, ks.stream().mapToInt(Integer::intValue).toArray());
    }

    public int listLength() {
        return listLength;
    }

    public int[] ks() {
        return ks.clone();
    }

    public int size() {
        return metrics.size();
    }

    public List<Metric> metrics() {
        return metrics;
    }

    public Metric metric(int index) {
        return metrics.get(index);
    }

    /** Index of a per-k metric ({@link #RP_ARTIST} … {@link #NDCG_ARTIST}) at the {@code kIndex}-th k. */
    public int perK(int kIndex, int column) {
        return HEADLINE + kIndex * PER_K + column;
    }

    /** Index of the metric with this key, or -1. */
    public int indexOf(String key) {
        for (int i = 0; i < metrics.size(); i++) {
            if (metrics.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** Short names of the per-k columns, in column order (for charts of a metric against k). */
    public static List<String> perKKeys() {
        return List.of(PER_K_KEYS);
    }

    public static List<String> perKLabels() {
        return List.of(PER_K_LABELS);
    }

    /**
     * A method's value as a fraction of the oracle's: {@code value / oracle} for metrics where higher is better
     * and {@code oracle / value} where lower is better (clicks), so 1.0 means "as good as the oracle" either
     * way. {@code NaN} when the ratio is undefined (a zero denominator).
     */
    public static double ratioToOracle(double value, double oracle, boolean higherIsBetter) {
        if (higherIsBetter) {
            return oracle == 0 ? Double.NaN : value / oracle;
        }
        if (value == 0) {
            return oracle == 0 ? 1.0 : Double.NaN;
        }
        return oracle / value;
    }
}
