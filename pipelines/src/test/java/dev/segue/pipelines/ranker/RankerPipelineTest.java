package dev.segue.pipelines.ranker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.FeatureSetContracts.RankerExamples;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.ingest.MpdIngest;
import dev.segue.pipelines.continuation.ContinuationOptions;
import dev.segue.pipelines.continuation.ContinuationPipeline;
import dev.segue.pipelines.testing.TestPipelines;
import dev.segue.pipelines.testing.TinyMpd;
import dev.segue.ranking.RankFeatures;
import dev.segue.ranking.RankerArtifacts;
import dev.segue.ranking.RankerHoldout;
import dev.segue.ranking.RankerModel;
import dev.segue.ranking.RankingData;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ranker pipeline on a tiny world: examples (PAssert), the fitted artifact, and its refusals. */
class RankerPipelineTest {
    static final double SHARE = 0.25;
    static final int SHAPES = 3;

    @TempDir
    static Path tmp;
    static TinyMpd data;
    static Path mpd;
    static Path store;

    @BeforeAll
    static void continuationRun() throws Exception {
        data = new TinyMpd(400, 4, 40, 3);
        mpd = data.write(tmp.resolve("mpd"), 200);
        store = tmp.resolve("store");
        PipelineOptionsFactory.register(ContinuationOptions.class);
        ContinuationPipeline.run(PipelineOptionsFactory.fromArgs("--mpd=" + mpd, "--store=" + store, "--factors=8",
                "--iterations=3", "--blockRows=50", "--rankerHoldout=" + SHARE, "--runner=DirectRunner", "--enforceImmutability=false",
                "--enforceEncodability=false", "--targetParallelism=2").withValidation().as(ContinuationOptions.class));
    }

    static RankerOptions options(Path storeDir, String... extra) {
        Map<String, String> args = new java.util.LinkedHashMap<>();
        List<String> all = new ArrayList<>(List.of("--mpd=" + mpd, "--store=" + storeDir, "--rankerShare=0.01",
                "--rounds=20", "--validationShare=0.3", "--runner=DirectRunner", "--enforceImmutability=false",
                "--enforceEncodability=false", "--targetParallelism=2"));
        all.addAll(List.of(extra));
        for (String a : all) {
            args.put(a.substring(0, a.indexOf('=')), a); // a later value of an option replaces the default
        }
        PipelineOptionsFactory.register(RankerOptions.class);
        return PipelineOptionsFactory.fromArgs(args.values().toArray(new String[0])).withValidation()
                .as(RankerOptions.class);
    }

    /** What each ranker playlist's examples must be: its pid's splits of its own training tracks, by shape. */
    static HashMap<Long, Map<Integer, RankerHoldout.Split>> splits() {
        HashMap<Long, Map<Integer, RankerHoldout.Split>> m = new HashMap<>();
        for (MpdPlaylist p : data.playlists) {
            List<String> uris = new ArrayList<>();
            for (MpdTrack t : p.tracks()) {
                uris.add(t.trackUri());
            }
            Map<Integer, RankerHoldout.Split> byShape = new HashMap<>();
            for (RankerHoldout.Split s : RankerHoldout.splits(p.pid(), p.name(), uris, SHAPES)) {
                byShape.put(s.category().id(), s);
            }
            m.put(p.pid(), byShape);
        }
        return m;
    }

    @Test
    void examplesAreOneGroupPerRankerPlaylistAndShapeLabelledOnlyOnItsHeldOutTracks() {
        FeatureStore fs = FeatureStore.open(store);
        String factors = fs.latest("track_factors").version();
        RankingData rd = RankingData.load(fs, factors);
        TestPipeline p = TestPipelines.directUnchecked("--targetParallelism=2");
        MpdIngest.Result ingest = p.apply("Ingest", MpdIngest.from(mpd.toString()).withBlockRows(50));
        PCollection<Batch> batches = ingest.blocks().apply("Examples",
                new BuildRankerExamples(store.toString(), factors, SHARE, 0.5, SHAPES, ingest.checkedTotals()));
        HashMap<Long, Map<Integer, RankerHoldout.Split>> splits = splits();
        long expectedGroups = splits.entrySet().stream().filter(e -> RankerHoldout.isRankerPlaylist(e.getKey(), SHARE))
                .mapToLong(e -> e.getValue().size()).sum();
        long multiShape = splits.entrySet().stream().filter(e -> RankerHoldout.isRankerPlaylist(e.getKey(), SHARE))
                .filter(e -> e.getValue().size() > 1).count();
        assertTrue(multiShape > 0, "the tiny world has ranker playlists long enough for several shapes");
        String[] uriOf = new String[rd.trackCount()];
        for (int t = 0; t < uriOf.length; t++) {
            uriOf[t] = rd.uri(t);
        }
        PAssert.that(batches).satisfies(all -> {
            Set<List<Long>> seen = new HashSet<>();
            int positives = 0;
            for (Batch block : all) {
                // a batch holds a block of playlists: each (pid, shape) group's rows together
                long[] blockPids = block.longs(RankerExamples.PID);
                int[] blockShapes = block.ints(RankerExamples.CATEGORY);
                for (int from = 0, to; from < block.rows(); from = to) {
                    to = from + 1;
                    while (to < block.rows() && blockPids[to] == blockPids[from] && blockShapes[to] == blockShapes[from]) {
                        to++;
                    }
                    Batch b = block.slice(from, to);
                    long[] pids = b.longs(RankerExamples.PID);
                    long pid = pids[0];
                    int shape = b.ints(RankerExamples.CATEGORY)[0];
                    assertTrue(seen.add(List.of(pid, (long) shape)), "one group per playlist and shape: " + pid);
                    assertTrue(RankerHoldout.isRankerPlaylist(pid, SHARE), "only ranker playlists: " + pid);
                    RankerHoldout.Split split = splits.get(pid).get(shape);
                    assertNotNull(split, "shape " + shape + " is one of the pid's splits: " + pid);
                    Set<String> held = new HashSet<>(split.heldOut());
                    Set<String> seeds = new HashSet<>(split.seeds());
                    int[] tracks = b.ints(RankerExamples.TRACK_ID);
                    float[] labels = b.floats(RankerExamples.LABEL);
                    assertEquals(RankFeatures.count(), b.columnNames().size() - RankerExamples.CONTRACT.columns().size());
                    for (int i = 0; i < b.rows(); i++) {
                        assertEquals(pid, pids[i]);
                        assertEquals(split.category().id(), b.ints(RankerExamples.CATEGORY)[i]);
                        assertEquals(held.size(), b.ints(RankerExamples.HELD_OUT)[i]);
                        assertEquals((((pid << 4) | shape) << 16) | i, b.longs(RankerExamples.ID)[i],
                                "key: pid, shape and position");
                        String uri = uriOf[tracks[i]];
                        assertFalse(seeds.contains(uri), "a seed is never a candidate");
                        assertEquals(held.contains(uri) ? 1f : 0f, labels[i], "label of " + uri);
                        positives += labels[i] > 0 ? 1 : 0;
                    }
                }
            }
            assertEquals(expectedGroups, seen.size(), "every split of every ranker playlist gives a group");
            assertTrue(positives > 0, "some held-out tracks are candidates");
            return null;
        });
        p.run().waitUntilFinish();
    }

