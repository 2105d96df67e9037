package dev.segue.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.als.WrmfParams;
import dev.segue.eval.EvaluationSet;
import dev.segue.eval.Evaluator;
import dev.segue.eval.MethodResult;
import dev.segue.eval.RecommendationSource;
import dev.segue.eval.RecommenderSource;
import dev.segue.eval.report.EvaluationReport;
import dev.segue.eval.report.MarkdownReport;
import dev.segue.eval.report.ReportBuilder;
import dev.segue.format.ChallengeCategory;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.TruthPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.ranking.CandidateConfig;
import dev.segue.ranking.ExactWrmf;
import dev.segue.ranking.ExampleBuilder;
import dev.segue.ranking.Examples;
import dev.segue.ranking.OfflineTwoStage;
import dev.segue.ranking.RankFeatures;
import dev.segue.ranking.RankerArtifacts;
import dev.segue.ranking.RankerModel;
import dev.segue.ranking.RankingData;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.WriteOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code two-stage} and {@code first-stage} on an eight-track store with a ranker fitted on it. */
class TwoStageMethodTest {
    static final int N = 8;
    static final String[] URIS = IntStream.range(0, N).mapToObj(i -> "spotify:track:t" + i).toArray(String[]::new);
    static final float[] FACTORS = {1, 0, 0.9f, 0.1f, 0.8f, 0.3f, 0, 1, 0.1f, 0.9f, 0.3f, 0.8f, 0.7f, 0.7f, -1, 0};

    @TempDir
    Path dir;

    FeatureStore store() {
        FeatureStore store = FeatureStore.open(dir);
        FeatureSetSchema factors = FeatureSetSchema.builder("track_factors")
                .entityKey("track_id", FeatureType.INT32).column("track_uri", FeatureType.UTF8, "uri")
                .embedding("factors", 2, "ALS").build();
        try (FeatureSetWriter w = store.writer(factors, WriteOptions.producer("test")
                .params(new WrmfParams(2.0, 0.1, 3, false, 1.0).toParameters()))) {
            w.append(Batch.builder(N).ints("track_id", IntStream.range(0, N).toArray()).strings("track_uri", URIS)
                    .embeddings("factors", FACTORS).build());
            w.commit();
        }
        FeatureSetSchema stats = FeatureSetSchema.builder("track_stats").entityKey("track_id", FeatureType.INT32)
                .column("track_uri", FeatureType.UTF8, "uri").column("popularity_rank", FeatureType.INT32, "rank")
                .column("playlists", FeatureType.INT64, "playlists").build();
        try (FeatureSetWriter w = store.writer(stats, WriteOptions.producer("test"))) {
            w.append(Batch.builder(N).ints("track_id", IntStream.range(0, N).toArray()).strings("track_uri", URIS)
                    .ints("popularity_rank", new int[] {7, 6, 5, 4, 3, 2, 1, 0})
                    .longs("playlists", new long[] {1, 2, 3, 4, 5, 6, 7, 8}).build());
            w.commit();
        }
        return store;
    }

    /** A ranker fitted on splits of two "themes" (tracks 0-2 and 3-5): a seed's theme-mates are held out. */
    static void fitRanker(FeatureStore store) throws Exception {
        OfflineTwoStage offline = new OfflineTwoStage(new ExactWrmf(store, 0.5),
                RankingData.load(store, store.latest("track_factors").version()), CandidateConfig.defaults(), null);
        Examples train = new Examples(RankFeatures.count());
        int[][] themes = {{0, 1, 2}, {3, 4, 5}};
        for (int[] theme : themes) {
            for (int seed : theme) {
                List<String> held = new ArrayList<>();
                for (int t : theme) {
                    if (t != seed) {
                        held.add(URIS[t]);
                    }
                }
                ExampleBuilder.Group g = offline.examples(List.of(URIS[seed]), null, held);
                train.add(g.features(), g.labels());
            }
        }
        try (RankerModel m = RankerModel.fit(RankFeatures.NAMES, train, new Examples(RankFeatures.count()),
                new RankerModel.Params(5, 0.3, 3, 0, 1.0, 10, 1, 1), Map.of())) {
            new RankerArtifacts(store).save(RankerArtifacts.newVersion(), m, train.rows());
        }
    }

