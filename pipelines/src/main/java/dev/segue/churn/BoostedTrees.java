package dev.segue.churn;

import dev.segue.ranking.XgboostTrees;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees for a binary label with XGBoost4J (logistic loss, histogram trees). The booster lives
 * in native memory: {@link #close()} frees it. The XGBoost set-up is the ranker's ({@link XgboostTrees}). Training is deterministic for a given seed and thread count.
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
            Map<String, Object> p = XgboostTrees.params("binary:logistic", eta, maxDepth, minChildWeight, subsample,
                    threads, seed);
            p.put("colsample_bytree", colsample);
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
        int cols = m.names().length;
        return new BoostedTrees(XgboostTrees.train(matrix(m), m.size(), cols, y, null, params.toXgboost(),
                params.rounds()), cols);
    }

    /** Probability of the positive class for every row. */
    public double[] scores(Classifiers.Matrix m) {
        if (m.names().length != columns) {
            throw new IllegalArgumentException("model has " + columns + " features, rows have " + m.names().length);
        }
        try {
            DMatrix d = new DMatrix(matrix(m), m.size(), m.names().length, Float.NaN);
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

    private static float[] matrix(Classifiers.Matrix m) {
        int cols = m.names().length;
        float[] data = new float[m.size() * cols];
        for (int i = 0; i < m.size(); i++) {
            double[] row = m.rows()[i];
            for (int j = 0; j < cols; j++) {
                data[i * cols + j] = (float) row[j];
            }
        }
        return data;
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
