package dev.segue.ranking;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The boosted trees of an XGBoost {@code gbtree} model, evaluated on the JVM: the serving path's scorer (issue 19,
 * item 4). XGBoost's own prediction goes through JNI, copies the matrix into native memory and runs OpenMP threads
 * that spin on a 2-core server; this walks the same trees over the caller's float matrix in the caller's thread,
 * allocating nothing but the output.
 *
 * <p>It computes what XGBoost computes, bit for bit: the margin starts at the model's {@code base_score} and each
 * tree's leaf value is added in float, tree by tree in model order (XGBoost's CPU predictor); a node sends a row
 * left when {@code value < split_condition}, and a missing value ({@code NaN}) its learned default way. The
 * {@code rank:ndcg} objective's output is the margin itself. {@link RankerModel} checks agreement with XGBoost on
 * sample rows whenever it loads a model, and {@code TreeEnsembleTest} on many random models and rows.
 *
 * <p>Read from the model's JSON ({@code Booster.toByteArray("json")}); floats are parsed from their decimal text,
 * which XGBoost writes as the shortest text that reads back as the same float. Models this does not evaluate
 * (another booster, categorical splits, several targets or vector leaves) are refused with the reason.
 * Immutable and thread-safe.
 */
public final class TreeEnsemble {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Ints per node in {@link #nodes}: split feature, condition bits, left, right, missing-value child. */
    private static final int STRIDE = 5;

    private final int features;
    private final float base;
    private final int[] roots;
    /**
     * Every node packed for the walk, {@link #STRIDE} ints at {@code node · STRIDE}: feature, {@code
     * floatToRawIntBits(condition)}, left child, right child, and the child a missing value takes. A leaf points to
     * itself with feature 0, so a walk can take its tree's depth in steps whatever leaf it meets first.
     */
    private final int[] nodes;
    /** Per tree: its depth (the most steps from the root to a leaf). */
    private final int[] depths;
    /** Per node: split feature, or -1 for a leaf. */
    private final int[] feature;
    /** Per node: split condition, or the leaf value. */
    private final float[] value;
    /** Per node: absolute index of the left child (the right child is the next entry of {@link #right}). */
    private final int[] left;
    private final int[] right;
    private final boolean[] defaultLeft;

    private TreeEnsemble(int features, float base, int[] roots, int[] feature, float[] value, int[] left, int[] right,
                         boolean[] defaultLeft) {
        this.features = features;
        this.base = base;
        this.roots = roots;
        this.feature = feature;
        this.value = value;
        this.left = left;
        this.right = right;
        this.defaultLeft = defaultLeft;
        this.nodes = new int[feature.length * STRIDE];
        for (int n = 0; n < feature.length; n++) {
            int b = n * STRIDE;
            boolean leaf = feature[n] < 0;
            nodes[b] = leaf ? 0 : feature[n];
            nodes[b + 1] = Float.floatToRawIntBits(value[n]);
            nodes[b + 2] = leaf ? n : left[n];
            nodes[b + 3] = leaf ? n : right[n];
            nodes[b + 4] = leaf ? n : defaultLeft[n] ? left[n] : right[n];
        }
        this.depths = new int[roots.length];
        for (int t = 0; t < roots.length; t++) {
            depths[t] = depth(roots[t], 0);
        }
    }

    private int depth(int n, int level) {
        if (level > 64) {
            throw new IllegalArgumentException("a tree deeper than 64 levels or with a cycle");
        }
        return feature[n] < 0 ? 0 : 1 + Math.max(depth(left[n], level + 1), depth(right[n], level + 1));
    }

    /**
     * Reads an XGBoost model in its JSON form.
     *
     * @throws IllegalArgumentException not a model this class evaluates, with the reason
     */
    public static TreeEnsemble fromJson(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an XGBoost JSON model: " + e.getMessage(), e);
        }
        JsonNode learner = root.path("learner");
        JsonNode booster = learner.path("gradient_booster");
        if (!"gbtree".equals(booster.path("name").asText())) {
            throw new IllegalArgumentException("only gbtree models are evaluated on the JVM, this one is '"
                    + booster.path("name").asText() + "'");
        }
        JsonNode param = learner.path("learner_model_param");
        int targets = Math.max(1, param.path("num_target").asInt(1));
        int classes = param.path("num_class").asInt(0);
        if (targets != 1 || classes > 1) {
            throw new IllegalArgumentException("only single-output models are evaluated on the JVM, this one has "
                    + targets + " targets and " + classes + " classes");
        }
        int features = param.path("num_feature").asInt(-1);
        float base = parseFloat(param.path("base_score").asText().replace("[", "").replace("]", ""), "base_score");
        JsonNode trees = booster.path("model").path("trees");
        if (!trees.isArray()) {
            throw new IllegalArgumentException("the model has no trees array");
        }
        int total = 0;
        for (JsonNode t : trees) {
            total += t.path("left_children").size();
        }
        int[] roots = new int[trees.size()];
        int[] feature = new int[total];
        float[] value = new float[total];
        int[] left = new int[total];
        int[] right = new int[total];
        boolean[] defaultLeft = new boolean[total];
        int at = 0;
        int ti = 0;
        for (JsonNode t : trees) {
            int size = t.path("left_children").size();
            int leafVector = t.path("tree_param").path("size_leaf_vector").asInt(1);
            if (leafVector > 1) {
                throw new IllegalArgumentException("tree " + ti + " has vector leaves (" + leafVector + ")");
            }
            JsonNode lc = t.path("left_children");
            JsonNode rc = t.path("right_children");
            JsonNode si = t.path("split_indices");
            JsonNode sc = t.path("split_conditions");
            JsonNode dl = t.path("default_left");
            JsonNode st = t.path("split_type");
            if (rc.size() != size || si.size() != size || sc.size() != size || dl.size() != size) {
                throw new IllegalArgumentException("tree " + ti + " has node arrays of different lengths");
            }
            roots[ti] = at;
            for (int i = 0; i < size; i++) {
                int l = lc.get(i).asInt();
                int n = at + i;
                value[n] = parseFloat(sc.get(i).asText(), "split_conditions");
                if (l < 0) {
                    feature[n] = -1;
                    left[n] = -1;
                    right[n] = -1;
                } else {
                    if (st.size() == size && st.get(i).asInt() != 0) {
                        throw new IllegalArgumentException("tree " + ti + " has a categorical split at node " + i
                                + "; only numerical splits are evaluated on the JVM");
                    }
                    int r = rc.get(i).asInt();
                    int f = si.get(i).asInt();
                    if (l >= size || r < 0 || r >= size || f < 0 || (features > 0 && f >= features)) {
                        throw new IllegalArgumentException("tree " + ti + " node " + i + " points outside the tree"
                                + " (children " + l + ", " + r + ", feature " + f + ")");
                    }
                    feature[n] = f;
                    left[n] = at + l;
                    right[n] = at + r;
                    JsonNode d = dl.get(i);
                    defaultLeft[n] = d.isBoolean() ? d.asBoolean() : d.asInt() != 0;
                }
            }
            at += size;
            ti++;
        }
        return new TreeEnsemble(features, base, roots, feature, value, left, right, defaultLeft);
    }

