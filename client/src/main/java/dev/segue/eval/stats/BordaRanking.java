package dev.segue.eval.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RecSys Challenge 2018 ranking of methods by Borda count: each metric ranks the N methods, the method in
 * position p of a metric's ranking gets {@code N − p + 1} points, and the points are summed over R-precision, NDCG
 * and clicks (lower clicks rank first). Methods with equal values share the best of their positions (so a tie at
 * the top gives both N points); a method without a value for a metric ranks last on it. Places are by total
 * points, ties broken by R-precision points, then NDCG points (a convention of Segue's), then name.
 */
public final class BordaRanking {
    /** The challenge's three metrics: report key and whether higher is better. */
    public static final Map<String, Boolean> CHALLENGE_METRICS = challengeMetrics();

    /** One method's points per metric (in {@link #CHALLENGE_METRICS} order) and their sum. */
    public record Row(int place, String method, Map<String, Integer> points, int total) {}

    private BordaRanking() {}

    private static Map<String, Boolean> challengeMetrics() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put("r_precision", true);
        m.put("ndcg", true);
        m.put("clicks", false);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * @param values method → metric key → value (null or missing: no value)
     * @return the methods from first to last place
     */
    public static List<Row> rank(Map<String, Map<String, Double>> values, Map<String, Boolean> metrics) {
        List<String> methods = new ArrayList<>(values.keySet());
        int n = methods.size();
        Map<String, Map<String, Integer>> points = new LinkedHashMap<>();
        methods.forEach(m -> points.put(m, new LinkedHashMap<>()));
        for (Map.Entry<String, Boolean> metric : metrics.entrySet()) {
            String key = metric.getKey();
            boolean higher = metric.getValue();
            for (String m : methods) {
                Double v = values.get(m).get(key);
                int better = 0;
                if (v == null || v.isNaN()) {
                    better = n - 1; // last
                } else {
                    for (String other : methods) {
                        Double o = values.get(other).get(key);
                        if (o != null && !o.isNaN() && (higher ? o > v : o < v)) {
                            better++;
                        }
                    }
                }
                points.get(m).put(key, v == null || v.isNaN() ? 1 : n - better); // position p = better + 1
            }
        }
        List<String> keys = new ArrayList<>(metrics.keySet());
        Comparator<String> order = Comparator.<String>comparingInt(m -> -total(points.get(m)));
        for (String k : keys) {
            order = order.thenComparingInt(m -> -points.get(m).get(k));
        }
        order = order.thenComparing(Comparator.naturalOrder());
        methods.sort(order);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < methods.size(); i++) {
            String m = methods.get(i);
            rows.add(new Row(i + 1, m, points.get(m), total(points.get(m))));
        }
        return rows;
    }

    private static int total(Map<String, Integer> points) {
        return points.values().stream().mapToInt(Integer::intValue).sum();
    }
}
