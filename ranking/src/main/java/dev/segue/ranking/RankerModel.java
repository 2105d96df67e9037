package dev.segue.ranking;

import dev.segue.format.ChallengeCategory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A LambdaMART ranker (XGBoost4J, {@code objective=rank:ndcg}, histogram trees) over the rank features, with what
 * it was trained from: the ordered feature list, the feature-set versions of its examples, its parameters and
 * its validation metrics. {@link #predict} may be called from any number of threads at once: it walks the trees on
 * the JVM ({@link TreeEnsemble}, checked bit for bit against XGBoost whenever a model is built or loaded), or, for a
 * model that check refuses, calls XGBoost's thread-safe in-place prediction; after {@link #close()} predict refuses.
 * Stored with {@link RankerArtifacts}.
 */
public final class RankerModel implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RankerModel.class);
    /** Prefix of the metrics holding the ranker's validation NDCG@K per challenge category ({@code .<id>}). */
    public static final String CATEGORY_NDCG = "validation_ndcg_by_category.";
    /** Prefix of the metrics holding the first-stage order's validation NDCG@K per challenge category. */
    public static final String CATEGORY_FIRST_STAGE_NDCG = "validation_first_stage_ndcg_by_category.";
    /** Prefix of the metrics holding the validation groups per challenge category. */
    public static final String CATEGORY_GROUPS = "validation_groups_by_category.";
    /** Prefix of the metrics holding the popularity order's validation NDCG@K per challenge category. */
    public static final String CATEGORY_POPULARITY_NDCG = "validation_popularity_ndcg_by_category.";
    /** Prefix of the metrics holding a blend's validation NDCG@K: {@code <prefix><weight>.<category id>}. */
    public static final String CATEGORY_BLEND_NDCG = "validation_blend_ndcg_by_category.";
    /**
     * The popularity weights {@code w} of the blends the selection also tries: ranker score + {@code w ·
     * log_playlists} (the ranker's margins span a few units, {@code log_playlists} 0–10).
     */
    public static final float[] BLEND_WEIGHTS = {0.1f, 0.3f, 1f, 3f};
    /**
     * How much higher (validation NDCG@K, absolute) another order must score than the ranker alone for the per-shape
     * selection to take it: a shape has ~10–15 validation groups on {@code small}, where differences of a few
     * thousandths are noise (theme world, title only: first stage 0.2834 vs ranker 0.2812, yet the ranker's order
     * gave 16.2 clicks on the challenge against the first stage's 20.2).
     */
    public static final double SELECTION_MARGIN = 0.01;
    /** The metric listing the category ids whose requests keep the first-stage order (comma-separated). */
    public static final String FIRST_STAGE_CATEGORIES = "first_stage_categories";
    /** The metric holding the boosting rounds trained (at most the {@code rounds} parameter asked for). */
    public static final String ROUNDS_RUN = "rounds_run";
    /** The metric holding the rounds (trees) the model kept: the best validation round under early stopping. */
    public static final String ROUNDS_KEPT = "rounds_kept";

    /** The metric listing the category ids whose requests are ordered by popularity (comma-separated). */
    public static final String POPULARITY_CATEGORIES = "popularity_categories";

    /**
     * How the requests of one challenge shape are ordered ({@link #orders}): by this ranker, in the first-stage
     * order, or by the candidates' popularity ({@code log_playlists}, ties by first-stage position).
     */
    public enum Order { RANKER, FIRST_STAGE, POPULARITY }

    /**
     * One shape's selection: the order, and for {@link Order#RANKER} the popularity weight added to the ranker's
     * score ({@code 0}: the ranker alone; one of {@link #BLEND_WEIGHTS}).
     */
    public record Selection(Order order, float popularityWeight) {
        static final Selection RANKER_ALONE = new Selection(Order.RANKER, 0f);
    }

    /** The metric key of the blend with popularity weight {@code w} for category {@code c}. */
    public static String blendKey(float w, ChallengeCategory c) {
        return CATEGORY_BLEND_NDCG + w + "." + c.id();
    }
    /** Prefix of the metrics holding each feature's mean gain. */
    public static final String GAIN = "gain.";

    /**
     * Hyper-parameters.
     *
     * @param rounds         boosting rounds (trees)
     * @param eta            learning rate, in (0, 1]
     * @param maxDepth       depth of each tree
     * @param minChildWeight minimum hessian sum in a leaf
     * @param subsample      row share sampled per tree, in (0, 1]
     * @param ndcgAt         the k of the NDCG the objective and the validation metric use
     * @param threads        native threads for training
     * @param seed           sampling seed
     * @param earlyStopping  when validation groups are given: stop once this many rounds in a row did not improve
     *                       the validation NDCG@{@code ndcgAt} and keep the best round's trees; 0 keeps all rounds
     */
    public record Params(int rounds, double eta, int maxDepth, double minChildWeight, double subsample, int ndcgAt,
                         int threads, long seed, int earlyStopping) {
        public Params {
            if (earlyStopping < 0) {
                throw new IllegalArgumentException("earlyStopping must be >= 0, got " + earlyStopping);
            }
            if (rounds < 1 || maxDepth < 1 || threads < 1 || ndcgAt < 1) {
                throw new IllegalArgumentException("rounds, maxDepth, threads and ndcgAt must be >= 1, got " + rounds
                        + ", " + maxDepth + ", " + threads + ", " + ndcgAt);
            }
            if (!(eta > 0 && eta <= 1) || !(subsample > 0 && subsample <= 1)) {
                throw new IllegalArgumentException("eta and subsample must be in (0, 1], got " + eta + " and " + subsample);
            }
        }

        /** All {@code rounds} rounds, whatever the validation says (no early stopping). */
        public Params(int rounds, double eta, int maxDepth, double minChildWeight, double subsample, int ndcgAt,
                      int threads, long seed) {
            this(rounds, eta, maxDepth, minChildWeight, subsample, ndcgAt, threads, seed, 0);
        }

        /**
         * 200 rounds (no early stopping: {@value #DEFAULT_EARLY_STOPPING}), eta 0.1, depth 6, min child weight 1, all
         * rows, NDCG@500, up to 2 threads, seed 42.
         */
        public static Params defaults() {
            return new Params(200, 0.1, 6, 1, 1.0, 500, Math.max(1, Math.min(2, Runtime.getRuntime()
                    .availableProcessors())), 42, DEFAULT_EARLY_STOPPING);
        }

        /**
         * Default patience of the early stopping (rounds in a row without validation gain): 0, off. On the theme
         * world's demo store a patience of 20 stopped at round 30 keeping 10 trees (validation NDCG@500 0.585 vs
         * 0.581 with 200) and lost on the challenge (NDCG 0.4753 vs 0.4817 with 200 trees, below the first stage's
         * 0.4784): on {@code small} the validation groups are too few to pick the round count.
         */
        public static final int DEFAULT_EARLY_STOPPING = 0;

        Map<String, Object> toXgboost() {
            Map<String, Object> p = XgboostTrees.params("rank:ndcg", eta, maxDepth, minChildWeight, subsample,
                    threads, seed);
            p.put("eval_metric", "ndcg@" + ndcgAt);
            p.put("lambdarank_pair_method", "topk");
            return p;
        }

        /** The parameters as strings, for the artifact manifest. */
        public Map<String, String> asStrings() {
            Map<String, String> m = new TreeMap<>();
            m.put("objective", "rank:ndcg");
            m.put("rounds", Integer.toString(rounds));
            m.put("eta", Double.toString(eta));
            m.put("max_depth", Integer.toString(maxDepth));
            m.put("min_child_weight", Double.toString(minChildWeight));
            m.put("subsample", Double.toString(subsample));
            m.put("ndcg_at", Integer.toString(ndcgAt));
            m.put("threads", Integer.toString(threads));
            m.put("seed", Long.toString(seed));
            m.put("early_stopping_rounds", Integer.toString(earlyStopping));
            return m;
        }
    }

    private final Booster booster;
    private final List<String> features;
    private final Map<String, String> builtFrom;
    private final Map<String, String> parameters;
    private final Map<String, String> metrics;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;
    /** The trees evaluated on the JVM, or null when they did not agree with XGBoost (then XGBoost predicts). */
    private final TreeEnsemble trees;

    RankerModel(Booster booster, List<String> features, Map<String, String> builtFrom, Map<String, String> parameters,
                Map<String, String> metrics) {
        this.booster = booster;
        this.trees = jvmTrees(booster, features.size());
        this.features = Collections.unmodifiableList(new ArrayList<>(features));
        this.builtFrom = Collections.unmodifiableMap(new TreeMap<>(builtFrom));
        this.parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
        this.metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    /**
     * Fits a LambdaMART ranker.
     *
     * @param features   the ordered feature names of the examples' columns (normally {@link RankFeatures#NAMES})
     * @param train      training groups
     * @param validation held-out groups (playlists not in {@code train}) for the recorded NDCG; may be empty
     * @param builtFrom  feature set → version the examples were computed from
     */
    public static RankerModel fit(List<String> features, Examples train, Examples validation, Params params,
                                  Map<String, String> builtFrom) {
        if (features.size() != train.features()) {
            throw new IllegalArgumentException(features.size() + " feature names for examples of " + train.features()
                    + " features");
        }
        if (train.groups() == 0) {
            throw new IllegalArgumentException("no training groups: the ranker needs examples");
        }
        Map<String, String> metrics = new TreeMap<>();
        Booster b;
        if (params.earlyStopping() > 0 && validation != null && validation.groups() > 0) {
            XgboostTrees.Stopped s = XgboostTrees.trainEarlyStopping(train.matrix(), train.rows(), train.features(),
                    train.labels(), train.groupSizes(), validation.matrix(), validation.rows(), validation.labels(),
                    validation.groupSizes(), params.toXgboost(), params.rounds(), params.earlyStopping());
            b = s.booster();
            metrics.put(ROUNDS_RUN, Integer.toString(s.roundsRun()));
            metrics.put(ROUNDS_KEPT, Integer.toString(s.roundsKept()));
        } else {
            b = XgboostTrees.train(train.matrix(), train.rows(), train.features(), train.labels(),
                    train.groupSizes(), params.toXgboost(), params.rounds());
            metrics.put(ROUNDS_RUN, Integer.toString(params.rounds()));
            metrics.put(ROUNDS_KEPT, Integer.toString(params.rounds()));
        }
        metrics.put("train_groups", Integer.toString(train.groups()));
        metrics.put("train_rows", Integer.toString(train.rows()));
        try {
            Map<String, Double> gain = b.getScore(features.toArray(new String[0]), "gain");
            for (String name : features) {
                if (gain.containsKey(name)) {
                    metrics.put(GAIN + name, Double.toString(gain.get(name)));
                }
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost feature gain failed: " + e.getMessage(), e);
        }
        RankerModel model = new RankerModel(b, features, builtFrom, params.asStrings(), metrics);
        if (validation != null && validation.groups() > 0) {
            float[] scores = model.predict(validation.matrix(), validation.rows());
            int at = params.ndcgAt();
            metrics.put("validation_groups", Integer.toString(validation.groups()));
            metrics.put("validation_ndcg@" + at, Double.toString(Ndcg.mean(scores, validation.labels(),
                    validation.groupSizes(), at)));
            metrics.put("validation_ndcg@10", Double.toString(Ndcg.mean(scores, validation.labels(),
                    validation.groupSizes(), 10)));
            float[] firstStage = new float[validation.rows()];
            float[] x = validation.matrix();
            for (int r = 0; r < firstStage.length; r++) {
                firstStage[r] = -x[r * validation.features() + RankFeatures.FIRST_STAGE_POSITION];
            }
            if (features.equals(RankFeatures.NAMES)) {
                metrics.put("validation_first_stage_ndcg@" + at, Double.toString(Ndcg.mean(firstStage,
                        validation.labels(), validation.groupSizes(), at)));
            }
            model = new RankerModel(b, features, builtFrom, params.asStrings(), metrics);
        }
        return model;
    }

    /** Rebuilds a model from its serialized booster and recorded fields ({@link RankerArtifacts}). */
    static RankerModel fromBytes(byte[] model, List<String> features, Map<String, String> builtFrom,
                                 Map<String, String> parameters, Map<String, String> metrics) {
        try {
            return new RankerModel(XGBoost.loadModel(model), features, builtFrom, parameters, metrics);
        } catch (XGBoostError | java.io.IOException e) {
            throw new IllegalArgumentException("not a readable XGBoost model: " + e.getMessage(), e);
        }
    }

    /** The booster in XGBoost's UBJSON format. */
    byte[] toBytes() {
        return toBytes("ubj");
    }

    /** The booster in XGBoost's {@code "json"} (what {@link TreeEnsemble} reads) or {@code "ubj"} format. */
    byte[] toBytes(String format) {
        lock.readLock().lock();
        try {
            checkOpen();
            return booster.toByteArray(format);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not serialize the model: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Rows of the agreement check between the JVM trees and XGBoost when a model is built or loaded. */
    static final int PROBE_ROWS = 512;

    /**
     * The booster's trees on the JVM, checked bit for bit against XGBoost's in-place prediction on
     * {@link #PROBE_ROWS} rows that hit every split condition, its neighbouring floats and missing values; null (and a
     * warning) when the model is not one {@link TreeEnsemble} evaluates or any score differs, so XGBoost predicts.
     */
    private static TreeEnsemble jvmTrees(Booster booster, int features) {
        try {
            TreeEnsemble t = TreeEnsemble.fromJson(booster.toByteArray("json"));
            float[] probe = t.probeRows(PROBE_ROWS, features, 20261207L);
            float[][] expected = booster.inplace_predict(probe, PROBE_ROWS, features, Float.NaN);
            float[] got = new float[PROBE_ROWS];
            t.predict(probe, PROBE_ROWS, features, got);
            for (int i = 0; i < PROBE_ROWS; i++) {
                if (Float.floatToIntBits(got[i]) != Float.floatToIntBits(expected[i][0])) {
                    LOG.warn("the ranker's trees on the JVM give {} where XGBoost gives {} (probe row {}); XGBoost"
                            + " scores this model", got[i], expected[i][0], i);
                    return null;
                }
            }
            return t;
        } catch (IllegalArgumentException e) {
            LOG.warn("XGBoost scores this ranker: {}", e.getMessage());
            return null;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not export or score the model: " + e.getMessage(), e);
        }
    }

    /** Which code scores: {@code "jvm-trees"} (the checked JVM evaluation) or {@code "xgboost"}. */
    public String scorer() {
        return trees != null ? "jvm-trees" : "xgboost";
    }

    /**
     * Scores {@code rows} rows of a row-major feature matrix ({@link RankFeatures#compute}); higher ranks first.
     * Thread-safe. The checked JVM trees ({@link TreeEnsemble}) score in the caller's thread; XGBoost only when they
     * could not be used ({@link #scorer()}).
     */
    public float[] predict(float[] matrix, int rows) {
        int f = features.size();
        if (matrix.length != rows * f) {
            throw new IllegalArgumentException("the ranker has " + f + " features; a matrix of " + matrix.length
                    + " values is not " + rows + " rows of them");
        }
        if (rows == 0) {
            return new float[0];
        }
        if (trees != null) {
            checkOpen();
            float[] out = new float[rows];
            trees.predict(matrix, rows, f, out);
            return out;
        }
        return predictWithXgboost(matrix, rows);
    }

    /** XGBoost's own in-place prediction of the same rows (the reference the JVM trees are checked against). */
    float[] predictWithXgboost(float[] matrix, int rows) {
        int f = features.size();
        lock.readLock().lock();
        try {
            checkOpen();
            float[][] p = booster.inplace_predict(matrix, rows, f, Float.NaN);
            float[] out = new float[rows];
            for (int i = 0; i < rows; i++) {
                out[i] = p[i][0];
            }
            return out;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the ranker was closed");
        }
    }

    /** Split counts per feature name (XGBoost's "weight" importance); features never split on are absent. */
    /**
     * Mean XGBoost gain per feature, in feature-list order, from the recorded metrics ({@code gain.<feature>}; kept
     * in the artifact); features no split used are absent.
     */
    public Map<String, Double> featureGain() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : features) {
            String v = metrics.get(GAIN + name);
            if (v != null) {
                out.put(name, Double.parseDouble(v));
            }
        }
        return out;
    }

    public Map<String, Integer> featureImportance() {
        lock.readLock().lock();
        try {
            checkOpen();
            Map<String, Integer> raw = booster.getFeatureScore(features.toArray(new String[0]));
            Map<String, Integer> out = new LinkedHashMap<>();
            for (String name : features) {
                if (raw.containsKey(name)) {
                    out.put(name, raw.get(name));
                }
            }
            return out;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost feature importance failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The ordered feature list the model was trained on. */
    public List<String> features() {
        return features;
    }

    /** Feature set → version the training examples came from. */
    public Map<String, String> builtFrom() {
        return builtFrom;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    /**
     * Mean NDCG@{@code k} over the groups of {@code groups} of this ranker's order, of the first-stage order
     * (ascending {@code first_stage_position}) and of the popularity order (descending {@code log_playlists}, ties
     * by first-stage position), as {@code {ranker, firstStage, popularity}} followed by the blends ranker score +
     * {@code w · log_playlists}, one per {@link #BLEND_WEIGHTS} in order; NaN for no groups.
     */
    public double[] ndcgOfOrders(Examples groups, int k) {
        double[] out = new double[3 + BLEND_WEIGHTS.length];
        if (groups.groups() == 0) {
            java.util.Arrays.fill(out, Double.NaN);
            return out;
        }
        int at = features.indexOf(RankFeatures.NAMES.get(RankFeatures.FIRST_STAGE_POSITION));
        int pop = features.indexOf(RankFeatures.NAMES.get(RankFeatures.LOG_PLAYLISTS));
        if (at < 0 || pop < 0) {
            throw new IllegalStateException("the ranker's features hold no first-stage position or log_playlists: "
                    + features);
        }
        float[] x = groups.matrix();
        float[] scores = predict(x, groups.rows());
        float[] firstStage = new float[groups.rows()];
        float[] popularity = new float[groups.rows()];
        for (int r = 0; r < firstStage.length; r++) {
            firstStage[r] = -x[r * groups.features() + at];
            popularity[r] = x[r * groups.features() + pop];
        }
        float[] labels = groups.labels();
        int[] sizes = groups.groupSizes();
        out[0] = Ndcg.mean(scores, labels, sizes, k);
        out[1] = Ndcg.mean(firstStage, labels, sizes, k);
        out[2] = Ndcg.mean(popularity, labels, sizes, k);
        float[] blend = new float[scores.length];
        for (int b = 0; b < BLEND_WEIGHTS.length; b++) {
            for (int r = 0; r < blend.length; r++) {
                blend[r] = blend(scores[r], BLEND_WEIGHTS[b], popularity[r]);
            }
            out[3 + b] = Ndcg.mean(blend, labels, sizes, k);
        }
        return out;
    }

    /** The blended score: the ranker's plus {@code w · log_playlists}, in float, the one definition. */
    static float blend(float ranker, float w, float logPlaylists) {
        return ranker + w * logPlaylists;
    }

    /**
     * The per-shape selection on the ranker's own validation groups (never challenge truth): for each challenge
     * category with recorded validation NDCGs ({@link #CATEGORY_NDCG}, {@link #CATEGORY_FIRST_STAGE_NDCG},
     * {@link #CATEGORY_POPULARITY_NDCG}, {@link #blendKey}), the best of a blend of the ranker's score with
     * popularity, the first-stage order and the popularity order (ties to the earlier of that list) when it scored
     * more than {@link #SELECTION_MARGIN} above the ranker alone, else the ranker alone; categories without them (and
     * rankers fitted before this was recorded) use the ranker alone. {@link TwoStage} orders a request by its shape's entry ({@link ChallengeCategory#nearest}).
     */
    public Map<ChallengeCategory, Selection> selections() {
        return selections(metrics);
    }

    /** The selection's rule over a ranker's recorded metrics (see {@link #selections()}). */
    public static Map<ChallengeCategory, Selection> selections(Map<String, String> metrics) {
        Map<ChallengeCategory, Selection> out = new java.util.EnumMap<>(ChallengeCategory.class);
        for (ChallengeCategory c : ChallengeCategory.values()) {
            double ranker = metric(metrics, CATEGORY_NDCG + c.id());
            Selection pick = Selection.RANKER_ALONE;
            if (!Double.isNaN(ranker)) {
                Selection alt = null;
                double best = Double.NEGATIVE_INFINITY;
                for (float w : BLEND_WEIGHTS) {
                    double v = metric(metrics, blendKey(w, c));
                    if (v > best) {
                        best = v;
                        alt = new Selection(Order.RANKER, w);
                    }
                }
                double first = metric(metrics, CATEGORY_FIRST_STAGE_NDCG + c.id());
                if (first > best) {
                    best = first;
                    alt = new Selection(Order.FIRST_STAGE, 0f);
                }
                double popularity = metric(metrics, CATEGORY_POPULARITY_NDCG + c.id());
                if (popularity > best) {
                    best = popularity;
                    alt = new Selection(Order.POPULARITY, 0f);
                }
                if (alt != null && best > ranker + SELECTION_MARGIN) {
                    pick = alt;
                }
            }
            out.put(c, pick);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The order of each shape under the selection ({@link #selections()}). */
    public Map<ChallengeCategory, Order> orders() {
        return orders(metrics);
    }

    /** The order of each shape under the selection's rule over a ranker's recorded metrics. */
    public static Map<ChallengeCategory, Order> orders(Map<String, String> metrics) {
        Map<ChallengeCategory, Order> out = new java.util.EnumMap<>(ChallengeCategory.class);
        selections(metrics).forEach((c, s) -> out.put(c, s.order()));
        return Collections.unmodifiableMap(out);
    }

    private static double metric(Map<String, String> metrics, String key) {
        String v = metrics.get(key);
        if (v == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ranker metric " + key + " is not a number: " + v);
        }
    }

    /**
     * The categories whose requests keep the first-stage order ({@link #orders()}); empty for a ranker whose metrics
     * hold no per-category validation.
     */
    public Set<ChallengeCategory> firstStageCategories() {
        return categories(metrics, Order.FIRST_STAGE);
    }

    /** The categories the selection gives {@code order} to, over a ranker's recorded metrics. */
    public static Set<ChallengeCategory> categories(Map<String, String> metrics, Order order) {
        Set<ChallengeCategory> out = EnumSet.noneOf(ChallengeCategory.class);
        orders(metrics).forEach((c, o) -> {
            if (o == order) {
                out.add(c);
            }
        });
        return Collections.unmodifiableSet(out);
    }

    /** {@link #categories(Map, Order)} for the first-stage order. */
    public static Set<ChallengeCategory> firstStageCategories(Map<String, String> metrics) {
        return categories(metrics, Order.FIRST_STAGE);
    }

    /** Training sizes and validation NDCG ({@code validation_ndcg@K}, also of the first-stage order). */
    public Map<String, String> metrics() {
        return metrics;
    }

    /**
     * Refuses to use this model with another feature list.
     *
     * @throws IllegalArgumentException naming both lists
     */
    public void checkFeatures(List<String> expected) {
        if (!features.equals(expected)) {
            throw new IllegalArgumentException("the ranker's feature list does not match: the ranker has " + features
                    + ", this build computes " + expected);
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                booster.dispose();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "RankerModel[" + features.size() + " features, " + parameters + ", " + metrics + ", from " + builtFrom
                + "]";
    }
}
