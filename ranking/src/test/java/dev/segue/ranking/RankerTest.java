package dev.segue.ranking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.store.CorruptionException;
import dev.segue.store.FeatureStore;
import dev.segue.store.StoreArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LambdaMART ranker on a synthetic problem (the relevant candidate of each group is the one with the largest
 * {@code title_share}), its store artifact, its refusals, concurrent prediction and the two stages around it.
 */
class RankerTest {
    static final int GROUP = 20;
    static final RankerModel.Params PARAMS = new RankerModel.Params(30, 0.3, 3, 1, 1.0, 10, 1, 7);

    @TempDir
    static Path dir;
    static RankerModel model;

    @BeforeAll
    static void train() {
        Random rnd = new Random(11);
        model = RankerModel.fit(RankFeatures.NAMES, synthetic(rnd, 150), synthetic(rnd, 40), PARAMS,
                Map.of("track_stats", "v1", "track_neighbours", "v2"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /**
     * Groups of random rows (a tenth of the values missing); one relevant row per group, the only one whose
     * title_share is above 0.7.
     */
    static Examples synthetic(Random rnd, int groups) {
        int f = RankFeatures.count();
        Examples e = new Examples(f);
        for (int g = 0; g < groups; g++) {
            float[] x = new float[GROUP * f];
            float[] y = new float[GROUP];
            int relevant = rnd.nextInt(GROUP);
            for (int r = 0; r < GROUP; r++) {
                for (int j = 0; j < f; j++) {
                    x[r * f + j] = rnd.nextInt(10) == 0 ? Float.NaN : rnd.nextFloat();
                }
                x[r * f + RankFeatures.TITLE_SHARE] = r == relevant ? 0.7f + 0.3f * rnd.nextFloat() : 0.7f * rnd.nextFloat();
            }
            y[relevant] = 1;
            e.add(x, y);
        }
        return e;
    }

    @Test
    void ranksTheRelevantCandidateFirstOnUnseenGroups() {
        Examples test = synthetic(new Random(99), 50);
        float[] s = model.predict(test.matrix(), test.rows());
        float[] y = test.labels();
        int first = 0;
        for (int g = 0; g < test.groups(); g++) {
            int top = g * GROUP;
            for (int r = g * GROUP; r < (g + 1) * GROUP; r++) {
                if (s[r] > s[top]) {
                    top = r;
                }
            }
            first += y[top] == 1 ? 1 : 0;
        }
        assertTrue(first >= 45, first + " of 50 groups have the relevant candidate first");
        double ndcg = Double.parseDouble(model.metrics().get("validation_ndcg@10"));
        double firstStage = Double.parseDouble(model.metrics().get("validation_first_stage_ndcg@10"));
        assertTrue(ndcg > 0.9 && ndcg > firstStage + 0.3, model.metrics().toString());
        assertEquals("150", model.metrics().get("train_groups"));
        assertTrue(model.featureImportance().containsKey("title_share"), model.featureImportance().toString());
    }

    @Test
    void earlyStoppingKeepsTheBestValidationRoundAsAPlainFitOfThatManyRounds() {
        // An easy problem learnt in a few rounds at eta 0.3, with noisy labels so later rounds only overfit.
        Random rnd = new Random(23);
        Examples train = synthetic(rnd, 60);
        Examples validation = synthetic(rnd, 40);
        float[] y = train.labels();
        for (int i = 0; i < y.length; i += 7) {
            y[i] = 1 - y[i];
        }
        Examples noisy = new Examples(train.features());
        for (int g = 0; g < train.groups(); g++) {
            noisy.add(java.util.Arrays.copyOfRange(train.matrix(), g * GROUP * train.features(),
                    (g + 1) * GROUP * train.features()), java.util.Arrays.copyOfRange(y, g * GROUP, (g + 1) * GROUP));
        }
        RankerModel.Params stop = new RankerModel.Params(150, 0.3, 4, 1, 1.0, 10, 1, 7, 5);
        try (RankerModel stopped = RankerModel.fit(RankFeatures.NAMES, noisy, validation, stop, Map.of())) {
            int run = Integer.parseInt(stopped.metrics().get(RankerModel.ROUNDS_RUN));
            int kept = Integer.parseInt(stopped.metrics().get(RankerModel.ROUNDS_KEPT));
            assertTrue(kept >= 1 && kept < run && run < 150 && run - kept == 5, stopped.metrics().toString());
            assertEquals("5", stopped.parameters().get("early_stopping_rounds"));
            assertEquals(kept, TreeEnsemble.fromJson(stopped.toBytes("json")).trees());
            RankerModel.Params plainParams = new RankerModel.Params(kept, 0.3, 4, 1, 1.0, 10, 1, 7);
            try (RankerModel plain = RankerModel.fit(RankFeatures.NAMES, noisy, validation, plainParams, Map.of())) {
                assertEquals(Integer.toString(kept), plain.metrics().get(RankerModel.ROUNDS_KEPT));
                float[] a = stopped.predict(validation.matrix(), validation.rows());
                float[] b = plain.predict(validation.matrix(), validation.rows());
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToIntBits(b[i]), Float.floatToIntBits(a[i]), "row " + i);
                }
            }
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new RankerModel.Params(10, 0.3, 4, 1, 1.0, 10, 1, 7, -1));
        assertTrue(bad.getMessage().contains("earlyStopping"), bad.getMessage());
    }

    @Test
    void artifactRoundTripKeepsPredictionsAndRecord() throws Exception {
        FeatureStore store = FeatureStore.open(dir.resolve("roundtrip"));
        RankerArtifacts artifacts = new RankerArtifacts(store);
        assertTrue(artifacts.latest().isEmpty());
        String version = RankerArtifacts.newVersion();
        StoreArtifacts.Artifact a = artifacts.save(version, model, 3000);
        assertEquals(dir.resolve("roundtrip").resolve("_artifacts").resolve("ranker").resolve(version)
                .resolve(RankerArtifacts.NAME).toAbsolutePath(), a.folder());
        assertEquals(List.of(version), artifacts.versions());
        Examples test = synthetic(new Random(5), 10);
        float[] before = model.predict(test.matrix(), test.rows());
        try (RankerModel loaded = artifacts.load("latest", RankFeatures.NAMES)) {
            assertArrayEquals(before, loaded.predict(test.matrix(), test.rows()));
            assertEquals(RankFeatures.NAMES, loaded.features());
            assertEquals(model.builtFrom(), loaded.builtFrom());
            assertEquals(model.parameters(), loaded.parameters());
            assertEquals(model.metrics(), loaded.metrics());
            assertEquals("rank:ndcg", loaded.parameters().get("objective"));
        }
        assertEquals(RankFeatures.count(), a.manifest().dim());
        assertEquals(3000, a.manifest().rowCount());
    }

    @Test
    void refusesAnotherFeatureListNamingBoth() throws Exception {
        FeatureStore store = FeatureStore.open(dir.resolve("mismatch"));
        RankerArtifacts artifacts = new RankerArtifacts(store);
        String version = RankerArtifacts.newVersion();
        artifacts.save(version, model, 3000);
        List<String> other = new ArrayList<>(RankFeatures.NAMES);
        other.set(0, "renamed_score");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> artifacts.load(version, other));
        assertTrue(e.getMessage().contains(RankFeatures.NAMES.toString()) && e.getMessage().contains(other.toString()),
                e.getMessage());
        // and the two stages refuse a model of other features
        Examples two = new Examples(2);
        Random rnd = new Random(1);
        for (int g = 0; g < 5; g++) {
            two.add(new float[] {rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat()}, new float[] {1, 0});
        }
        try (RankerModel small = RankerModel.fit(List.of("a", "b"), two, null, PARAMS, Map.of())) {
            IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                    () -> new TwoStage(null, FactorAccess.NONE, small));
            assertTrue(e2.getMessage().contains("[a, b]"), e2.getMessage());
        }
    }

    @Test
    void refusesACorruptModelFileNamingThePath() throws Exception {
        FeatureStore store = FeatureStore.open(dir.resolve("corrupt"));
        RankerArtifacts artifacts = new RankerArtifacts(store);
        String version = RankerArtifacts.newVersion();
        Path file = artifacts.save(version, model, 3000).file();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        CorruptionException e = assertThrows(CorruptionException.class, () -> artifacts.load(version, RankFeatures.NAMES));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void refusesAMissingRanker() {
        RankerArtifacts artifacts = new RankerArtifacts(FeatureStore.open(dir.resolve("empty")));
        IllegalArgumentException latest = assertThrows(IllegalArgumentException.class,
                () -> artifacts.load("latest", RankFeatures.NAMES));
        assertTrue(latest.getMessage().startsWith("no ranker in "), latest.getMessage());
        IllegalArgumentException named = assertThrows(IllegalArgumentException.class,
                () -> artifacts.load("20990101T000000Z-deadbeef", RankFeatures.NAMES));
        assertTrue(named.getMessage().contains("20990101T000000Z-deadbeef"), named.getMessage());
    }

    @Test
    void predictsFromManyThreadsAsFromOne() throws Exception {
        int tasks = 64;
        List<Examples> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            Examples e = synthetic(new Random(1000 + i), 3);
            inputs.add(e);
            expected.add(model.predict(e.matrix(), e.rows()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<float[]>> out = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (Examples e : inputs) {
                    out.add(pool.submit(() -> model.predict(e.matrix(), e.rows())));
                }
            }
            for (int i = 0; i < out.size(); i++) {
                assertArrayEquals(expected.get(i % tasks), out.get(i).get(), "task " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsAMatrixOfTheWrongShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(new float[5], 1));
        assertTrue(e.getMessage().contains(RankFeatures.count() + " features"), e.getMessage());
    }

    @Test
    void twoStagesOnTheTinyWorld(@TempDir Path store) {
        String v = TinyWorld.write(store, true);
        RankingData data = RankingData.load(FeatureStore.open(store), v);
        CandidateGenerator gen = new CandidateGenerator(data, CandidateConfig.defaults());
        // a ranker trained through the example builder on tiny playlists whose held-out track is their title's
        // most held track: it learns to put the title's tracks first
        ExampleBuilder builder = new ExampleBuilder(gen, TinyWorld.factorAccess());
        Examples train = new Examples(RankFeatures.count());
        Random rnd = new Random(3);
        String[] titles = {"chill", "workout"};
        int[] held = {7, 2};
        for (int p = 0; p < 60; p++) {
            int t = rnd.nextInt(2);
            int[] seeds = {3 + rnd.nextInt(3), 9 - rnd.nextInt(2)};
            int[] wrmf = {4, 5, 6, 8};
            float[] wrmfScores = {0.4f, 0.3f, 0.2f, 0.1f};
            ExampleBuilder.Group g = builder.build(new RankRequest(seeds, titles[t], wrmf, wrmfScores), new int[] {held[t]});
            train.add(g.features(), g.labels());
        }
        RankerModel titleModel = RankerModel.fit(RankFeatures.NAMES, train, null, PARAMS, data.versions());
        TwoStage two = new TwoStage(gen, TinyWorld.factorAccess(), titleModel);
        RankRequest r = CandidatesAndFeaturesTest.request();
        TwoStage.Result first = two.recommend(r, 3, false);
        assertFalse(first.secondStage());
        assertArrayEquals(new int[] {9, 6, 5}, first.tracks());
        assertEquals(8, first.candidates());
        TwoStage.Result ranked = two.recommend(r, 3, true);
        assertTrue(ranked.secondStage());
        assertEquals(7, ranked.tracks()[0], "the title's most held track (title_share 0.5) first");
        assertTrue(ranked.scores()[0] >= ranked.scores()[1] && ranked.scores()[1] >= ranked.scores()[2]);
        assertEquals(first.sources(), ranked.sources());
        TwoStage.Result noRanker = new TwoStage(gen, TinyWorld.factorAccess(), null).recommend(r, 100, true);
        assertFalse(noRanker.secondStage());
        assertEquals(8, noRanker.tracks().length);
        // ties keep the first-stage order
        assertArrayEquals(new int[] {2, 1, 0, 3}, TwoStage.order(new float[] {1, 2, 3, 1}));
        assertArrayEquals(new int[] {1, 4, 3, 2, 5, 0}, TwoStage.order(new float[] {Float.NaN, 1, -0f, 0f, 1, -7.5f}));
        titleModel.close();
    }

    @Test
    void theValidationGuardKeepsTheFirstStageOrderForShapesTheRankerLostOnValidation(@TempDir Path store) {
        String v = TinyWorld.write(store, true);
        RankingData data = RankingData.load(FeatureStore.open(store), v);
        CandidateGenerator gen = new CandidateGenerator(data, CandidateConfig.defaults());
        // lost on "title + first 5" (id 3) validation, won on "first 5, no title" (4), tied on "title only" (1)
        Map<String, String> metrics = new java.util.TreeMap<>(model.metrics());
        metrics.put(RankerModel.CATEGORY_NDCG + 3, "0.10");
        metrics.put(RankerModel.CATEGORY_FIRST_STAGE_NDCG + 3, "0.20");
        metrics.put(RankerModel.CATEGORY_NDCG + 4, "0.30");
        metrics.put(RankerModel.CATEGORY_FIRST_STAGE_NDCG + 4, "0.20");
        metrics.put(RankerModel.CATEGORY_NDCG + 1, "0.25");
        metrics.put(RankerModel.CATEGORY_FIRST_STAGE_NDCG + 1, "0.25");
        assertEquals(java.util.Set.of(dev.segue.format.ChallengeCategory.TITLE_FIRST_5),
                RankerModel.firstStageCategories(metrics));
        try (RankerModel guarded = RankerModel.fromBytes(model.toBytes(), RankFeatures.NAMES, model.builtFrom(),
                model.parameters(), metrics)) {
            TwoStage two = new TwoStage(gen, TinyWorld.factorAccess(), guarded);
            assertEquals(java.util.Set.of(dev.segue.format.ChallengeCategory.TITLE_FIRST_5), two.firstStageCategories());
            RankRequest titleTwoSeeds = CandidatesAndFeaturesTest.request(); // a title and 2 seeds: title + first 5
            assertFalse(two.ranks(titleTwoSeeds));
            TwoStage.Result kept = two.recommend(titleTwoSeeds, 3, true);
            assertFalse(kept.secondStage(), "the guarded shape keeps the first stage and says so");
            assertArrayEquals(two.recommend(titleTwoSeeds, 3, false).tracks(), kept.tracks());
            RankRequest noTitle = new RankRequest(titleTwoSeeds.seeds(), null, titleTwoSeeds.wrmfTracks(),
                    titleTwoSeeds.wrmfScores());
            assertTrue(two.ranks(noTitle));
            assertTrue(two.recommend(noTitle, 3, true).secondStage(), "first 5, no title: the ranker won");
            RankRequest titleOnly = new RankRequest(new int[0], "Chill!", new int[0], new float[0]);
            assertTrue(two.recommend(titleOnly, 3, true).secondStage(), "a tie is not a loss");
        }
        // a ranker without per-category validation (fitted before it was recorded) is never guarded
        assertTrue(model.firstStageCategories().isEmpty());
        assertTrue(new TwoStage(gen, TinyWorld.factorAccess(), model).recommend(CandidatesAndFeaturesTest.request(), 3,
                true).secondStage());
    }

    @Test
    void thePerShapeSelectionPicksTheBestOrderOnValidationAndPopularityOrdersByPlaylists(@TempDir Path store) {
        String v = TinyWorld.write(store, true);
        RankingData data = RankingData.load(FeatureStore.open(store), v);
        CandidateGenerator gen = new CandidateGenerator(data, CandidateConfig.defaults());
        Map<String, String> metrics = new java.util.TreeMap<>(model.metrics());
        // title + first 5 (3): popularity best; first 5, no title (4): ranker best; title only (1): first stage
        // best; title + first 10 (5): all three tied, the ranker keeps it; title + first 1 (2): no popularity metric
        put(metrics, 3, "0.10", "0.20", "0.30");
        put(metrics, 4, "0.30", "0.20", "0.25");
        put(metrics, 1, "0.20", "0.25", "0.22");
        put(metrics, 5, "0.20", "0.20", "0.20");
        metrics.put(RankerModel.CATEGORY_NDCG + 2, "0.10");
        metrics.put(RankerModel.CATEGORY_FIRST_STAGE_NDCG + 2, "0.05");
        Map<dev.segue.format.ChallengeCategory, RankerModel.Order> orders = RankerModel.orders(metrics);
        assertEquals(RankerModel.Order.POPULARITY, orders.get(dev.segue.format.ChallengeCategory.TITLE_FIRST_5));
        assertEquals(RankerModel.Order.RANKER, orders.get(dev.segue.format.ChallengeCategory.FIRST_5_NO_TITLE));
        assertEquals(RankerModel.Order.FIRST_STAGE, orders.get(dev.segue.format.ChallengeCategory.TITLE_ONLY));
        assertEquals(RankerModel.Order.RANKER, orders.get(dev.segue.format.ChallengeCategory.TITLE_FIRST_10));
        assertEquals(RankerModel.Order.RANKER, orders.get(dev.segue.format.ChallengeCategory.TITLE_FIRST_1));
        assertEquals(RankerModel.Order.RANKER, orders.get(dev.segue.format.ChallengeCategory.TITLE_RANDOM_100),
                "no validation for the shape: the ranker");
        assertEquals(java.util.Set.of(dev.segue.format.ChallengeCategory.TITLE_ONLY),
                RankerModel.firstStageCategories(metrics));
        metrics.put(RankerModel.CATEGORY_POPULARITY_NDCG + 4, "zero");
        assertThrows(IllegalArgumentException.class, () -> RankerModel.orders(metrics));
        metrics.put(RankerModel.CATEGORY_POPULARITY_NDCG + 4, "0.25");
        try (RankerModel selected = RankerModel.fromBytes(model.toBytes(), RankFeatures.NAMES, model.builtFrom(),
                model.parameters(), metrics)) {
            TwoStage two = new TwoStage(gen, TinyWorld.factorAccess(), selected);
            assertEquals(java.util.Set.of(dev.segue.format.ChallengeCategory.TITLE_FIRST_5), two.popularityCategories());
            RankRequest titleTwoSeeds = CandidatesAndFeaturesTest.request(); // title + first 5
            assertEquals(RankerModel.Order.POPULARITY, two.order(titleTwoSeeds));
            TwoStage.Result byPopularity = two.recommend(titleTwoSeeds, 3, true);
            // candidates 9, 6, 5, 7, 8, 2, 3, 4 in first-stage order; playlists(t) = 100 - 10 t
            assertArrayEquals(new int[] {2, 3, 4}, byPopularity.tracks());
            assertEquals((float) Math.log1p(80), byPopularity.scores()[0]);
            assertFalse(byPopularity.secondStage(), "the ranker did not order it");
            assertArrayEquals(new int[] {9, 6, 5}, two.recommend(titleTwoSeeds, 3, false).tracks(),
                    "second stage off: the first-stage order whatever the selection");
        }
        // a blend of the ranker with popularity that beats all three on validation orders by ranker + w·log_playlists
        metrics.put(RankerModel.blendKey(0.3f, dev.segue.format.ChallengeCategory.TITLE_FIRST_5), "0.40");
        metrics.put(RankerModel.blendKey(1f, dev.segue.format.ChallengeCategory.TITLE_FIRST_5), "0.35");
        assertEquals(new RankerModel.Selection(RankerModel.Order.RANKER, 0.3f),
                RankerModel.selections(metrics).get(dev.segue.format.ChallengeCategory.TITLE_FIRST_5));
        metrics.put(RankerModel.blendKey(3f, dev.segue.format.ChallengeCategory.TITLE_FIRST_10), "0.205");
        assertEquals(new RankerModel.Selection(RankerModel.Order.RANKER, 0f),
                RankerModel.selections(metrics).get(dev.segue.format.ChallengeCategory.TITLE_FIRST_10),
                "a blend within the selection margin of the ranker alone: the ranker alone");
        put(metrics, 6, "0.30", "0.309", "0.305");
        assertEquals(RankerModel.Order.RANKER, RankerModel.orders(metrics).get(
                dev.segue.format.ChallengeCategory.FIRST_10_NO_TITLE), "less than the margin above the ranker");
        put(metrics, 6, "0.30", "0.309", "0.311");
        assertEquals(RankerModel.Order.POPULARITY, RankerModel.orders(metrics).get(
                dev.segue.format.ChallengeCategory.FIRST_10_NO_TITLE), "more than the margin above the ranker");
        try (RankerModel blended = RankerModel.fromBytes(model.toBytes(), RankFeatures.NAMES, model.builtFrom(),
                model.parameters(), metrics)) {
            TwoStage two = new TwoStage(gen, TinyWorld.factorAccess(), blended);
            RankRequest r = CandidatesAndFeaturesTest.request();
            assertEquals(0.3f, two.popularityWeight(r));
            TwoStage.Result got = two.recommend(r, 100, true);
            assertTrue(got.secondStage(), "a blend is the ranker's order");
            Candidates c = gen.generate(r);
            float[] x = RankFeatures.compute(data, TinyWorld.factorAccess(), r, c, gen.config().similaritySeeds());
            float[] want = blended.predict(x, c.size());
            for (int i = 0; i < want.length; i++) {
                want[i] = want[i] + 0.3f * (float) Math.log1p(data.playlists(c.track(i)));
            }
            int[] order = TwoStage.order(want);
            for (int i = 0; i < order.length; i++) {
                assertEquals(c.track(order[i]), got.tracks()[i], "rank " + i);
                assertEquals(want[order[i]], got.scores()[i]);
            }
        }
    }

    private static void put(Map<String, String> metrics, int category, String ranker, String first, String pop) {
        metrics.put(RankerModel.CATEGORY_NDCG + category, ranker);
        metrics.put(RankerModel.CATEGORY_FIRST_STAGE_NDCG + category, first);
        metrics.put(RankerModel.CATEGORY_POPULARITY_NDCG + category, pop);
    }

    @Test
    void requestsMapToTheNearestChallengeShape() {
        assertEquals(dev.segue.format.ChallengeCategory.TITLE_ONLY, dev.segue.format.ChallengeCategory.nearest(true, 0, false));
        assertEquals(dev.segue.format.ChallengeCategory.FIRST_5_NO_TITLE, dev.segue.format.ChallengeCategory.nearest(false, 3, false));
        assertEquals(dev.segue.format.ChallengeCategory.FIRST_10_NO_TITLE, dev.segue.format.ChallengeCategory.nearest(false, 40, true));
        assertEquals(dev.segue.format.ChallengeCategory.TITLE_FIRST_10, dev.segue.format.ChallengeCategory.nearest(true, 7, true));
        assertEquals(dev.segue.format.ChallengeCategory.TITLE_RANDOM_25, dev.segue.format.ChallengeCategory.nearest(true, 25, true));
        assertEquals(dev.segue.format.ChallengeCategory.TITLE_FIRST_100, dev.segue.format.ChallengeCategory.nearest(true, 60, false));
        assertEquals(dev.segue.format.ChallengeCategory.TITLE_RANDOM_100, dev.segue.format.ChallengeCategory.nearest(true, 100, true));
    }

    @Test
    void exampleBuilderLabelsHeldOutCandidates(@TempDir Path store) {
        String v = TinyWorld.write(store, true);
        RankingData data = RankingData.load(FeatureStore.open(store), v);
        ExampleBuilder b = new ExampleBuilder(new CandidateGenerator(data, CandidateConfig.defaults()),
                TinyWorld.factorAccess());
        ExampleBuilder.Group g = b.build(CandidatesAndFeaturesTest.request(), new int[] {7, 3, 1});
        // candidates 9, 6, 5, 7, 8, 2, 3, 4: 7 and 3 are held out; 1 is a seed, so never a candidate
        assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 1, 0}, g.labels());
        assertEquals(3, g.heldOut());
        assertEquals(2, g.recalled());
        assertTrue(g.useful());
        assertEquals(8 * RankFeatures.count(), g.features().length);
        Examples e = new Examples(RankFeatures.count()).add(g.features(), g.labels());
        assertEquals(1, e.groups());
        assertEquals(8, e.rows());
    }
}
