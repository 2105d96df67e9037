package dev.segue.store.hadoop;

import dev.segue.ranking.RankFeatures;
import dev.segue.ranking.RankerArtifacts;
import dev.segue.ranking.RankerModel;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.bench.SyntheticRanker;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.model.StoreIndexBuilder;
import dev.segue.serving.model.StoreModelLoader;
import dev.segue.store.FeatureStore;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The index server's model loader (what {@code segue serve --store hdfs://…} runs) loads a model from HDFS, saves
 * its graph artifact there, and another server loads that artifact instead of building the graph; rankers and
 * graphs of a store on HDFS are listed, read and written there (never only in this machine's local copies).
 */
public class HdfsServeTest {
    @Test
    void theServerLoadsTrackFactorsStatsAndTitlesFromAStoreOnHdfs(@TempDir java.nio.file.Path local) throws Exception {
        String v1 = new SyntheticCatalog(300, 8, 4, 1).writeTo(local);
        String uri = MiniHdfs.uri() + "/serve-" + UUID.randomUUID();
        FeatureStore store = FeatureStore.open(uri);
        FileSystem fs = ((HadoopFileIO) store.io()).fileSystem();
        for (java.io.File f : local.toFile().listFiles()) {
            fs.copyFromLocalFile(new Path(f.toURI()), new Path(uri));
        }
        StoreModelLoader loader = loadBuildingTheGraph(uri, v1);
        Path graph = new Path(uri + "/_artifacts/track_factors/" + v1 + "/hnsw-m16-efc100/graph.bin");
        assertTrue(fs.exists(graph), "the graph artifact is uploaded to the store on HDFS");
        assertTrue(fs.exists(new Path(graph.getParent(), "artifact.json")));

        loadFromTheArtifact(uri, v1, loader); // a server elsewhere (no local copy yet) loads the graph from HDFS
    }

    /** Loads {@code v1} of a {@link SyntheticCatalog} store as {@code segue serve} does: no artifact yet, so the graph is built. */
    public static StoreModelLoader loadBuildingTheGraph(String uri, String v1) throws Exception {
        StoreModelLoader loader = new StoreModelLoader(FeatureStore.open(uri), null, new HnswParams(16, 100, 100, 3.0),
                1, null, null);
        assertEquals(uri, loader.source());
        assertEquals(v1, loader.resolveVersion(null));
        ServingModel model = loader.load(v1, BuildProgress.NONE, Cancellation.NEVER);
        assertEquals(300, model.factors().rows());
        assertEquals(8, model.factors().dim());
        assertEquals(uri, model.info().storePath());
        assertEquals("v000001", model.info().statsVersion());
        assertEquals("v000001", model.info().titlesVersion());
        assertFalse(model.info().fromDisk(), "no artifact yet: the graph is built, then saved");
        return loader;
    }

    /** After {@code first}'s local copies are deleted, a new loader downloads the graph artifact instead of building it. */
    public static void loadFromTheArtifact(String uri, String v1, StoreModelLoader first) throws Exception {
        java.nio.file.Path cache = first.artifacts().root();
        try (var walk = java.nio.file.Files.walk(cache)) {
            for (java.nio.file.Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
        StoreModelLoader other = new StoreModelLoader(FeatureStore.open(uri), null, new HnswParams(16, 100, 100, 3.0),
                1, null, null);
        ServingModel again = other.load(v1, BuildProgress.NONE, Cancellation.NEVER);
        assertTrue(again.info().fromDisk(), again.info().indexSource());
        assertTrue(java.nio.file.Files.isRegularFile(cache.resolve("track_factors/" + v1 + "/hnsw-m16-efc100/graph.bin")),
                "downloaded to the local copy");
        assertEquals(300, again.factors().rows());
    }

    @Test
    void aRankerInAStoreOnHdfsIsFoundThereAndServedWithItsFactors(@TempDir java.nio.file.Path local,
                                                                    @TempDir java.nio.file.Path graphs) throws Exception {
        SyntheticCatalog synthetic = new SyntheticCatalog(400, 8, 5, 3);
        HnswParams params = new HnswParams(16, 100, 100, 3.0);
        String factors = SyntheticRanker.write(local, synthetic);
        String trained = "20200101T000000Z-00000000";
        SyntheticRanker.train(local, synthetic, factors, trained, params, graphs); // the graph stays out of the store
        String uri = MiniHdfs.uri() + "/ranked-" + UUID.randomUUID();
        FeatureStore store = FeatureStore.open(uri);
        FileSystem fs = ((HadoopFileIO) store.io()).fileSystem();
        for (java.io.File f : local.toFile().listFiles()) {
            fs.copyFromLocalFile(new Path(f.toURI()), new Path(uri));
        }

        // listed on HDFS: this machine has no local copy of the store's artifacts yet
        RankerArtifacts rankers = new RankerArtifacts(store);
        assertEquals(List.of(trained), rankers.versions());
        assertEquals(uri + "/_artifacts/ranker", rankers.location());
        // written to HDFS: a second version, saved through the store on HDFS
        String saved = "20300101T000000Z-00000000";
        try (RankerModel m = rankers.load("latest", RankFeatures.NAMES)) {
            rankers.save(saved, m, 100);
        }
        assertTrue(fs.exists(new Path(uri + "/_artifacts/ranker/" + saved + "/" + RankerArtifacts.NAME + "/"
                + RankerArtifacts.FILE)), "the ranker is uploaded to the store on HDFS");
        assertEquals(List.of(trained, saved), new RankerArtifacts(FeatureStore.open(uri)).versions());

        // segue index build --store hdfs://…: the graph goes to the store on HDFS, not only to the local copy
        StoreIndexBuilder.build(store, null, factors, params, 1, BuildProgress.NONE, false);
        assertTrue(fs.exists(new Path(uri + "/_artifacts/track_factors/" + factors + "/hnsw-m16-efc100/graph.bin")),
                "the graph artifact is uploaded to the store on HDFS");

        // segue serve --store hdfs://…: two stages, the newest ranker built from the served factors
        ServingModel model = new StoreModelLoader(FeatureStore.open(uri), null, params, 1, null, null)
                .load(factors, BuildProgress.NONE, Cancellation.NEVER);
        assertTrue(model.ranking().active(), model.ranking().note());
        assertEquals(saved, model.ranking().rankerVersion());
        assertTrue(model.info().fromDisk(), model.info().indexSource());

        // a store on HDFS without rankers says where it looked
        String empty = MiniHdfs.uri() + "/unranked-" + UUID.randomUUID();
        FeatureStore bare = FeatureStore.open(empty);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new RankerArtifacts(bare).load("latest", RankFeatures.NAMES));
        assertTrue(none.getMessage().contains(empty + "/_artifacts/ranker"), none.getMessage());
    }
}
