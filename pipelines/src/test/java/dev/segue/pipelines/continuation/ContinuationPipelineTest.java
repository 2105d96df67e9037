package dev.segue.pipelines.continuation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.pipelines.testing.TinyMpd;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Manifest;
import dev.segue.store.Table;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContinuationPipelineTest {
    @TempDir
    Path tmp;

    /** DirectRunner options for tests; {@code extra} ("--name=value") override the defaults. */
    static ContinuationOptions options(Path mpd, Path store, String... extra) {
        java.util.Map<String, String> args = new java.util.LinkedHashMap<>();
        for (String a : new String[] {"--mpd=" + mpd, "--store=" + store, "--factors=8", "--iterations=4",
            "--blockRows=100", "--runner=DirectRunner", "--enforceImmutability=false", "--enforceEncodability=false",
            "--targetParallelism=2"}) {
            args.put(a.substring(0, a.indexOf('=')), a);
        }
        for (String a : extra) {
            args.put(a.substring(0, a.indexOf('=')), a);
        }
        PipelineOptionsFactory.register(ContinuationOptions.class);
        return PipelineOptionsFactory.fromArgs(args.values().toArray(new String[0])).withValidation()
                .as(ContinuationOptions.class);
    }

    @Test
    void writesAllFeatureSets() throws Exception {
        TinyMpd data = new TinyMpd(500, 4, 40, 1);
        Path mpd = data.write(tmp.resolve("mpd"), 200);
        Path store = tmp.resolve("store");
        ContinuationPipeline.run(options(mpd, store));

        FeatureStore fs = FeatureStore.open(store);
        // track_stats and title_tracks count the first stage's playlists only: the ranker holdout's are its labels
        java.util.function.Predicate<dev.segue.format.MpdPlaylist> firstStage =
                pl -> !dev.segue.ranking.RankerHoldout.isRankerPlaylist(pl.pid(), 0.02);
        long entries = data.playlists.stream().filter(firstStage).mapToLong(p -> p.tracks().size()).sum();
        java.util.Map<String, Long> playlistsOf = new java.util.HashMap<>();
        java.util.Map<String, Long> titleCounts = new java.util.HashMap<>();
        data.playlists.stream().filter(firstStage).forEach(pl -> {
            pl.tracks().stream().map(dev.segue.format.MpdTrack::trackUri).distinct()
                    .forEach(u -> playlistsOf.merge(u, 1L, Long::sum));
            titleCounts.merge(dev.segue.format.TitleNormalizer.normalize(pl.name()), 1L, Long::sum);
        });
        try (FeatureSetReader r = fs.read(FeatureSets.TRACK_STATS)) {
            Table t = r.readAll(List.of());
            java.util.Map<String, Long> allOccurrences = new java.util.HashMap<>();
            data.playlists.forEach(pl -> pl.tracks().forEach(tr -> allOccurrences.merge(tr.trackUri(), 1L, Long::sum)));
            long[] byId = new long[t.rows()];
            long sum = 0;
            for (int i = 0; i < t.rows(); i++) {
                sum += t.longs("occurrences")[i];
                assertEquals(playlistsOf.getOrDefault(t.strings("track_uri")[i], 0L), t.longs("playlists")[i],
                        t.strings("track_uri")[i]);
                assertEquals(t.ints("track_id")[i], t.ints("popularity_rank")[i], "popularity_rank is the id");
                byId[t.ints("track_id")[i]] = allOccurrences.get(t.strings("track_uri")[i]);
            }
            assertEquals(entries, sum);
            for (int id = 1; id < byId.length; id++) {
                assertTrue(byId[id] <= byId[id - 1], "the ids still order every playlist's occurrences, at " + id);
            }
            assertEquals("0.02", r.manifest().parameters().get("ranker_holdout"));
            assertEquals("left_out", r.manifest().parameters().get("ranker_playlists"));
        }
        try (FeatureSetReader r = fs.read(FeatureSets.TRACK_FACTORS)) {
            Manifest m = r.manifest();
            String[] history = m.parameters().get("loss_history").split(",");
            assertEquals(4, history.length);
            for (int i = 1; i < history.length; i++) {
                assertTrue(Double.parseDouble(history[i]) <= Double.parseDouble(history[i - 1]), m.parameters().toString());
            }
        }
        try (FeatureSetReader r = fs.read(FeatureSets.PLAYLIST_FACTORS)) {
            // the ranker's 2 % of playlists (by pid) stay out of ALS, recorded for the ranker pipeline
            long ranker = data.playlists.stream()
                    .filter(pl -> dev.segue.ranking.RankerHoldout.isRankerPlaylist(pl.pid(), 0.02)).count();
            assertTrue(ranker > 0 && ranker < 50, "ranker playlists " + ranker);
            assertEquals(500 - ranker, r.manifest().rowCount());
            assertEquals("0.02", r.manifest().parameters().get("ranker_holdout"));
            assertEquals("0.02", fs.latest(FeatureSets.TRACK_FACTORS).parameters().get("ranker_holdout"));
        }
        try (FeatureSetReader r = fs.read(FeatureSets.TITLE_EMBEDDINGS)) {
            assertTrue(r.rowOf("token:rock") >= 0, "entity key is kind:key");
        }
        try (FeatureSetReader r = fs.read(FeatureSets.TITLE_TRACKS)) {
            assertTrue(r.manifest().rowCount() > 0);
            dev.segue.store.Table t = r.readAll("title", "track_id", "count", "title_count");
            for (int i = 0; i < t.rows(); i++) {
                assertTrue(t.longs("count")[i] >= 1 && t.longs("count")[i] <= t.longs("title_count")[i]);
                assertTrue(t.longs("title_count")[i] >= 2, "min count");
                assertEquals(titleCounts.get(t.strings("title")[i]), t.longs("title_count")[i], t.strings("title")[i]);
            }
        }

        checkNeighbours(fs, data, 10, 50);

        // one snapshot lists the run's seven sets; titles and title tracks record the factors they were built from
        assertEquals(1, fs.snapshots().size());
        dev.segue.store.Snapshot snap = fs.latestSnapshot().orElseThrow();
        assertEquals(new java.util.TreeSet<>(ContinuationPipeline.SETS), snap.featureSets().keySet());
        String factors = fs.latest(FeatureSets.TRACK_FACTORS).version();
        assertEquals(factors, snap.version(FeatureSets.TRACK_FACTORS));
        assertEquals(factors, fs.latest(FeatureSets.TITLE_EMBEDDINGS).builtFrom(FeatureSets.TRACK_FACTORS));
        assertEquals(factors, fs.latest(FeatureSets.TITLE_TRACKS).builtFrom(FeatureSets.TRACK_FACTORS));
        for (String set : ContinuationPipeline.SETS) {
            assertEquals(snap.run(), fs.latest(set).run(), set);
        }

        // a second run that commits every set but dies before its snapshot (its run id names a dead process):
        // nothing of it becomes latest, and gc removes all seven orphans
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        ContinuationPipeline.run(options(mpd, store, "--storeRun=" + gone.pid() + "-killed", "--seed=7"));
        assertEquals(1, fs.snapshots().size());
        for (String set : ContinuationPipeline.SETS) {
            assertEquals(2, fs.versions(set).size(), set);
            assertEquals(snap.version(set), fs.latest(set).version(), set + " stays on the complete snapshot");
            assertEquals(List.of("v000002"), fs.gc(set, 5).removed(), set);
        }
        assertEquals(SETS_WITHOUT_NEIGHBOURS, ContinuationPipeline.sets(options(mpd, store, "--neighbours=0")));
    }

    private static final List<String> SETS_WITHOUT_NEIGHBOURS = List.of(FeatureSets.TRACKS, FeatureSets.TRACK_STATS,
            FeatureSets.TRACK_FACTORS, FeatureSets.PLAYLIST_FACTORS, FeatureSets.TITLE_EMBEDDINGS,
            FeatureSets.TITLE_TRACKS);

    /**
     * The stored track_neighbours against a brute-force count over the training playlists outside the ranker's
 * holdout (pairs at most
     * {@code window} apart, a playlist counted once per pair): every row's count and score, ranks 0.. in order
     * of score, then count, then id, at most {@code limit} per track, and each track's true best neighbour kept.
     */
    static void checkNeighbours(FeatureStore fs, TinyMpd data, int window, int limit) {
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        long[] playlists;
        try (FeatureSetReader r = fs.read(FeatureSets.TRACK_STATS)) {
            Table t = r.readAll("track_id", "track_uri", "playlists");
            playlists = new long[t.rows()];
            for (int i = 0; i < t.rows(); i++) {
                ids.put(t.strings("track_uri")[i], t.ints("track_id")[i]);
                playlists[t.ints("track_id")[i]] = t.longs("playlists")[i];
            }
        }
        // the ranker's playlists stay out of the neighbours as out of ALS (no leak into the ranker's examples)
        String holdout = fs.latest(FeatureSets.TRACK_FACTORS).parameters().get("ranker_holdout");
        double share = holdout == null ? 0 : Double.parseDouble(holdout);
        java.util.Map<Long, Long> counts = new java.util.HashMap<>();
        for (dev.segue.format.MpdPlaylist p : data.playlists) {
            if (dev.segue.ranking.RankerHoldout.isRankerPlaylist(p.pid(), share)) {
                continue;
            }
            java.util.Set<Long> pairs = new java.util.HashSet<>();
            List<dev.segue.format.MpdTrack> ts = p.tracks();
            for (int i = 0; i < ts.size(); i++) {
                for (int j = i + 1; j < ts.size() && j - i <= window; j++) {
                    long a = ids.get(ts.get(i).trackUri()), b = ids.get(ts.get(j).trackUri());
                    if (a != b) {
                        pairs.add(a << 32 | b);
                        pairs.add(b << 32 | a);
                    }
                }
            }
            pairs.forEach(k -> counts.merge(k, 1L, Long::sum));
        }
        try (FeatureSetReader r = fs.read(FeatureSets.TRACK_NEIGHBOURS)) {
            assertTrue(r.manifest().parameters().get("window").equals(Integer.toString(window)));
            Table t = r.readAll("id", "track_id", "neighbour_id", "rank", "count", "score");
            java.util.Map<Integer, List<Integer>> byTrack = new java.util.TreeMap<>();
            for (int i = 0; i < t.rows(); i++) {
                int a = t.ints("track_id")[i], b = t.ints("neighbour_id")[i];
                long key = (long) a << 32 | b;
                assertEquals(key, t.longs("id")[i]);
                assertEquals(counts.get(key), t.longs("count")[i], "count of " + a + ">" + b);
                assertEquals(t.longs("count")[i] / Math.sqrt((double) playlists[a] * playlists[b]), t.floats("score")[i],
                        1e-6);
                byTrack.computeIfAbsent(a, x -> new java.util.ArrayList<>()).add(i);
            }
            java.util.Map<Integer, Integer> pairsPerTrack = new java.util.HashMap<>();
            counts.keySet().forEach(k -> pairsPerTrack.merge((int) (k >>> 32), 1, Integer::sum));
            assertEquals(pairsPerTrack.keySet(), byTrack.keySet(), "every track with a co-occurring track has rows");
            for (java.util.Map.Entry<Integer, List<Integer>> e : byTrack.entrySet()) {
                List<Integer> rows = e.getValue();
                rows.sort(java.util.Comparator.comparingInt(i -> t.ints("rank")[i]));
                assertEquals(Math.min(limit, pairsPerTrack.get(e.getKey())), rows.size(), "track " + e.getKey());
                for (int k = 0; k < rows.size(); k++) {
                    assertEquals(k, t.ints("rank")[rows.get(k)]);
                    if (k > 0) {
                        int x = rows.get(k - 1), y = rows.get(k);
                        float sx = t.floats("score")[x], sy = t.floats("score")[y];
                        assertTrue(sx > sy || (sx == sy && (t.longs("count")[x] > t.longs("count")[y]
                                || (t.longs("count")[x] == t.longs("count")[y]
                                && t.ints("neighbour_id")[x] < t.ints("neighbour_id")[y]))), "order of " + e.getKey());
                    }
                }
            }
        }
    }
}
