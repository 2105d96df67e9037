package dev.segue.ranking;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The boosted trees of an XGBoost {@code gbtree} model, evaluated on the JVM: the serving path's scorer (issue 19,
 * item 4). XGBoost's own prediction goes through JNI, copies the matrix into native memory and runs OpenMP threads
 * that spin on a 2-core server; this walks the same trees over the caller's float matrix in the caller's thread,
 * allocating one block of int rows per call ({@link #predictBlocked}: trees laid out as complete binary trees,
 * walked tree-major over blocks of {@value #BLOCK_ROWS} rows, features as order-preserving ints with the missing
 * value's default way folded into the column a split reads, so a step is one node load, one compare and no branch;
 * see docs/benchmarks.md for its speed).
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
    /**
     * The trees as complete binary trees for {@link #predict}'s blocked walk, or null when a tree is too deep for
     * that ({@link #MAX_COMPLETE_DEPTH}; then {@link #predictLinked} walks). Tree {@code t} of depth {@code D =
     * depths[t]} has {@code 2^D - 1} inner nodes from {@code completeBase[t]}, node {@code i}'s children at {@code
     * 2i + 1} (left) and {@code 2i + 2} (right), each a long: the split's threshold as a {@link #sortable} int in the
     * high half and, in the low half, the column of the block's int rows it reads ({@link #blockColumn}). A leaf
     * above the last level is padded with nodes that always go left (threshold {@code Integer.MAX_VALUE}, which no
     * value of the column they read reaches), so every walk takes exactly {@code D} steps.
     */
    private final long[] complete;
    private final int[] completeBase;
    /** Per tree: its {@code 2^D} leaf values of the last level, from {@code leafBase[t]}. */
    private final float[] leaves;
    private final int[] leafBase;
    /** Columns of the int rows the blocked walk reads: twice the features any split uses. */
    private final int blockCols;

    /** Deepest tree walked as a complete binary tree (2^D longs and 2^D floats per tree); deeper models walk the linked nodes. */
    static final int MAX_COMPLETE_DEPTH = 12;
    /** Rows per block of the blocked walk: their int rows (~8 kB for 25 features) stay in L1 over all trees. */
    static final int BLOCK_ROWS = 64;

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
        int maxDepth = 0;
        int maxFeature = -1;
        for (int t = 0; t < roots.length; t++) {
            depths[t] = depth(roots[t], 0);
            maxDepth = Math.max(maxDepth, depths[t]);
        }
        for (int n = 0; n < feature.length; n++) {
            maxFeature = Math.max(maxFeature, feature[n]);
            if (feature[n] >= 0 && Float.isNaN(value[n])) {
                throw new IllegalArgumentException("node " + n + " has a NaN split condition");
            }
        }
        this.blockCols = 2 * (maxFeature + 1);
        if (maxDepth > MAX_COMPLETE_DEPTH) {
            this.complete = null;
            this.completeBase = null;
            this.leaves = null;
            this.leafBase = null;
            return;
        }
        this.completeBase = new int[roots.length];
        this.leafBase = new int[roots.length];
        long inner = 0;
        long leafCount = 0;
        for (int t = 0; t < roots.length; t++) {
            completeBase[t] = Math.toIntExact(inner);
            leafBase[t] = Math.toIntExact(leafCount);
            inner += (1L << depths[t]) - 1;
            leafCount += 1L << depths[t];
        }
        this.complete = new long[Math.toIntExact(inner)];
        this.leaves = new float[Math.toIntExact(leafCount)];
        for (int t = 0; t < roots.length; t++) {
            layOut(roots[t], 0, 0, depths[t], completeBase[t], leafBase[t]);
        }
    }

    /**
     * Places linked node {@code n} at position {@code i} (level {@code level}) of a complete tree of depth {@code
     * d}: a split keeps its threshold and column; a leaf is padded down the left edge to the last level.
     */
    private void layOut(int n, int i, int level, int d, int base, int leafAt) {
        if (level == d) {
            leaves[leafAt + i - ((1 << d) - 1)] = value[n];
            return;
        }
        if (feature[n] < 0) {
            complete[base + i] = pack(Integer.MAX_VALUE, blockColumn(0, true));
            layOut(n, 2 * i + 1, level + 1, d, base, leafAt);
            // The right subtree is never reached; its nodes stay zero and its leaves unread.
            return;
        }
        complete[base + i] = pack(sortable(value[n]), blockColumn(feature[n], defaultLeft[n]));
        layOut(left[n], 2 * i + 1, level + 1, d, base, leafAt);
        layOut(right[n], 2 * i + 2, level + 1, d, base, leafAt);
    }

    private static long pack(int threshold, int column) {
        return ((long) threshold << 32) | (column & 0xFFFFFFFFL);
    }

    /**
     * The column of the blocked walk's int rows a split on {@code f} reads: {@code 2f} holds the feature with a
     * missing value as {@code Integer.MAX_VALUE} (at or above every threshold: goes right), {@code 2f + 1} with it as
     * {@code Integer.MIN_VALUE} (below every threshold: goes left), so the missing value takes the split's default
     * way without a test of its own.
     */
    private static int blockColumn(int f, boolean defaultLeft) {
        return 2 * f + (defaultLeft ? 1 : 0);
    }

    /**
     * A non-NaN float as an int of the same order: {@code a < b} exactly when {@code sortable(a) < sortable(b)}
     * (both zeros are 0, as {@code -0f < 0f} is false). Values lie strictly between {@code Integer.MIN_VALUE} and
     * {@code Integer.MAX_VALUE} (infinities included).
     */
    static int sortable(float x) {
        if (x == 0) {
            return 0;
        }
        int bits = Float.floatToRawIntBits(x);
        return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
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
        if (complete == null) {
            predictLinked(matrix, rows, cols, out);
        } else {
            predictBlocked(matrix, rows, cols, out, BLOCK_ROWS);
        }
    }

    private void checkShape(float[] matrix, int rows, int cols, float[] out) {
        if (features > cols || blockCols / 2 > cols) {
            throw new IllegalArgumentException("the trees use " + Math.max(features, blockCols / 2)
                    + " features; rows have " + cols);
        }
        if (rows < 0 || matrix.length < (long) rows * cols || out.length < rows) {
            throw new IllegalArgumentException(rows + " rows of " + cols + " do not fit a matrix of "
                    + matrix.length + " values and " + out.length + " outputs");
        }
    }

    /**
     * {@link #predict} tree-major over blocks of {@code block} rows: a block's rows are first rewritten as the int
     * columns of {@link #blockColumn} ({@link #sortable} values, a missing value as the default way's extreme),
     * then each tree, its complete layout a few kB, walks all of the block's rows before the next tree: four rows at
     * once, a fixed number of steps, the child computed ({@code 2i + 1 + (x >= threshold)}) with one load per node.
     * Each row's leaf values are still added in model order, so the margins are the same floats as the linked walk's.
     */
    void predictBlocked(float[] matrix, int rows, int cols, float[] out, int block) {
        checkShape(matrix, rows, cols, out);
        if (complete == null) {
            throw new IllegalStateException("a tree deeper than " + MAX_COMPLETE_DEPTH + " levels: no complete layout");
        }
        if (block < 1) {
            throw new IllegalArgumentException("block must be >= 1, got " + block);
        }
        int bc = blockCols;
        int fc = bc / 2;
        int[] x = new int[Math.min(block, Math.max(rows, 1)) * bc];
        long[] complete = this.complete;
        float[] leaves = this.leaves;
        for (int r0 = 0; r0 < rows; r0 += block) {
            int n = Math.min(block, rows - r0);
            for (int r = 0; r < n; r++) {
                int src = (r0 + r) * cols;
                int dst = r * bc;
                for (int f = 0; f < fc; f++) {
                    float v = matrix[src + f];
                    int s = v != v ? Integer.MAX_VALUE : sortable(v);
                    x[dst + 2 * f] = s;
                    x[dst + 2 * f + 1] = v != v ? Integer.MIN_VALUE : s;
                }
                out[r0 + r] = base;
            }
            for (int t = 0; t < completeBase.length; t++) {
                int cb = completeBase[t];
                int d = depths[t];
                int lb = leafBase[t] - ((1 << d) - 1);
                int r = 0;
                for (int o = 0; r + 4 <= n; r += 4, o += 4 * bc) {
                    int i0 = 0;
                    int i1 = 0;
                    int i2 = 0;
                    int i3 = 0;
                    for (int l = 0; l < d; l++) {
                        long k0 = complete[cb + i0];
                        long k1 = complete[cb + i1];
                        long k2 = complete[cb + i2];
                        long k3 = complete[cb + i3];
                        i0 = 2 * i0 + (x[o + (int) k0] >= (int) (k0 >> 32) ? 2 : 1);
                        i1 = 2 * i1 + (x[o + bc + (int) k1] >= (int) (k1 >> 32) ? 2 : 1);
                        i2 = 2 * i2 + (x[o + 2 * bc + (int) k2] >= (int) (k2 >> 32) ? 2 : 1);
                        i3 = 2 * i3 + (x[o + 3 * bc + (int) k3] >= (int) (k3 >> 32) ? 2 : 1);
                    }
                    out[r0 + r] += leaves[lb + i0];
                    out[r0 + r + 1] += leaves[lb + i1];
                    out[r0 + r + 2] += leaves[lb + i2];
                    out[r0 + r + 3] += leaves[lb + i3];
                }
                for (int o = r * bc; r < n; r++, o += bc) {
                    int i = 0;
                    for (int l = 0; l < d; l++) {
                        long k = complete[cb + i];
                        i = 2 * i + (x[o + (int) k] >= (int) (k >> 32) ? 2 : 1);
                    }
                    out[r0 + r] += leaves[lb + i];
                }
            }
        }
    }

    /**
     * {@link #predict} over the trees' linked nodes, row-major: the walk for trees too deep for the complete layout,
     * and the reference the blocked walk is tested against.
     */
    void predictLinked(float[] matrix, int rows, int cols, float[] out) {
        checkShape(matrix, rows, cols, out);
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
