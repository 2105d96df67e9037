package dev.segue.ranking;

import java.util.Arrays;

/**
 * NDCG@k of scored groups, the ranker's validation metric: gain {@code 2^label - 1}, discount
 * {@code 1/log2(position + 2)}, ties of scores broken by the lower row (the first-stage order), groups without a
 * relevant row skipped (as XGBoost's {@code ndcg@k-} would score them 0, which only scales the mean).
 */
final class Ndcg {
    private Ndcg() {}

    /** Mean NDCG@k over the groups with at least one positive label; 0 when there are none. */
    static double mean(float[] scores, float[] labels, int[] groups, int k) {
        double sum = 0;
        int counted = 0;
        int start = 0;
        for (int size : groups) {
            double ideal = dcg(sortedDesc(labels, start, size), k);
            if (ideal > 0) {
                Integer[] order = new Integer[size];
                for (int i = 0; i < size; i++) {
                    order[i] = start + i;
                }
                Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a])
                        : Integer.compare(a, b));
                float[] ranked = new float[size];
                for (int i = 0; i < size; i++) {
                    ranked[i] = labels[order[i]];
                }
                sum += dcg(ranked, k) / ideal;
                counted++;
            }
            start += size;
        }
        return counted == 0 ? 0 : sum / counted;
    }

    private static float[] sortedDesc(float[] labels, int start, int size) {
        float[] l = Arrays.copyOfRange(labels, start, start + size);
        Arrays.sort(l);
        for (int i = 0, j = l.length - 1; i < j; i++, j--) {
            float t = l[i];
            l[i] = l[j];
            l[j] = t;
        }
        return l;
    }

    private static double dcg(float[] ranked, int k) {
        double d = 0;
        for (int i = 0; i < Math.min(k, ranked.length); i++) {
            d += (Math.pow(2, ranked[i]) - 1) / (Math.log(i + 2) / Math.log(2));
        }
        return d;
    }
}
