package dev.segue.serving.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.serving.TestData;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreModelLoaderTest {
    @Test
    void loadsFactorsStatsAndMatchingTitlesAndCachesTheGraph(@TempDir Path store) throws Exception {
        SyntheticCatalog synthetic = new SyntheticCatalog(400, 8, 4, 1);
        String v1 = synthetic.writeTo(store);
        StoreModelLoader loader = TestData.loader(store);
        assertEquals(v1, loader.resolveVersion(null));
        assertEquals(v1, loader.resolveVersion(""));
        assertEquals(v1, loader.resolveVersion("1"));
        ServingModel model = loader.load(v1, BuildProgress.NONE, Cancellation.NEVER);
        assertEquals(400, model.factors().rows());
        assertEquals(8, model.factors().dim());
        assertEquals(v1, model.dataVersion());
        assertEquals("v000001", model.info().titlesVersion());
        assertEquals("v000001", model.info().statsVersion());
        assertFalse(model.info().fromDisk());
        assertEquals(400, model.popularity().length);
        assertEquals(SyntheticCatalog.PARAMS, model.foldIn().params());
        ServingModel again = loader.load(v1, BuildProgress.NONE, Cancellation.NEVER);
        assertTrue(again.info().fromDisk(), "the saved graph is loaded on restart");
        assertTrue(again.info().indexSource().startsWith("loaded index artifact"), again.info().indexSource());
        assertTrue(Files.isRegularFile(store.resolve("_artifacts/track_factors/" + v1 + "/hnsw-m16-efc100/graph.bin")));
        assertFalse(FeatureStore.open(store).list().contains("_artifacts"));
        versionNotFound(loader);
    }

    @Test
    void titleTracksAreLoadedWithTrackIdsMappedToRows(@TempDir Path store) throws Exception {
        SyntheticCatalog synthetic = new SyntheticCatalog(100, 8, 4, 1);
        String v1 = synthetic.writeTo(store);
        assertNull(TestData.load(store, v1).titleTracks(), "no title_tracks: none loaded");
        assertNull(TestData.load(store, v1).info().titleTracksVersion());
        FeatureSetSchema schema = FeatureSetSchema.builder("title_tracks").entityKey("id", FeatureType.UTF8)
                .column("title", FeatureType.UTF8, "title").column("track_id", FeatureType.INT32, "id")
                .column("count", FeatureType.INT64, "n").column("title_count", FeatureType.INT64, "n").build();
        try (FeatureSetWriter w = FeatureStore.open(store).writer(schema, WriteOptions.producer("test"))) {
            w.append(Batch.builder(3).strings("id", new String[] {"g1 mix#7", "g1 mix#3", "g1 mix#999"})
                    .strings("title", new String[] {"g1 mix", "g1 mix", "g1 mix"}).ints("track_id", new int[] {7, 3, 999})
                    .longs("count", new long[] {5, 2, 1}).longs("title_count", new long[] {10, 10, 10}).build());
            w.commit();
        }
        ServingModel model = TestData.load(store, v1);
        dev.segue.titles.TitleTracks.Entry e = model.titleTracks().lookup("G1 Mix");
        assertEquals(10, e.playlists());
        assertEquals("v000001", model.info().titleTracksVersion());
        assertEquals(model.catalog().row(SyntheticCatalog.trackUri(7)), e.rows()[0]);
        assertEquals(model.catalog().row(SyntheticCatalog.trackUri(3)), e.rows()[1]);
        assertEquals(2, e.rows().length, "an id outside track_stats is skipped");
    }

    private static void versionNotFound(StoreModelLoader loader) {
        ModelLoader.VersionNotFoundException e = assertThrows(ModelLoader.VersionNotFoundException.class,
                () -> loader.resolveVersion("v000009"));
        assertTrue(e.getMessage().contains("v000009"), e.getMessage());
    }

    @Test
    void titlesOfAnotherModelAreNotUsed(@TempDir Path store) throws Exception {
        String v1 = new SyntheticCatalog(300, 8, 4, 1).writeTo(store);
        String v2 = new SyntheticCatalog(300, 8, 4, 2).writeTo(store);
        ServingModel m1 = TestData.load(store, v1);
        ServingModel m2 = TestData.load(store, v2);
        assertEquals("v000001", m1.info().titlesVersion(), "titles tagged with v000001");
        assertEquals("v000002", m2.info().titlesVersion());
        StoreModelLoader off = new StoreModelLoader(store, null, TestData.PARAMS, 1, "none", null);
        assertNull(off.load(v2, BuildProgress.NONE, Cancellation.NEVER).titles());
    }

    @Test
    void untaggedTitlesAreMatchedToTheFactorsCommittedClosestInTime(@TempDir Path store) throws Exception {
        // One run commits titles before its factors, the next after: each factor version gets its own run's.
        String t1 = writeUntaggedTitles(store, 8, "first");
        Thread.sleep(20);
        String v1 = new SyntheticCatalog(200, 8, 4, 1).writeTo(store); // also writes tagged titles v000002
        Thread.sleep(300);
        String v2 = new SyntheticCatalog(200, 8, 4, 2).writeTo(store); // tagged titles v000003
        Thread.sleep(20);
        String t4 = writeUntaggedTitles(store, 8, "second");
        assertEquals("v000001", t1);
        assertEquals("v000004", t4);
        assertEquals("v000002", TestData.load(store, v1).info().titlesVersion(), "a tag wins over time");
        StoreModelLoader pinnedStats = new StoreModelLoader(store, null, TestData.PARAMS, 1, null, null);
        // Remove the tags' influence by asking for a version with no tagged titles: a third run, untagged.
        Thread.sleep(300);
        String v3 = writeFactorsOnly(store, 3);
        Thread.sleep(20);
        String t5 = writeUntaggedTitles(store, 8, "third");
        Thread.sleep(300);
        String t6 = writeUntaggedTitles(store, 8, "fourth");
        Thread.sleep(20);
        String v4 = writeFactorsOnly(store, 4);
        assertEquals(t5, pinnedStats.load(v3, BuildProgress.NONE, Cancellation.NEVER).info().titlesVersion());
        assertEquals(t6, pinnedStats.load(v4, BuildProgress.NONE, Cancellation.NEVER).info().titlesVersion(),
                "titles committed just before the factors belong to them");
        assertEquals("v000003", TestData.load(store, v2).info().titlesVersion());
    }

    private static String writeUntaggedTitles(Path store, int dim, String token) {
        FeatureSetSchema schema = FeatureSetSchema.builder("title_embeddings").entityKey("key", FeatureType.UTF8)
                .column("kind", FeatureType.UTF8, "k").column("count", FeatureType.INT64, "c")
                .embedding("vector", dim, "v").build();
        try (FeatureSetWriter w = FeatureStore.open(store).writer(schema, WriteOptions.producer("t"))) {
            w.append(Batch.builder(1).strings("key", new String[] {token}).strings("kind", new String[] {"token"})
                    .longs("count", new long[] {3}).embeddings("vector", new float[dim]).build());
            return w.commit();
        }
    }

    private static String writeFactorsOnly(Path store, long seed) {
        SyntheticCatalog c = new SyntheticCatalog(200, 8, 4, seed);
        FeatureSetSchema schema = FeatureSetSchema.builder("track_factors").entityKey("track_id", FeatureType.INT32)
                .column("track_uri", FeatureType.UTF8, "u").column("artist_uri", FeatureType.UTF8, "a")
                .embedding("factors", 8, "f").build();
        int[] ids = new int[200];
        String[] uris = new String[200];
        String[] artists = new String[200];
        for (int i = 0; i < 200; i++) {
            ids[i] = i;
            uris[i] = SyntheticCatalog.trackUri(i);
            artists[i] = c.artistUriOf(i);
        }
        try (FeatureSetWriter w = FeatureStore.open(store).writer(schema, WriteOptions.producer("t")
                .params(SyntheticCatalog.PARAMS.toParameters()))) {
            w.append(Batch.builder(200).ints("track_id", ids).strings("track_uri", uris).strings("artist_uri", artists)
                    .embeddings("factors", c.factors().values()).build());
            return w.commit();
        }
    }

    @Test
    void titleDimensionMismatchIsRefusedWithAClearMessage(@TempDir Path store) throws Exception {
        String v1 = new SyntheticCatalog(300, 8, 4, 1).writeTo(store);
        FeatureStore fs = FeatureStore.open(store);
        FeatureSetSchema schema = FeatureSetSchema.builder("title_embeddings").entityKey("key", FeatureType.UTF8)
                .column("kind", FeatureType.UTF8, "k").column("count", FeatureType.INT64, "c")
                .embedding("vector", 4, "v").build();
        try (FeatureSetWriter w = fs.writer(schema, WriteOptions.producer("t").param("track_factors_version", v1))) {
            w.append(Batch.builder(1).strings("key", new String[] {"rock"}).strings("kind", new String[] {"token"})
                    .longs("count", new long[] {3}).embeddings("vector", new float[] {1, 2, 3, 4}).build());
            w.commit();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestData.load(store, v1));
        assertTrue(e.getMessage().contains("dimension 4") && e.getMessage().contains("has 8"), e.getMessage());
    }

    @Test
    void missingFoldInParametersNameTheKeyAndVersion(@TempDir Path store) {
        FeatureStore fs = FeatureStore.open(store);
        FeatureSetSchema schema = FeatureSetSchema.builder("track_factors").entityKey("track_id", FeatureType.INT32)
                .column("track_uri", FeatureType.UTF8, "u").column("artist_uri", FeatureType.UTF8, "a")
                .embedding("factors", 2, "f").build();
        String version;
        try (FeatureSetWriter w = fs.writer(schema, WriteOptions.producer("t").params(Map.of("alpha", "40")))) {
            w.append(Batch.builder(2).ints("track_id", new int[] {0, 1})
                    .strings("track_uri", new String[] {"t:0", "t:1"}).strings("artist_uri", new String[] {"a", "a"})
                    .embeddings("factors", new float[] {1, 0, 0, 1}).build());
            version = w.commit();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestData.load(store, version));
        assertTrue(e.getMessage().contains("track_factors " + version) && e.getMessage().contains("regularization"),
                e.getMessage());
    }

    @Test
    void duplicateTrackUrisAreRejected(@TempDir Path store) {
        FeatureStore fs = FeatureStore.open(store);
        FeatureSetSchema schema = FeatureSetSchema.builder("track_factors").entityKey("track_id", FeatureType.INT32)
                .column("track_uri", FeatureType.UTF8, "u").column("artist_uri", FeatureType.UTF8, "a")
                .embedding("factors", 2, "f").build();
        String version;
        try (FeatureSetWriter w = fs.writer(schema, WriteOptions.producer("t")
                .params(SyntheticCatalog.PARAMS.toParameters()))) {
            w.append(Batch.builder(2).ints("track_id", new int[] {0, 1})
                    .strings("track_uri", new String[] {"t:0", "t:0"}).strings("artist_uri", new String[] {"a", "a"})
                    .embeddings("factors", new float[] {1, 0, 0, 1}).build());
            version = w.commit();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestData.load(store, version));
        assertTrue(e.getMessage().contains("duplicate track_uri \"t:0\""), e.getMessage());
    }
}