    @Test
    void runWritesTheExamplesAndALoadableRankerBuiltFromThem() throws Exception {
        RankerPipeline.Summary s = RankerPipeline.run(options(store));
        FeatureStore fs = FeatureStore.open(store);
        Manifest examples = fs.latest(RankerExamples.NAME);
        assertEquals(s.examplesVersion(), examples.version());
        assertEquals(String.join(",", RankFeatures.NAMES),
                examples.parameters().get(RankerExamples.FEATURES_PARAMETER));
        assertEquals(Double.toString(SHARE), examples.parameters().get(RankerHoldout.PARAMETER));
        assertTrue(s.shareFromRun(), "the share the continuation run left out of ALS, not --rankerShare");
        assertEquals(SHARE, s.share());
        // the first stage never saw the ranker playlists: none is a row of playlist_factors
        try (FeatureSetReader r = fs.read("playlist_factors")) {
            for (long pid : r.readAll("pid").longs("pid")) {
                assertFalse(RankerHoldout.isRankerPlaylist(pid, SHARE), "pid " + pid + " was in ALS");
            }
        }
        try (FeatureSetReader r = fs.read(RankerExamples.NAME)) {
            assertEquals(s.training().rows(), r.manifest().rowCount());
        }
        RankerModel m = new RankerArtifacts(fs).load("latest", RankFeatures.NAMES);
        try (m) {
            assertEquals(s.training().rankerVersion(), new RankerArtifacts(fs).latest().orElseThrow());
            assertEquals(examples.version(), m.builtFrom().get(RankerExamples.NAME));
            assertEquals(fs.latest("track_factors").version(), m.builtFrom().get("track_factors"));
            assertEquals("20", m.parameters().get("rounds"));
            assertNotNull(m.metrics().get("validation_ndcg@500"), m.metrics().toString());
            assertNotNull(m.metrics().get("candidate_recall"), m.metrics().toString());
            assertEquals(Integer.toString(RankerHoldout.DEFAULT_SHAPES),
                    examples.parameters().get(RankerPipeline.SHAPES_PARAMETER));
            assertTrue(s.training().groups() > s.training().playlists(), "several shapes per playlist: "
                    + s.training().groups() + " groups of " + s.training().playlists() + " playlists");
            assertFalse(s.training().validationNdcg().isEmpty(), "validation NDCG per category");
            for (Map.Entry<dev.segue.format.ChallengeCategory, double[]> e : s.training().validationNdcg().entrySet()) {
                assertEquals(e.getValue()[0], Double.parseDouble(m.metrics().get(RankerModel.CATEGORY_NDCG
                        + e.getKey().id())), 1e-12, "recorded for " + e.getKey());
                assertTrue(e.getValue()[1] >= 0 && e.getValue()[1] <= 1, "first-stage NDCG in [0, 1]");
            }
            double recall = Double.parseDouble(m.metrics().get("candidate_recall"));
            assertTrue(recall > 0 && recall <= 1, "recall " + recall);
            assertFalse(m.featureGain().isEmpty(), "gain kept in the artifact");
        }
    }

    @Test
    void aStoreWithoutFactorsIsRefusedNamingIt() {
        Path empty = tmp.resolve("empty");
        empty.toFile().mkdirs();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RankerPipeline.run(options(empty)));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("track_factors"),
                e.getMessage());
        IllegalArgumentException share = assertThrows(IllegalArgumentException.class,
                () -> RankerPipeline.run(options(store, "--rankerShare=0.9")));
        assertTrue(share.getMessage().contains("--rankerShare"), share.getMessage());
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> RankerPipeline.run(options(store, "--shapesPerPlaylist=0")));
        assertTrue(shapes.getMessage().contains("--shapesPerPlaylist"), shapes.getMessage());
    }
}
