package dev.segue.churn;

import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.PointInTimeJoin;
import dev.segue.store.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * {@code segue train churn}: training data from the store with a point-in-time join — entity rows are the
 * (user, feature-window end) pairs of every label known by the as-of date (its label window closed on or
 * before that day), joined to {@code user_churn_features} as of the window end (ttl one day, so only that
 * snapshot's row qualifies) — then logistic regression (z-scored inputs) and a random forest (Tribuo; study
 * 003's two model families) and gradient-boosted trees (XGBoost4J), evaluated on held-out users (a seeded hash
 * split, so no user is on both sides) with the same metric code ({@link Classifiers#binaryMetrics(String[],
 * double[], String)}).
 */
public final class ChurnTraining {
    public static final String POSITIVE = "churn";
    public static final String NEGATIVE = "active";

    private ChurnTraining() {}

    /**
     * @param trees       trees of the random forest
     * @param store       the store's root: a local folder or any store URI ({@code hdfs://…}), read through the
     *                    store's file IO
     * @param boostRounds boosting rounds of the gradient-boosted trees (XGBoost)
     */
    public record Options(String store, LocalDate asOf, double testFraction, long seed, int trees, int boostRounds,
                          Path out) {
        public Options(Path store, LocalDate asOf, double testFraction, long seed, int trees, int boostRounds, Path out) {
            this(store.toString(), asOf, testFraction, seed, trees, boostRounds, out);
        }
    }

    public record ModelResult(String model, Map<String, Double> metrics, List<Map.Entry<String, Double>> topFeatures) {}

    public record Result(String asOf, List<String> labelDates, int examples, int unmatched, int train, int test,
                         double churnRate, List<ModelResult> models) {}