    static ChallengePlaylist playlist(int... seeds) {
        List<MpdTrack> tracks = new ArrayList<>();
        for (int s : seeds) {
            tracks.add(new MpdTrack(tracks.size(), "x", URIS[s], "a", "x", "al", 1, "al"));
        }
        return new ChallengePlaylist(1, null, 3, seeds.length, seeds.length + 3, tracks);
    }

    @Test
    void firstStageIsTheExactFoldInsOrderAndTwoStageRanksTheSameCandidates() throws Exception {
        FeatureStore store = store();
        fitRanker(store);
        BaselineInputs inputs = new BaselineInputs(null, dir, null, pid -> true, null);
        Recommender exact = Baselines.create("als-exact", inputs);
        Recommender first = Baselines.create("first-stage", inputs);
        Recommender two = Baselines.create("two-stage", inputs);
        assertEquals("two-stage", two.name());
        assertTrue(two.details().get("ranker").equals(new RankerArtifacts(store).latest().orElseThrow()));
        for (int[] seeds : new int[][] {{0}, {3, 4}, {1, 6}}) {
            ChallengePlaylist p = playlist(seeds);
            List<String> firstList = first.recommend(p, 10);
            // every non-seed track is a WRMF candidate here, so the first stage is als-exact's list
            assertEquals(exact.recommend(p, 10), firstList);
            List<String> twoList = two.recommend(p, 10);
            assertEquals(new HashSet<>(firstList), new HashSet<>(twoList), "the ranker reorders the candidates");
            for (int s : seeds) {
                assertFalse(twoList.contains(URIS[s]), "seed " + s);
            }
            assertEquals(twoList.subList(0, 3), two.recommend(p, 3));
        }
    }

    /**
     * The exact scans of a block of playlists (one pass over the factors, {@code ExactWrmf.scans}) are the
     * one-by-one scans bit for bit, and a method's block answers are its one-by-one answers: blocks of 8 plus a
     * remainder, blocks with fewer than four queries, duplicated seeds, an unknown seed and no evidence at all.
     */
    @Test
    void blockedScansAndAnswersEqualOneByOne() throws Exception {
        FeatureStore store = store();
        fitRanker(store);
        BaselineInputs inputs = new BaselineInputs(null, dir, null, pid -> true, null);
        List<ChallengePlaylist> playlists = new ArrayList<>();
        int[][] seedSets = {{0}, {3, 4}, {1, 6}, {7}, {2, 2, 5}, {}, {0, 1, 2, 3}, {6, 5}, {4}, {1}, {3, 7, 0}};
        for (int i = 0; i < seedSets.length; i++) {
            playlists.add(playlist(100 + i, null, seedSets[i]));
        }
        List<MpdTrack> unknown = List.of(new MpdTrack(0, "x", "spotify:track:nope", "a", "x", "al", 1, "al"));
        playlists.add(new ChallengePlaylist(200, null, 3, 1, 4, unknown));
        ExactWrmf wrmf = inputs.exactWrmf("test");
        for (int size : new int[] {1, 3, 5, 8, playlists.size()}) {
            List<ChallengePlaylist> some = playlists.subList(0, size);
            List<List<String>> seeds = some.stream().map(ExactFoldIn::seedUris).toList();
            List<String> titles = some.stream().map(ChallengePlaylist::name).toList();
            ExactWrmf.Scan[] blocked = wrmf.scans(seeds, titles, 5);
            for (int i = 0; i < size; i++) {
                ExactWrmf.Scan one = wrmf.scan(seeds.get(i), titles.get(i), 5);
                assertArrayEquals(one.rows(), blocked[i].rows(), "rows of playlist " + i + " of " + size);
                assertArrayEquals(one.scores(), blocked[i].scores(), "scores of playlist " + i + " of " + size);
                assertEquals(one.popularFallback(), blocked[i].popularFallback());
            }
        }
        for (String method : new String[] {"two-stage", "first-stage"}) {
            Recommender r = Baselines.create(method, inputs);
            Recommender.Answer[] block = r.answers(playlists, 6);
            for (int i = 0; i < playlists.size(); i++) {
                Recommender.Answer one = r.answer(playlists.get(i), 6);
                assertEquals(one.tracks(), block[i].tracks(), method + " playlist " + i);
                assertEquals(List.copyOf(one.candidates()), List.copyOf(block[i].candidates()), method + " " + i);
            }
        }
    }

