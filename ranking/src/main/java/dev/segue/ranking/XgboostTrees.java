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

    /** The failure of a native library that does not load on this platform. */
    public static IllegalStateException nativeLibrary(Throwable e) {
        return new IllegalStateException("XGBoost's native library does not load on " + System.getProperty("os.name")
                + "/" + System.getProperty("os.arch") + ": " + e.getMessage(), e);
    }
}
