package dev.segue.pipelines.ranker;

import dev.segue.format.ChallengeCategory;
import dev.segue.format.FeatureSetContracts.RankerExamples;
import dev.segue.ranking.Examples;
import dev.segue.ranking.RankerArtifacts;
import dev.segue.ranking.RankerHoldout;
import dev.segue.ranking.RankerModel;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The driver's part of the ranker pipeline: reads a {@code ranker_examples} version back from the store, groups
 * its rows by (playlist, challenge shape) — the key without its position bits — splits the playlists into training and validation ({@link RankerHoldout#isValidation}),
 * fits LambdaMART ({@link RankerModel}) and writes the ranker artifact with the versions it was built from, its
 * parameters, validation NDCG, feature gain and the candidate recall per challenge category.
 */
public final class RankerTraining {
    /**
     * What the fit produced: {@code playlists} distinct ranker playlists giving {@code groups} example groups (one
     * per playlist and challenge shape); per category the candidate recall, the validation NDCG of the ranker, of
     * the first stage and of the popularity order, and the order the per-shape selection gives it.
     */
    public record Result(String rankerVersion, RankerModel model, int playlists, int groups, int trainGroups,
                         int validationGroups, long rows, Map<ChallengeCategory, double[]> recall,
                         Map<ChallengeCategory, double[]> validationNdcg,
                         Map<ChallengeCategory, RankerModel.Selection> orders) {

        /** Candidate recall (recalled held-out tracks / held-out tracks) of a category, NaN without playlists. */
        public double recall(ChallengeCategory c) {
            double[] r = recall.get(c);
            return r == null || r[1] == 0 ? Double.NaN : r[0] / r[1];
        }

        public double overallRecall() {
            double got = 0;
            double all = 0;
            for (double[] r : recall.values()) {
                got += r[0];
                all += r[1];
            }
            return all == 0 ? Double.NaN : got / all;
        }
    }

    private RankerTraining() {}

    private static String ids(java.util.Set<ChallengeCategory> categories) {
        StringBuilder b = new StringBuilder();
        for (ChallengeCategory c : categories) {
            b.append(b.length() == 0 ? "" : ",").append(c.id());
        }
        return b.toString();
    }

    /**
     * Fits and saves the ranker.
     *
     * @param builtFrom the first stage's set versions (the examples' version is added)
     * @throws IllegalArgumentException the examples teach nothing (no playlist with a held-out track among its
     *                                  candidates and another candidate)
     */
    public static Result fit(FeatureStore store, String examplesVersion, Map<String, String> builtFrom,
                             RankerModel.Params params, double validationShare) throws IOException {
        Table t;
        List<String> features;
        try (FeatureSetReader reader = store.read(RankerExamples.NAME, examplesVersion)) {
            String list = reader.manifest().parameters().get(RankerExamples.FEATURES_PARAMETER);
            if (list == null || list.isBlank()) {
                throw new IllegalArgumentException(RankerExamples.NAME + " " + examplesVersion + " in " + store.location()
                        + " records no '" + RankerExamples.FEATURES_PARAMETER + "' parameter");
            }
            features = List.of(list.split(","));
            List<String> cols = new ArrayList<>(List.of(RankerExamples.ID, RankerExamples.PID,
                    RankerExamples.CATEGORY, RankerExamples.HELD_OUT, RankerExamples.LABEL));
            cols.addAll(features);
            t = reader.readAll(cols.toArray(new String[0]));
        }
        int n = t.rows();
        long[] ids = t.longs(RankerExamples.ID);
        long[] pids = t.longs(RankerExamples.PID);
        int[] category = t.ints(RankerExamples.CATEGORY);
        int[] heldOut = t.ints(RankerExamples.HELD_OUT);
        float[] labels = t.floats(RankerExamples.LABEL);
        int f = features.size();
        float[][] columns = new float[f][];
        for (int j = 0; j < f; j++) {
            columns[j] = t.floats(features.get(j));
        }
        // rows by key: each playlist's rows together, in first-stage order, whatever order the parts came in
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
        Examples train = new Examples(f);
        Examples validation = new Examples(f);
        Map<ChallengeCategory, Examples> validationByCategory = new TreeMap<>();
        Map<ChallengeCategory, double[]> recall = new TreeMap<>();
        java.util.Set<Long> playlistIds = new java.util.HashSet<>();
        int groups = 0;
        for (int start = 0; start < n; ) {
            long group = RankerHoldout.exampleGroup(ids[order[start]]);
            long pid = pids[order[start]];
            int end = start;
            while (end < n && RankerHoldout.exampleGroup(ids[order[end]]) == group) {
                end++;
            }
            int size = end - start;
            float[] x = new float[size * f];
            float[] y = new float[size];
            int positives = 0;
            for (int r = 0; r < size; r++) {
                int row = order[start + r];
                y[r] = labels[row];
                positives += labels[row] > 0 ? 1 : 0;
                for (int j = 0; j < f; j++) {
                    x[r * f + j] = columns[j][row];
                }
            }
            int row0 = order[start];
            ChallengeCategory cat = ChallengeCategory.byId(category[row0]);
            double[] rc = recall.computeIfAbsent(cat, k -> new double[2]);
            rc[0] += positives;
            rc[1] += heldOut[row0];
            groups++;
            playlistIds.add(pid);
            if (positives > 0 && positives < size) {
                // by playlist, so no playlist teaches one shape and validates another
                if (RankerHoldout.isValidation(pid, validationShare)) {
                    validation.add(x, y);
                    validationByCategory.computeIfAbsent(cat, k -> new Examples(f)).add(x, y);
                } else {
                    train.add(x, y);
                }
            }
            start = end;
        }
        int playlists = playlistIds.size();
        if (train.groups() == 0) {
            throw new IllegalArgumentException(RankerExamples.NAME + " " + examplesVersion + " has no playlist the "
                    + "ranker can learn from (" + playlists + " playlists; none with a held-out track among its "
                    + "candidates): use more training playlists or a larger --rankerShare");
        }
        Map<String, String> inputs = new LinkedHashMap<>(builtFrom);
        inputs.put(RankerExamples.NAME, examplesVersion);
        RankerModel model = RankerModel.fit(features, train, validation, params, inputs);
        Map<String, String> more = new LinkedHashMap<>();
        more.put("playlists", Integer.toString(playlists));
        more.put("groups", Integer.toString(groups));
        Map<ChallengeCategory, double[]> byCategory = new TreeMap<>();
        for (Map.Entry<ChallengeCategory, Examples> e : validationByCategory.entrySet()) {
            double[] nd = model.ndcgOfOrders(e.getValue(), params.ndcgAt());
            byCategory.put(e.getKey(), nd);
            more.put(RankerModel.CATEGORY_NDCG + e.getKey().id(), Double.toString(nd[0]));
            more.put(RankerModel.CATEGORY_FIRST_STAGE_NDCG + e.getKey().id(), Double.toString(nd[1]));
            more.put(RankerModel.CATEGORY_POPULARITY_NDCG + e.getKey().id(), Double.toString(nd[2]));
            for (int b = 0; b < RankerModel.BLEND_WEIGHTS.length; b++) {
                more.put(RankerModel.blendKey(RankerModel.BLEND_WEIGHTS[b], e.getKey()), Double.toString(nd[3 + b]));
            }
            more.put(RankerModel.CATEGORY_GROUPS + e.getKey().id(), Integer.toString(e.getValue().groups()));
        }
        // the per-shape selection, as every loader derives it from the metrics above: shown, not a second rule
        more.put(RankerModel.FIRST_STAGE_CATEGORIES, ids(RankerModel.categories(more, RankerModel.Order.FIRST_STAGE)));
        more.put(RankerModel.POPULARITY_CATEGORIES, ids(RankerModel.categories(more, RankerModel.Order.POPULARITY)));
        Result result = new Result(null, model, playlists, groups, train.groups(), validation.groups(), n, recall,
                byCategory, RankerModel.selections(more));
        for (ChallengeCategory c : recall.keySet()) {
            more.put("candidate_recall." + c.id(), Double.toString(result.recall(c)));
        }
        more.put("candidate_recall", Double.toString(result.overallRecall()));
        String version = RankerArtifacts.newVersion();
        new RankerArtifacts(store).save(version, model, train.rows(), more);
        return new Result(version, model, playlists, groups, train.groups(), validation.groups(), n, recall,
                byCategory, RankerModel.selections(more));
    }
}
