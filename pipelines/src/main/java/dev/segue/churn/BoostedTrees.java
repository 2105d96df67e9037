package dev.segue.churn;

import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees for a binary label with XGBoost4J (logistic loss, histogram trees). The booster lives
 * in native memory: {@link #close()} frees it. Training is deterministic for a given seed and thread count.
 */
public final class BoostedTrees implements AutoCloseable {
    /**
     * Hyper-parameters.
     *
     * @param rounds          boosting rounds (trees)
     * @param eta             learning rate
     * @param maxDepth        depth of each tree
     * @param subsample       row share sampled per tree
     * @param colsample       column share sampled per tree
     * @param minChildWeight  minimum hessian sum in a leaf
     * @param threads         native threads
     * @param seed            sampling seed
     */
    public record Params(int rounds, double eta, int maxDepth, double subsample, double colsample,
                         double minChildWeight, int threads, long seed) {
        public Params {
            if (rounds < 1 || maxDepth < 1 || threads < 1) {
                throw new IllegalArgumentException("boosting rounds, depth and threads must be at least 1");
            }
            if (!(eta > 0 && eta <= 1) || !(subsample > 0 && subsample <= 1) || !(colsample > 0 && colsample <= 1)) {
                throw new IllegalArgumentException("eta, subsample and colsample must be in (0, 1]");
            }
        }

        /** Shallow trees with shrinkage: {@code rounds} trees, eta 0.1, depth 4, 80% rows and columns. */
        public static Params defaults(int rounds, long seed) {
            return new Params(rounds, 0.1, 4, 0.8, 0.8, 1, Math.max(1, Math.min(2, Runtime.getRuntime()
                    .availableProcessors())), seed);
        }

        Map<String, Object> toXgboost() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("objective", "binary:logistic");
            p.put("tree_method", "hist");
            p.put("eta", eta);
            p.put("max_depth", maxDepth);
            p.put("subsample", subsample);
            p.put("colsample_bytree", colsample);
            p.put("min_child_weight", minChildWeight);
            p.put("nthread", threads);
            p.put("seed", seed);
            p.put("verbosity", 0);
            return p;
        }
    }

    private final Booster booster;
    private final int columns;

    private BoostedTrees(Booster booster, int columns) {
        this.booster = booster;
        this.columns = columns;
    }

    /** Trains on {@code m}: rows labelled {@code positive} are 1, every other label 0. */
    public static BoostedTrees train(Classifiers.Matrix m, String positive, Params params) {
        float[] y = new float[m.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = m.labels()[i].equals(positive) ? 1f : 0f;
        }
        try {
            DMatrix d = dmatrix(m);
            try {
                d.setLabel(y);
                Booster b = XGBoost.train(d, params.toXgboost(), params.rounds(), Map.of(), null, null);
                return new BoostedTrees(b, m.names().length);
            } finally {
                d.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IllegalStateException("XGBoost's native library does not load on " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch") + ": " + e.getMessage(), e);
        }
    }

    /** Probability of the positive class for every row. */
    public double[] scores(Classifiers.Matrix m) {
        if (m.names().length != columns) {
            throw new IllegalArgumentException("model has " + columns + " features, rows have " + m.names().length);
        }
        try {
            DMatrix d = dmatrix(m);
            try {
                float[][] p = booster.predict(d);
                double[] out = new double[p.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = p[i][0];
                }
                return out;
            } finally {
                d.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    private static DMatrix dmatrix(Classifiers.Matrix m) throws XGBoostError {
        int cols = m.names().length;
        float[] data = new float[m.size() * cols];
        for (int i = 0; i < m.size(); i++) {
            double[] row = m.rows()[i];
            for (int j = 0; j < cols; j++) {
                data[i * cols + j] = (float) row[j];
            }
        }
        return new DMatrix(data, m.size(), cols, Float.NaN);
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