    public static Result run(Options o) throws IOException {
        FeatureStore store = FeatureStore.open(o.store());
        long asOfMicros = LogDates.closeMicros((int) o.asOf().toEpochDay());
        long[] uid;
        long[] windowEnd;
        int[] churn;
        TreeSet<String> dates = new TreeSet<>();
        TreeSet<String> allDates = new TreeSet<>();
        try (FeatureSetReader r = store.read(ChurnSchemas.LABELS)) {
            Table t = r.readAll(List.of(ChurnSchemas.UID, ChurnSchemas.LABEL_TIME, ChurnSchemas.WINDOW_END,
                    ChurnSchemas.CHURN));
            long[] u = t.longs(ChurnSchemas.UID);
            long[] lt = t.timestamps(ChurnSchemas.LABEL_TIME);
            long[] we = t.timestamps(ChurnSchemas.WINDOW_END);
            int[] c = t.ints(ChurnSchemas.CHURN);
            int n = 0;
            for (int i = 0; i < t.rows(); i++) {
                allDates.add(LogDates.format(LogDates.dayClosedAt(we[i])));
                if (lt[i] <= asOfMicros) {
                    n++;
                }
            }
            uid = new long[n];
            windowEnd = new long[n];
            churn = new int[n];
            int k = 0;
            for (int i = 0; i < t.rows(); i++) {
                if (lt[i] <= asOfMicros) {
                    uid[k] = u[i];
                    windowEnd[k] = we[i];
                    churn[k] = c[i];
                    dates.add(LogDates.format(LogDates.dayClosedAt(we[i])));
                    k++;
                }
            }
        }
        if (uid.length == 0) {
            throw new IllegalArgumentException("no churn label is known by the end of " + o.asOf()
                    + " (labelled feature-window ends in the store: " + allDates + "; a label is known "
                    + "once its label window has closed)");
        }
        // the store's row order depends on the runner's bundles; sorted entity rows make the models reproducible
        Integer[] order = new Integer[uid.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        long[] u0 = uid;
        long[] w0 = windowEnd;
        int[] c0 = churn;
        java.util.Arrays.sort(order, (a, b) -> u0[a] != u0[b] ? Long.compare(u0[a], u0[b]) : Long.compare(w0[a], w0[b]));
        uid = new long[order.length];
        windowEnd = new long[order.length];
        churn = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            uid[i] = u0[order[i]];
            windowEnd[i] = w0[order[i]];
            churn[i] = c0[order[i]];
        }
        PointInTimeJoin join = PointInTimeJoin.builder()
                .feature(store, ChurnSchemas.FEATURES, "latest", Duration.ofDays(1))
                .build();
        int[] rows = join.join(uid, windowEnd).rows(0);
        Table features;
        try (FeatureSetReader r = store.read(ChurnSchemas.FEATURES)) {
            List<String> cols = new ArrayList<>(ChurnFeatures.NAMES);
            cols.add(ChurnSchemas.DEVICE);
            features = PointInTimeJoin.gather(r.readAll(cols), rows, cols);
        }
        Classifiers.Matrix all = matrix(features, rows, churn);
        int unmatched = uid.length - all.size();
        long[] matchedUid = new long[all.size()];
        int k = 0;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] >= 0) {
                matchedUid[k++] = uid[i];
            }
        }
        List<Integer> trainIdx = new ArrayList<>();
        List<Integer> testIdx = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (inTest(matchedUid[i], o.seed(), o.testFraction()) ? testIdx : trainIdx).add(i);
        }
        if (trainIdx.isEmpty() || testIdx.isEmpty()) {
            throw new IllegalArgumentException("too few labelled users (" + all.size() + ") for a held-out split");
        }
        Classifiers.Matrix train = all.subset(trainIdx.stream().mapToInt(Integer::intValue).toArray());
        Classifiers.Matrix test = all.subset(testIdx.stream().mapToInt(Integer::intValue).toArray());
        int[] varying = train.varyingColumns();
        train = train.columns(varying);
        test = test.columns(varying);
        MutableDataset<Label> trainSet = Classifiers.dataset(train, "churn train");

        Map<String, Trainer<Label>> trainers = new LinkedHashMap<>();
        trainers.put("logistic_regression", new TransformTrainer<>(new LogisticRegressionTrainer(),
                new TransformationMap(List.of(new MeanStdDevTransformation()))));
        trainers.put("random_forest", new RandomForestTrainer<>(
                new CARTClassificationTrainer(12, 0.5f, o.seed()), new VotingCombiner(), o.trees(), o.seed()));
        List<ModelResult> results = new ArrayList<>();
        for (Map.Entry<String, Trainer<Label>> e : trainers.entrySet()) {
            Model<Label> model = e.getValue().train(trainSet);
            results.add(evaluate(e.getKey(), m -> Classifiers.scores(model, m, POSITIVE), test, o.seed()));
        }
        try (BoostedTrees boosted = BoostedTrees.train(train, POSITIVE, BoostedTrees.Params.defaults(o.boostRounds(),
                o.seed()))) {
            results.add(evaluate("gradient_boosted_trees", boosted::scores, test, o.seed()));
        }
        long churned = 0;
        for (String l : all.labels()) {
            churned += l.equals(POSITIVE) ? 1 : 0;
        }
        Result result = new Result(o.asOf().toString(), List.copyOf(dates), all.size(), unmatched, train.size(),
                test.size(), (double) churned / all.size(), results);
        Classifiers.writeJson(o.out().resolve("churn-metrics.json"), result);
        Classifiers.writeText(o.out().resolve("churn-summary.md"), markdown(result));
        return result;
    }

    /** Held-out metrics and the top ten features (AUROC drop when a feature is shuffled) of a fitted model. */
    static ModelResult evaluate(String name, Function<Classifiers.Matrix, double[]> scores, Classifiers.Matrix test,
                                long seed) {
        Map<String, Double> metrics = Classifiers.binaryMetrics(test.labels(), scores.apply(test), POSITIVE);
        List<Map.Entry<String, Double>> top = Classifiers.permutationImportance(test,
                m -> Classifiers.binaryMetrics(m.labels(), scores.apply(m), POSITIVE).get("auroc"), seed);
        return new ModelResult(name, metrics, top.subList(0, Math.min(10, top.size())));
    }

    /** Feature rows of matched entities: the 30 numeric features plus a one-hot device. */
    static Classifiers.Matrix matrix(Table t, int[] rows, int[] churn) {
        List<String> names = new ArrayList<>(ChurnFeatures.NAMES);
        names.add("device_ip");
        names.add("device_ar");
        names.add("device_other");
        List<double[]> x = new ArrayList<>();
        List<String> y = new ArrayList<>();
        String[] device = t.strings(ChurnSchemas.DEVICE);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0) {
                continue;
            }
            double[] v = new double[names.size()];
            for (int f = 0; f < ChurnFeatures.COUNT; f++) {
                String name = ChurnFeatures.NAMES.get(f);
                v[f] = ChurnFeatures.isCount(f) ? t.ints(name)[i] : t.doubles(name)[i];
            }
            String d = device[i];
            v[ChurnFeatures.COUNT] = "ip".equals(d) ? 1 : 0;
            v[ChurnFeatures.COUNT + 1] = "ar".equals(d) ? 1 : 0;
            v[ChurnFeatures.COUNT + 2] = d != null && !d.equals("ip") && !d.equals("ar") ? 1 : 0;
            x.add(v);
            y.add(churn[i] == 1 ? POSITIVE : NEGATIVE);
        }
        return new Classifiers.Matrix(names.toArray(new String[0]), x.toArray(new double[0][]),
                y.toArray(new String[0]));
    }

    /** Seeded hash split by user, so a user's rows from several snapshots stay on one side. */
    static boolean inTest(long uid, long seed, double fraction) {
        long h = uid * 0x9E3779B97F4A7C15L + seed;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return (h >>> 11) * 0x1.0p-53 < fraction;
    }

    static String markdown(Result r) {
        StringBuilder b = new StringBuilder("# Churn models\n\n");
        b.append(String.format(Locale.ROOT, "As of %s (labelled feature-window ends: %s): %d labelled users "
                        + "(%d without a feature row), churn rate %.3f; %d train, %d held-out test users.%n%n",
                r.asOf(), String.join(", ", r.labelDates()), r.examples(), r.unmatched(), r.churnRate(), r.train(),
                r.test()));
        b.append(Classifiers.row("model", "AUROC", "AUPR", "accuracy", "precision", "recall", "F1"));
        b.append("|---|---|---|---|---|---|---|\n");
        for (ModelResult m : r.models()) {
            Map<String, Double> x = m.metrics();
            b.append(Classifiers.row(m.model(), x.get("auroc"), x.get("aupr"), x.get("accuracy"), x.get("precision"),
                    x.get("recall"), x.get("f1")));
        }
        for (ModelResult m : r.models()) {
            b.append("\nTop features of ").append(m.model()).append(" (AUROC drop when shuffled):\n\n");
            for (Map.Entry<String, Double> e : m.topFeatures()) {
                b.append(String.format(Locale.ROOT, "- %s: %.4f%n", e.getKey(), e.getValue()));
            }
        }
        return b.toString();
    }
}
