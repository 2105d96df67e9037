package dev.segue.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.segue.als.FoldIn;
import dev.segue.als.WrmfParams;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.WriteOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** als-exact on a six-track store written with the feature-store API. */
class ExactFoldInTest {
    @TempDir
    Path dir;

    static final String[] URIS = {"spotify:track:t0", "spotify:track:t1", "spotify:track:t2", "spotify:track:t3",
            "spotify:track:t4", "spotify:track:t5"};
    static final float[] FACTORS = {1, 0, 0.9f, 0.1f, 0, 1, 0.1f, 0.9f, 0.7f, 0.7f, -1, 0};
    static final Map<String, String> PARAMS = new WrmfParams(2.0, 0.1, 3, false, 1.0).toParameters();

    FeatureStore store() {
        FeatureStore store = FeatureStore.open(dir);
        String factorsVersion;
        FeatureSetSchema factors = FeatureSetSchema.builder("track_factors")
                .entityKey("track_id", FeatureType.INT32).column("track_uri", FeatureType.UTF8, "uri")
                .column("artist_uri", FeatureType.UTF8, "artist").embedding("factors", 2, "ALS").build();
        try (FeatureSetWriter w = store.writer(factors, WriteOptions.producer("test").params(PARAMS))) {
            w.append(Batch.builder(6).ints("track_id", IntStream.range(0, 6).toArray()).strings("track_uri", URIS)
                    .strings("artist_uri", new String[] {"a", "a", "b", "b", "c", "c"})
                    .embeddings("factors", FACTORS).build());
            factorsVersion = w.commit();
        }
        FeatureSetSchema stats = FeatureSetSchema.builder("track_stats").entityKey("track_id", FeatureType.INT32)
                .column("track_uri", FeatureType.UTF8, "uri").column("popularity_rank", FeatureType.INT32, "rank")
                .build();
        try (FeatureSetWriter w = store.writer(stats, WriteOptions.producer("test"))) {
            w.append(Batch.builder(6).ints("track_id", IntStream.range(0, 6).toArray()).strings("track_uri", URIS)
                    .ints("popularity_rank", new int[] {5, 4, 3, 2, 1, 0}).build());
            w.commit();
        }
        FeatureSetSchema titles = FeatureSetSchema.builder("title_embeddings").entityKey("key", FeatureType.UTF8)
                .column("kind", FeatureType.UTF8, "title|token").column("count", FeatureType.INT64, "playlists")
                .embedding("vector", 2, "title vector").build();
        try (FeatureSetWriter w = store.writer(titles,
                WriteOptions.producer("test").param("track_factors_version", factorsVersion))) {
            w.append(Batch.builder(1).strings("key", new String[] {"chill"}).strings("kind", new String[] {"title"})
                    .longs("count", new long[] {3}).embeddings("vector", new float[] {0, 1}).build());
            w.commit();
        }
        return store;
    }

    static ChallengePlaylist playlist(String title, int... seeds) {
        List<MpdTrack> tracks = new ArrayList<>();
        for (int s : seeds) {
            tracks.add(new MpdTrack(tracks.size(), "x", URIS[s], "a", "x", "al", 1, "al"));
        }
        return new ChallengePlaylist(1, title, 3, seeds.length, seeds.length + 3, tracks);
    }

