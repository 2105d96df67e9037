package dev.segue.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.Test;

/**
 * The JVM evaluation of the ranker's trees gives XGBoost's own scores bit for bit: on random LambdaMART models of
 * many depths and sizes, trained on rows with missing values, for random rows and rows that sit exactly on, just
 * below and just above every split condition.
 */
class TreeEnsembleTest {
    static final int FEATURES = RankFeatures.count();

    /** A rank:ndcg booster on random data whose label depends on a few columns; about a tenth missing values. */
    private static Booster randomModel(long seed, int rounds, int depth, int rows) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * FEATURES];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < FEATURES; j++) {
                x[r * FEATURES + j] = random.nextInt(10) == 0 ? Float.NaN
                        : j % 3 == 0 ? random.nextInt(5) : (float) random.nextGaussian();
            }
            float s = x[r * FEATURES] + (Float.isNaN(x[r * FEATURES + 1]) ? 0 : x[r * FEATURES + 1]);
            y[r] = s > 2 ? 2 : s > 0.5 ? 1 : 0;
        }
        int groups = rows / 20;
        int[] sizes = new int[groups];
        java.util.Arrays.fill(sizes, 20);
        Map<String, Object> p = XgboostTrees.params("rank:ndcg", 0.3, depth, 1, 0.8, 1, seed);
        p.put("lambdarank_pair_method", "topk");
        return XgboostTrees.train(x, rows, FEATURES, y, sizes, p, rounds);
    }

    private static void assertSameAsXgboost(Booster b, float[] rows, int n) throws Exception {
        TreeEnsemble t = TreeEnsemble.fromJson(b.toByteArray("json"));
        float[][] expected = b.inplace_predict(rows, n, FEATURES, Float.NaN);
        float[] got = new float[n];
        t.predict(rows, n, FEATURES, got);
        for (int i = 0; i < n; i++) {
            int row = i;
            assertEquals(Float.floatToIntBits(expected[i][0]), Float.floatToIntBits(got[i]),
                    () -> "row " + row + ": XGBoost " + expected[row][0] + ", JVM trees " + got[row]);
        }
    }

    @Test
    void givesXgboostsScoresBitForBitOnRandomModelsAndRows() throws Exception {
        int[][] shapes = {{1, 1}, {5, 2}, {40, 4}, {30, 6}, {60, 8}, {12, 10}};
        for (int m = 0; m < shapes.length; m++) {
            Booster b = randomModel(100 + m, shapes[m][0], shapes[m][1], 600);
            try {
                TreeEnsemble t = TreeEnsemble.fromJson(b.toByteArray("json"));
                assertEquals(shapes[m][0], t.trees());
                assertSameAsXgboost(b, t.probeRows(4000, FEATURES, m), 4000);
                SplittableRandom random = new SplittableRandom(m);
                float[] plain = new float[3000 * FEATURES];
                for (int i = 0; i < plain.length; i++) {
                    plain[i] = random.nextInt(8) == 0 ? Float.NaN : (float) (random.nextGaussian() * 3);
                }
                assertSameAsXgboost(b, plain, 3000);
            } finally {
                b.dispose();
            }
        }
    }

    /** XGBoost's margins, the blocked walk's for the given block sizes and the linked walk's, all bit for bit. */
    private static void assertBlockedSameAsXgboost(Booster b, float[] rows, int n, int... blocks) throws Exception {
        TreeEnsemble t = TreeEnsemble.fromJson(b.toByteArray("json"));
        float[][] expected = b.inplace_predict(rows, n, FEATURES, Float.NaN);
        float[] linked = new float[n];
        t.predictLinked(rows, n, FEATURES, linked);
        for (int block : blocks) {
            float[] got = new float[n];
            t.predictBlocked(rows, n, FEATURES, got, block);
            for (int i = 0; i < n; i++) {
                int row = i;
                assertEquals(Float.floatToIntBits(expected[i][0]), Float.floatToIntBits(got[i]),
                        () -> "block " + block + ", row " + row + ": XGBoost " + expected[row][0] + ", blocked "
                                + got[row]);
                assertEquals(Float.floatToIntBits(linked[i]), Float.floatToIntBits(got[i]));
            }
        }
    }

    @Test
    void theBlockedWalkGivesXgboostsScoresForEveryBlockSize() throws Exception {
        // Depths 1 to 10 (leaves at many levels: padded to the last), rows with NaN, infinities, both zeros and
        // values on every split; blocks of 1, 3 (no multiple of the four-row walk), 64 and larger than all rows.
        int[][] shapes = {{1, 1}, {7, 3}, {25, 6}, {9, 10}};
        for (int m = 0; m < shapes.length; m++) {
            Booster b = randomModel(300 + m, shapes[m][0], shapes[m][1], 600);
            try {
                TreeEnsemble t = TreeEnsemble.fromJson(b.toByteArray("json"));
                int n = 1003;
                float[] rows = t.probeRows(n, FEATURES, 40 + m);
                SplittableRandom random = new SplittableRandom(m);
                float[] odd = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
                        -Float.MIN_VALUE, Float.NaN, Float.MAX_VALUE, -Float.MAX_VALUE};
                for (int i = 0; i < rows.length; i += 1 + random.nextInt(7)) {
                    rows[i] = odd[random.nextInt(odd.length)];
                }
                assertBlockedSameAsXgboost(b, rows, n, 1, 3, 4, 64, 5000);
                assertBlockedSameAsXgboost(b, rows, 1, 1, 64);
                float[] none = new float[0];
                t.predictBlocked(rows, 0, FEATURES, none, 64);
            } finally {
                b.dispose();
            }
        }
    }

    @Test
    void sortableIntsKeepTheFloatOrder() {
        SplittableRandom random = new SplittableRandom(11);
        float[] special = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1f, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE,
                1f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        for (int i = 0; i < 200_000; i++) {
            float a = i < 100 ? special[i % 10] : Float.intBitsToFloat(random.nextInt());
            float b = i < 100 ? special[i / 10] : random.nextBoolean() ? Float.intBitsToFloat(random.nextInt())
                    : Math.nextUp(a);
            if (Float.isNaN(a) || Float.isNaN(b)) {
                continue;
            }
            int sa = TreeEnsemble.sortable(a);
            int sb = TreeEnsemble.sortable(b);
            assertEquals(a < b, sa < sb, a + " < " + b);
            assertTrue(sa != Integer.MIN_VALUE && sa != Integer.MAX_VALUE, "sortable(" + a + ")");
        }
    }

    @Test
    void aFittedRankerScoresOnTheJvmAsXgboostDoes() {
        SplittableRandom random = new SplittableRandom(3);
        Examples train = new Examples(FEATURES);
        for (int g = 0; g < 40; g++) {
            float[] x = new float[30 * FEATURES];
            float[] y = new float[30];
            for (int r = 0; r < 30; r++) {
                for (int j = 0; j < FEATURES; j++) {
                    x[r * FEATURES + j] = random.nextInt(6) == 0 ? Float.NaN : (float) random.nextGaussian();
                }
                y[r] = x[r * FEATURES + RankFeatures.TITLE_SHARE] > 0.8 ? 1 : 0;
            }
            train.add(x, y);
        }
        try (RankerModel m = RankerModel.fit(RankFeatures.NAMES, train, null,
                new RankerModel.Params(50, 0.2, 6, 1, 1.0, 10, 1, 5), Map.of())) {
            assertEquals("jvm-trees", m.scorer());
            float[] rows = TreeEnsemble.fromJson(m.toBytes("json")).probeRows(2000, FEATURES, 9);
            float[] jvm = m.predict(rows, 2000);
            float[] xgb = m.predictWithXgboost(rows, 2000);
            for (int i = 0; i < jvm.length; i++) {
                assertEquals(Float.floatToIntBits(xgb[i]), Float.floatToIntBits(jvm[i]), "row " + i);
            }
            m.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> m.predict(rows, 2000));
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        }
    }

    @Test
    void refusesModelsItDoesNotEvaluateWithTheReason() {
        IllegalArgumentException linear = assertThrows(IllegalArgumentException.class, () -> TreeEnsemble.fromJson(
                "{\"learner\":{\"gradient_booster\":{\"name\":\"gblinear\"}}}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(linear.getMessage().contains("gblinear"), linear.getMessage());
        IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class,
                () -> TreeEnsemble.fromJson("{trees".getBytes(StandardCharsets.UTF_8)));
        assertTrue(notJson.getMessage().startsWith("not an XGBoost JSON model"), notJson.getMessage());
        String categorical = "{\"learner\":{\"gradient_booster\":{\"name\":\"gbtree\",\"model\":{\"trees\":[{"
                + "\"left_children\":[1,-1,-1],\"right_children\":[2,-1,-1],\"split_indices\":[0,0,0],"
                + "\"split_conditions\":[0.5,1,2],\"default_left\":[0,0,0],\"split_type\":[1,0,0]}]}},"
                + "\"learner_model_param\":{\"base_score\":\"[0]\",\"num_feature\":\"1\"}}}";
        IllegalArgumentException cat = assertThrows(IllegalArgumentException.class,
                () -> TreeEnsemble.fromJson(categorical.getBytes(StandardCharsets.UTF_8)));
        assertTrue(cat.getMessage().contains("categorical split"), cat.getMessage());
    }
}
