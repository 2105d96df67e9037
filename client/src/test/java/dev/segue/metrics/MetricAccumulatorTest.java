package dev.segue.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.ChallengeCategory;
import org.junit.jupiter.api.Test;

class MetricAccumulatorTest {
    @Test
    void averagesOverallAndPerCategory() {
        MetricLayout layout = MetricLayout.forListLength(10);
        MetricAccumulator acc = new MetricAccumulator(layout);
        double[] a = new double[layout.size()];
        double[] b = new double[layout.size()];
        double[] c = new double[layout.size()];
        a[MetricLayout.NDCG] = 0.2;
        b[MetricLayout.NDCG] = 0.4;
        c[MetricLayout.NDCG] = 0.9;
        acc.add(ChallengeCategory.TITLE_ONLY, a);
        acc.add(ChallengeCategory.TITLE_ONLY, b);
        MetricAccumulator other = new MetricAccumulator(layout);
        other.add(ChallengeCategory.TITLE_FIRST_100, c);
        acc.addAll(other);
        assertEquals(3, acc.count());
        assertEquals(0.5, acc.means()[MetricLayout.NDCG], 1e-12);
        assertEquals(0.3, acc.means(ChallengeCategory.TITLE_ONLY)[MetricLayout.NDCG], 1e-12);
        assertEquals(0.9, acc.means(ChallengeCategory.TITLE_FIRST_100)[MetricLayout.NDCG], 1e-12);
        // sample sd of {0.2, 0.4} is sqrt(0.02); standard error sqrt(0.02 / 2) = 0.1
        assertEquals(0.1, acc.standardErrors(ChallengeCategory.TITLE_ONLY)[MetricLayout.NDCG], 1e-12);
        assertEquals(0, acc.count(ChallengeCategory.TITLE_FIRST_5));
        assertTrue(Double.isNaN(acc.means(ChallengeCategory.TITLE_FIRST_5)[MetricLayout.NDCG]));
    }
}