    /** Brute force from the definition: every non-seed track by inner product with the query, best first. */
    static List<String> reference(float[] q, int... seeds) {
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            int row = r;
            if (IntStream.of(seeds).noneMatch(s -> s == row)) {
                rows.add(r);
            }
        }
        rows.sort(Comparator.comparingDouble(r -> -(q[0] * FACTORS[2 * r] + q[1] * FACTORS[2 * r + 1])));
        return rows.stream().map(r -> URIS[r]).toList();
    }

    @Test
    void matchesTheDefinitionForSeedsTitlesAndBoth() {
        ExactFoldIn r = new ExactFoldIn(store(), 5.0);
        FoldIn foldIn = FoldIn.fromParameters(FACTORS, 2, PARAMS);
        float[] seedVector = foldIn.userVector(new int[] {0, 1});
        assertEquals(reference(seedVector, 0, 1), r.recommend(playlist(null, 0, 1), 10));
        // title only: the title row (0, 1) ranks t2 first, then t3, t4
        List<String> title = r.recommend(playlist("Chill!", new int[0]), 3);
        assertEquals(List.of(URIS[2], URIS[3], URIS[4]), title);
        // both: w = 2 / (2 + 5) on the seeds
        float w = 2f / 7;
        float[] blend = {w * seedVector[0] + (1 - w) * 0, w * seedVector[1] + (1 - w) * 1};
        assertEquals(reference(blend, 0, 1).subList(0, 3), r.recommend(playlist("chill", 0, 1), 3));
        // no evidence: track_stats popularity, seeds excluded
        assertEquals(List.of(URIS[5], URIS[4], URIS[3]), r.recommend(playlist("polka", new int[0]), 3));
        // an unknown seed is no evidence either
        ChallengePlaylist unknownSeed = new ChallengePlaylist(2, "polka", 1, 1, 2,
                List.of(new MpdTrack(0, "x", "spotify:track:unknown", "z", "x", "al", 1, "al")));
        assertEquals(List.of(URIS[5], URIS[4], URIS[3]), r.recommend(unknownSeed, 3));
        assertFalse(r.recommend(playlist(null, 3), 5).contains(URIS[3]));
        assertFalse("none".equals(r.details().get("title_embeddings")), "the matching title version is used");
    }

    @Test
    void titleOnlyQueriesRankWithTheTitlesTracks() {
        FeatureStore store = store();
        ExactFoldIn before = new ExactFoldIn(store, 5.0);
        List<String> withSeed = before.recommend(playlist("chill", 1), 5);
        assertEquals("none", before.details().get("title_tracks"));
        FeatureSetSchema schema = FeatureSetSchema.builder("title_tracks").entityKey("id", FeatureType.UTF8)
                .column("title", FeatureType.UTF8, "title").column("track_id", FeatureType.INT32, "id")
                .column("count", FeatureType.INT64, "n").column("title_count", FeatureType.INT64, "n").build();
        try (FeatureSetWriter w = store.writer(schema, WriteOptions.producer("test"))) {
            w.append(Batch.builder(2).strings("id", new String[] {"chill#0", "chill#5"})
                    .strings("title", new String[] {"chill", "chill"}).ints("track_id", new int[] {0, 5})
                    .longs("count", new long[] {900, 500}).longs("title_count", new long[] {1000, 1000}).build());
            w.commit();
        }
        ExactFoldIn r = new ExactFoldIn(store, 5.0);
        // q = (0, 1): q·y is 0 for t0 and t5, but 1,000 "chill" playlists held them 900 and 500 times:
        // (900 + 100·0)/1100 > (500 + 0)/1100 > (0 + 100·1)/1100 (t2) > t3 (0.9) > t4 (0.7)
        assertEquals(List.of(URIS[0], URIS[5], URIS[2], URIS[3], URIS[4]), r.recommend(playlist("CHILL", new int[0]), 5));
        assertEquals(List.of(URIS[2], URIS[3], URIS[4]), before.recommend(playlist("CHILL", new int[0]), 3),
                "without title_tracks: the inner product alone");
        // a title with seeds keeps the blended inner-product ranking
        assertEquals(withSeed, r.recommend(playlist("chill", 1), 5));
        assertFalse("none".equals(r.details().get("title_tracks")));
    }

    @Test
    void missingFactorsSaySo() {
        FeatureStore empty = FeatureStore.open(dir.resolve("empty"));
        BaselineInputs.MissingInputException e = assertThrows(BaselineInputs.MissingInputException.class,
                () -> new ExactFoldIn(empty, 5.0));
        assertEquals(true, e.getMessage().contains("track_factors"));
    }
}