    static ChallengePlaylist playlist(long pid, String title, int... seeds) {
        ChallengePlaylist p = playlist(seeds);
        return new ChallengePlaylist(pid, title, p.numHoldouts(), p.numSamples(), p.numTracks(), p.tracks());
    }

    static MpdTrack track(String uri) {
        return new MpdTrack(9, "x", uri, "a", "x", "al", 1, "al");
    }

    @Test
    void theEvaluatorReportsCandidateRecallOverallAndPerCategory() throws Exception {
        store();
        BaselineInputs inputs = new BaselineInputs(null, dir, null, pid -> true, null);
        // every known non-seed track is a candidate here; an unknown track never is
        List<ChallengePlaylist> playlists = List.of(playlist(1, null, 0), playlist(2, "t", 3), playlist(3, "t", 5));
        List<TruthPlaylist> truth = List.of(
                new TruthPlaylist(1, 0, List.of(track(URIS[1]), track("spotify:track:unknown"))),
                new TruthPlaylist(2, 0, List.of(track(URIS[4]))),
                new TruthPlaylist(3, 0, List.of(track("spotify:track:u1"), track("spotify:track:u2"),
                        track("spotify:track:u3"), track(URIS[2]))));
        EvaluationSet set = EvaluationSet.of(dir.resolve("c.json"), dir.resolve("t.json"), playlists, truth);
        Evaluator evaluator = new Evaluator(new Evaluator.Options(10, 0, Duration.ZERO, null));
        MethodResult first = evaluator.evaluate(set, new RecommenderSource(Baselines.create("first-stage", inputs),
                RecommendationSource.Kind.BASELINE, 2, Map.of()), null, null);
        MethodResult exact = evaluator.evaluate(set, new RecommenderSource(Baselines.create("als-exact", inputs),
                RecommendationSource.Kind.BASELINE, 1, Map.of()), null, null);
        assertArrayEquals(new double[] {0.5, 1.0, 0.25}, first.candidateRecall());
        assertNull(exact.candidateRecall(), "a method without candidates reports none");

        EvaluationReport report = ReportBuilder.build(set, evaluator.layout(), List.of(first, exact), null);
        EvaluationReport.CandidateRecall r = report.method("first-stage").candidateRecall();
        assertEquals(0.5833, r.mean(), 1e-4);
        assertEquals(Math.sqrt((Math.pow(0.5 - 0.58333, 2) + Math.pow(1 - 0.58333, 2) + Math.pow(0.25 - 0.58333, 2))
                / 2 / 3), r.stderr(), 1e-4);
        EvaluationReport.CategoryRecall titleFirst1 = r.byCategory().stream()
                .filter(c -> c.id() == ChallengeCategory.TITLE_FIRST_1.id()).findFirst().orElseThrow();
        assertEquals(2, titleFirst1.playlists());
        assertEquals(0.625, titleFirst1.mean(), 1e-9);
        assertEquals(0.375, titleFirst1.stderr(), 1e-9);
        assertNull(report.method("als-exact").candidateRecall());
        String md = MarkdownReport.render(report, List.of());
        assertTrue(md.contains("## Candidate recall (first stage)"), md);
        assertTrue(md.contains("| 2. title + first 1 | 2 | 0.6250 ± 0.3750 |"), md);
    }

    @Test
    void twoStageWithoutARankerSaysHowToGetOne() {
        store();
        BaselineInputs inputs = new BaselineInputs(null, dir, null, pid -> true, null);
        BaselineInputs.MissingInputException e = assertThrows(BaselineInputs.MissingInputException.class,
                () -> Baselines.create("two-stage", inputs));
        assertTrue(e.getMessage().contains("segue pipeline ranker"), e.getMessage());
        assertTrue(Baselines.names().containsAll(List.of("first-stage", "two-stage")));
        // "all" skips two-stage on such a store; named, it is an error
        assertTrue(Baselines.optionalInAll("two-stage", List.of("all")));
        assertFalse(Baselines.optionalInAll("two-stage", List.of("all,two-stage")));
        assertFalse(Baselines.optionalInAll("first-stage", List.of("all")));
    }
}
