package dev.segue.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BordaRankingTest {
    private static Map<String, Double> m(Double rp, Double ndcg, Double clicks) {
        Map<String, Double> v = new HashMap<>();
        v.put("r_precision", rp);
        v.put("ndcg", ndcg);
        v.put("clicks", clicks);
        return v;
    }

    @Test
    void pointsPerMetricSummedAsTheChallengeDid() {
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        values.put("a", m(0.3, 0.5, 2.0));
        values.put("b", m(0.2, 0.6, 1.0));
        values.put("c", m(0.1, 0.6, 3.0));
        List<BordaRanking.Row> rows = BordaRanking.rank(values, BordaRanking.CHALLENGE_METRICS);
        // R-precision a 3, b 2, c 1; NDCG b and c tie first (3 each), a third (1); clicks (lower first) b 3, a 2, c 1
        assertEquals(List.of("b", "a", "c"), rows.stream().map(BordaRanking.Row::method).toList());
        assertEquals(List.of(8, 6, 5), rows.stream().map(BordaRanking.Row::total).toList());
        assertEquals(Map.of("r_precision", 2, "ndcg", 3, "clicks", 3), rows.get(0).points());
        assertEquals(Map.of("r_precision", 3, "ndcg", 1, "clicks", 2), rows.get(1).points());
        assertEquals(List.of(1, 2, 3), rows.stream().map(BordaRanking.Row::place).toList());
    }

    @Test
    void equalTotalsGoToTheBetterRPrecision() {
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        values.put("x", m(0.1, 0.9, 5.0)); // 1 + 2 + 2 (clicks tie: both first)
        values.put("y", m(0.2, 0.1, 5.0)); // 2 + 1 + 2
        List<BordaRanking.Row> rows = BordaRanking.rank(values, BordaRanking.CHALLENGE_METRICS);
        assertEquals(List.of("y", "x"), rows.stream().map(BordaRanking.Row::method).toList());
        assertEquals(List.of(5, 5), rows.stream().map(BordaRanking.Row::total).toList());
    }

    @Test
    void aMissingValueRanksLast() {
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        values.put("x", m(0.1, 0.9, null)); // 1 + 2 + 1
        values.put("y", m(0.2, 0.1, 5.0));  // 2 + 1 + 2
        List<BordaRanking.Row> rows = BordaRanking.rank(values, BordaRanking.CHALLENGE_METRICS);
        assertEquals(Map.of("r_precision", 1, "ndcg", 2, "clicks", 1), rows.get(1).points());
    }
}