    private static float parseFloat(String text, String field) {
        try {
            return Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the model's " + field + " '" + text + "' is not a number");
        }
    }

    /** Number of trees. */
    public int trees() {
        return roots.length;
    }

    /** The model's feature count ({@code num_feature}), -1 when it does not say. */
    public int features() {
        return features;
    }

    /**
     * The margins of {@code rows} rows of a row-major matrix of {@code cols} columns into {@code out[0..rows)}.
     * {@code NaN} is a missing value.
     */
    public void predict(float[] matrix, int rows, int cols, float[] out) {
        if (features > cols) {
            throw new IllegalArgumentException("the trees use " + features + " features; rows have " + cols);
        }
        java.util.Arrays.fill(out, 0, rows, base);
        float[] value = this.value;
        // Four rows walk each tree together, a fixed number of steps (leaves point to themselves): independent
        // loads and selects instead of one data-dependent branch per level, which mispredicts about half the time.
        for (int t = 0; t < roots.length; t++) {
            int root = roots[t];
            int depth = depths[t];
            int r = 0;
            for (int o = 0; r + 4 <= rows; r += 4, o += 4 * cols) {
                int n0 = root;
                int n1 = root;
                int n2 = root;
                int n3 = root;
                for (int d = 0; d < depth; d++) {
                    n0 = step(n0, matrix, o);
                    n1 = step(n1, matrix, o + cols);
                    n2 = step(n2, matrix, o + 2 * cols);
                    n3 = step(n3, matrix, o + 3 * cols);
                }
                out[r] += value[n0];
                out[r + 1] += value[n1];
                out[r + 2] += value[n2];
                out[r + 3] += value[n3];
            }
            for (int o = r * cols; r < rows; r++, o += cols) {
                int n = root;
                for (int d = 0; d < depth; d++) {
                    n = step(n, matrix, o);
                }
                out[r] += value[n];
            }
        }
    }

    /** One level down from node {@code n} for the row at {@code o}: XGBoost's rule (missing: the default way). */
    private int step(int n, float[] matrix, int o) {
        int b = n * STRIDE;
        float x = matrix[o + nodes[b]];
        int next = x < Float.intBitsToFloat(nodes[b + 1]) ? nodes[b + 2] : nodes[b + 3];
        return x != x ? nodes[b + 4] : next;
    }

    /**
     * {@code rows} rows of {@code cols} features that exercise every split: each value is one of the model's split
     * conditions for that feature, or the float just below or above it, or {@code NaN}, or a random value. Used to
     * check this evaluator against XGBoost's (deterministic for a seed).
     */
    public float[] probeRows(int rows, int cols, long seed) {
        float[][] splits = new float[cols][];
        int[] counts = new int[cols];
        for (int n = 0; n < feature.length; n++) {
            if (feature[n] >= 0 && feature[n] < cols) {
                counts[feature[n]]++;
            }
        }
        for (int j = 0; j < cols; j++) {
            splits[j] = new float[counts[j]];
            counts[j] = 0;
        }
        for (int n = 0; n < feature.length; n++) {
            if (feature[n] >= 0 && feature[n] < cols) {
                splits[feature[n]][counts[feature[n]]++] = value[n];
            }
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] out = new float[rows * cols];
        for (int i = 0; i < out.length; i++) {
            float[] s = splits[i % cols];
            int pick = random.nextInt(10);
            if (pick == 0) {
                out[i] = Float.NaN;
            } else if (pick < 3 || s.length == 0) {
                out[i] = (float) (random.nextGaussian() * 100);
            } else {
                float t = s[random.nextInt(s.length)];
                out[i] = pick < 5 ? t : pick < 7 ? Math.nextDown(t) : pick < 9 ? Math.nextUp(t)
                        : t + (float) random.nextGaussian();
            }
        }
        return out;
    }
}
