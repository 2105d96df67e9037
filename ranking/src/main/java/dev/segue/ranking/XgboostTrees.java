package dev.segue.ranking;

import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The one XGBoost4J set-up of Segue's boosted trees: the ranker ({@link RankerModel}, {@code rank:ndcg}) and churn's
 * classifier ({@code dev.segue.churn.BoostedTrees}, {@code binary:logistic}) share the parameters every model
 * gets (histogram trees, silent, seeded, a thread count) and the training call with its failures turned into one
 * clear message (including a native library that does not load on this platform).
 */
public final class XgboostTrees {
    private XgboostTrees() {}

    /**
     * The parameters of a histogram-tree model; callers add their objective's own (e.g. the ranking metric).
     *
     * @param objective XGBoost objective, e.g. {@code rank:ndcg}
     */
    public static Map<String, Object> params(String objective, double eta, int maxDepth, double minChildWeight,
                                             double subsample, int threads, long seed) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("objective", objective);
        p.put("tree_method", "hist");
        p.put("eta", eta);
        p.put("max_depth", maxDepth);
        p.put("min_child_weight", minChildWeight);
        p.put("subsample", subsample);
        p.put("nthread", threads);
        p.put("seed", seed);
        p.put("verbosity", 0);
        return p;
    }

    /**
     * Trains {@code rounds} rounds on a row-major matrix ({@code NaN} = missing).
     *
     * @param groups group sizes for a ranking objective, or null
     * @throws IllegalStateException XGBoost failed or its native library does not load, with the reason
     */
    public static Booster train(float[] matrix, int rows, int cols, float[] labels, int[] groups,
                                Map<String, Object> params, int rounds) {
        try {
            DMatrix d = new DMatrix(matrix, rows, cols, Float.NaN);
            try {
                d.setLabel(labels);
                if (groups != null) {
                    d.setGroup(groups);
                }
                return XGBoost.train(d, params, rounds, Map.of(), null, null);
            } finally {
                d.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw nativeLibrary(e);
        }
    }

    /**
     * A model trained with early stopping: the booster of the best round, the rounds it ran and kept, and the
     * validation metric of the kept round.
     */
    public record Stopped(Booster booster, int roundsRun, int roundsKept, double best) {}

    /**
     * Trains up to {@code rounds} rounds, after each one evaluating the params' {@code eval_metric} (higher is
     * better, e.g. {@code ndcg@500}) on the validation rows, and stops once {@code patience} rounds in a row did not
     * beat the best; returns the model as it was after its best round (its serialized copy, taken whenever the
     * metric improved). The rounds up to the kept one are the trees a plain {@link #train} of that many rounds
     * grows (same data, parameters and seed).
     *
     * @param patience rounds without improvement before stopping, >= 1
     * @throws IllegalStateException XGBoost failed or its native library does not load, with the reason
     */
    public static Stopped trainEarlyStopping(float[] matrix, int rows, int cols, float[] labels, int[] groups,
                                             float[] validMatrix, int validRows, float[] validLabels,
                                             int[] validGroups, Map<String, Object> params, int rounds,
                                             int patience) {
        if (patience < 1 || rounds < 1) {
            throw new IllegalArgumentException("rounds and patience must be >= 1, got " + rounds + " and " + patience);
        }
        try {
            DMatrix d = new DMatrix(matrix, rows, cols, Float.NaN);
            DMatrix v = new DMatrix(validMatrix, validRows, cols, Float.NaN);
            try {
                d.setLabel(labels);
                v.setLabel(validLabels);
                if (groups != null) {
                    d.setGroup(groups);
                    v.setGroup(validGroups);
                }
                Booster b = XGBoost.train(d, params, 0, Map.of("validation", v), null, null);
                DMatrix[] sets = {v};
                String[] names = {"validation"};
                double best = Double.NEGATIVE_INFINITY;
                byte[] bestModel = null;
                int kept = 0;
                int run = 0;
                for (int round = 0; round < rounds && run - kept < patience; round++) {
                    b.update(d, round);
                    run = round + 1;
                    double metric = lastMetric(b.evalSet(sets, names, round));
                    if (metric > best) {
                        best = metric;
                        kept = run;
                        bestModel = run < rounds ? b.toByteArray("ubj") : null;
                    }
                }
                if (kept < run) {
                    b.dispose();
                    b = XGBoost.loadModel(bestModel);
                }
                return new Stopped(b, run, kept, best);
            } finally {
                d.dispose();
                v.dispose();
            }
        } catch (XGBoostError | java.io.IOException e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw nativeLibrary(e);
        }
    }

    /** The value of the last metric of an {@code evalSet} line ({@code "[3]\tvalidation-ndcg@500:0.51"}). */
    static double lastMetric(String evalLine) {
        int colon = evalLine.lastIndexOf(':');
        try {
            return Double.parseDouble(evalLine.substring(colon + 1).trim());
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalStateException("XGBoost's evaluation line has no metric value: '" + evalLine + "'");
        }
    }

    /** The failure of a native library that does not load on this platform. */
    public static IllegalStateException nativeLibrary(Throwable e) {
        return new IllegalStateException("XGBoost's native library does not load on " + System.getProperty("os.name")
                + "/" + System.getProperty("os.arch") + ": " + e.getMessage(), e);
    }
}
