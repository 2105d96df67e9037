package dev.segue.genre;

import dev.segue.churn.Classifiers;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.baseline.DummyClassifierTrainer;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.common.tree.RandomForestTrainer;

/**
 * {@code segue train genre}: a broad-genre classifier from the z-scored audio features of
 * {@code track_genre_features} (tracks with a missing label are left out), a random forest as in study 004
 * and a logistic regression, against the majority-class baseline, on a seeded held-out split of tracks
 * (optionally on a seeded sample of the labelled tracks, to bound training time on large catalogs).
 */
public final class GenreTraining {
    private GenreTraining() {}

    /**
     * {@code store}: the store's root, a local folder or any store URI ({@code hdfs://…}); {@code sample}: at most
     * about this many labelled tracks are used (a seeded hash sample; 0 = all).
     */
    public record Options(String store, double testFraction, long seed, int trees, int sample, Path out) {
        public Options(Path store, double testFraction, long seed, int trees, int sample, Path out) {
            this(store.toString(), testFraction, seed, trees, sample, out);
        }
    }

    public record ModelResult(String model, Map<String, Double> metrics) {}

    /** {@code labelled}: tracks with a broad genre; train + test: those used (all, or the sample). */
    public record Result(int labelled, int unlabelled, int train, int test, Map<String, Integer> classCounts,
                         List<ModelResult> models, List<Map.Entry<String, Double>> topFeatures) {}

    public static Result run(Options o) throws IOException {
        List<String> cols = new ArrayList<>();
        for (String c : AudioLayout.NUMERIC) {
            cols.add(GenreSchemas.z(c));
        }
        Table t;
        try (FeatureSetReader r = FeatureStore.open(o.store()).read(GenreSchemas.NAME)) {
            List<String> read = new ArrayList<>(cols);
            read.add(GenreSchemas.TRACK_URI);
            read.add(GenreSchemas.BROAD_GENRE);
            t = r.readAll(read);
        }
        String[] broad = t.strings(GenreSchemas.BROAD_GENRE);
        String[] uri = t.strings(GenreSchemas.TRACK_URI);
        List<double[]> trainX = new ArrayList<>();
        List<String> trainY = new ArrayList<>();
        List<double[]> testX = new ArrayList<>();
        List<String> testY = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        int unlabelled = 0;
        int labelled = 0;
        for (String b : broad) {
            labelled += b == null ? 0 : 1;
        }
        double keep = o.sample() <= 0 || o.sample() >= labelled ? 1.0 : (double) o.sample() / labelled;
        for (int i = 0; i < t.rows(); i++) {
            if (broad[i] == null) {
                unlabelled++;
                continue;
            }
            if (keep < 1.0 && !inTest(uri[i], o.seed() ^ 0x5A5A5A5AL, keep)) {
                continue;
            }
            double[] x = new double[cols.size()];
            for (int c = 0; c < x.length; c++) {
                x[c] = t.doubles(cols.get(c))[i];
            }
            counts.merge(broad[i], 1, Integer::sum);
            boolean test = inTest(uri[i], o.seed(), o.testFraction());
            (test ? testX : trainX).add(x);
            (test ? testY : trainY).add(broad[i]);
        }
        if (trainX.isEmpty() || testX.isEmpty()) {
            throw new IllegalArgumentException("too few labelled tracks (" + (trainX.size() + testX.size())
                    + ") in " + GenreSchemas.NAME + " for a held-out split");
        }
        String[] names = cols.toArray(new String[0]);
        Classifiers.Matrix train = new Classifiers.Matrix(names, trainX.toArray(new double[0][]), trainY.toArray(new String[0]));
        Classifiers.Matrix test = new Classifiers.Matrix(names, testX.toArray(new double[0][]), testY.toArray(new String[0]));
        int[] varying = train.varyingColumns();
        train = train.columns(varying);
        test = test.columns(varying);
        MutableDataset<Label> trainSet = Classifiers.dataset(train, "genre train");
        MutableDataset<Label> testSet = Classifiers.dataset(test, "genre test");

        Map<String, Trainer<Label>> trainers = new LinkedHashMap<>();
        trainers.put("majority_baseline", DummyClassifierTrainer.createMostFrequentTrainer());
        trainers.put("random_forest", new RandomForestTrainer<>(
                new CARTClassificationTrainer(16, 0.5f, o.seed()), new VotingCombiner(), o.trees(), o.seed()));
        trainers.put("logistic_regression", new LogisticRegressionTrainer());
        List<ModelResult> results = new ArrayList<>();
        List<Map.Entry<String, Double>> top = List.of();
        for (Map.Entry<String, Trainer<Label>> e : trainers.entrySet()) {
            Model<Label> model = e.getValue().train(trainSet);
            results.add(new ModelResult(e.getKey(), Classifiers.multiclassMetrics(Classifiers.evaluate(model, testSet))));
            if (e.getKey().equals("random_forest")) {
                top = Classifiers.permutationImportance(model, test, (m, d) -> Classifiers.evaluate(m, d).accuracy(),
                        o.seed());
            }
        }
        Result result = new Result(labelled, unlabelled, train.size(), test.size(), counts, results, top);
        Classifiers.writeJson(o.out().resolve("genre-metrics.json"), result);
        Classifiers.writeText(o.out().resolve("genre-summary.md"), markdown(result));
        return result;
    }

    static boolean inTest(String key, long seed, double fraction) {
        long h = key.hashCode() * 0x9E3779B97F4A7C15L + seed;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return (h >>> 11) * 0x1.0p-53 < fraction;
    }

    static String markdown(Result r) {
        StringBuilder b = new StringBuilder("# Broad-genre classifier\n\n");
        b.append(String.format(Locale.ROOT, "%d labelled tracks (%d without a label left out); used %d: %d train, "
                + "%d held-out test; classes used: %s.%n%n", r.labelled(), r.unlabelled(), r.train() + r.test(),
                r.train(), r.test(), r.classCounts()));
        b.append(Classifiers.row("model", "accuracy", "macro F1", "micro F1"));
        b.append("|---|---|---|---|\n");
        for (ModelResult m : r.models()) {
            b.append(Classifiers.row(m.model(), m.metrics().get("accuracy"), m.metrics().get("macro_f1"),
                    m.metrics().get("micro_f1")));
        }
        b.append("\nTop features of the random forest (accuracy drop when shuffled):\n\n");
        for (Map.Entry<String, Double> e : r.topFeatures()) {
            b.append(String.format(Locale.ROOT, "- %s: %.4f%n", e.getKey(), e.getValue()));
        }
        return b.toString();
    }
}
