package dev.segue.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.als.WrmfParams;
import dev.segue.eval.report.EvaluationReport;
import dev.segue.serving.grpc.SegueServer;
import dev.segue.serving.grpc.ServerConfig;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.model.ModelManager;
import dev.segue.serving.model.StoreModelLoader;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator against the real index server (index-server module) over a store written here: the served
 * lists must match the exact fold-in baseline, which computes what the server approximates.
 */
class RealServerIntegrationTest {
    @TempDir
    Path dir;

    /** Factors for the tiny world's 720 tracks: each genre's tracks near one axis, plus noise. */
    static void writeStore(Path storeDir) {
        FeatureStore store = FeatureStore.open(storeDir);
        int n = TinyWorld.ARTISTS * TinyWorld.TRACKS_PER_ARTIST;
        int d = 8;
        String[] uris = new String[n];
        String[] artists = new String[n];
        float[] factors = new float[n * d];
        int[] ranks = new int[n];
        Random random = new Random(3);
        for (int a = 0, row = 0; a < TinyWorld.ARTISTS; a++) {
            for (int t = 0; t < TinyWorld.TRACKS_PER_ARTIST; t++, row++) {
                uris[row] = TinyWorld.trackUri(a, t);
                artists[row] = TinyWorld.artistUri(a);
                for (int j = 0; j < d; j++) {
                    factors[row * d + j] = (float) (random.nextGaussian() * 0.1);
                }
                factors[row * d + a % 3] += 1.0f / (1 + a / 3 + t);
                ranks[row] = row;
            }
        }
        String version;
        FeatureSetSchema schema = FeatureSetSchema.builder("track_factors").entityKey("track_id", FeatureType.INT32)
                .column("track_uri", FeatureType.UTF8, "uri").column("artist_uri", FeatureType.UTF8, "artist")
                .embedding("factors", d, "ALS").build();
        try (FeatureSetWriter w = store.writer(schema,
                WriteOptions.producer("test").params(new WrmfParams(10.0, 0.1, 3, false, 1.0).toParameters()))) {
            w.append(Batch.builder(n).ints("track_id", IntStream.range(0, n).toArray()).strings("track_uri", uris)
                    .strings("artist_uri", artists).embeddings("factors", factors).build());
            version = w.commit();
        }
        FeatureSetSchema stats = FeatureSetSchema.builder("track_stats").entityKey("track_id", FeatureType.INT32)
                .column("track_uri", FeatureType.UTF8, "uri").column("popularity_rank", FeatureType.INT32, "rank")
                .build();
        try (FeatureSetWriter w = store.writer(stats, WriteOptions.producer("test"))) {
            w.append(Batch.builder(n).ints("track_id", IntStream.range(0, n).toArray()).strings("track_uri", uris)
                    .ints("popularity_rank", ranks).build());
            w.commit();
        }
        FeatureSetSchema titles = FeatureSetSchema.builder("title_embeddings").entityKey("key", FeatureType.UTF8)
                .column("kind", FeatureType.UTF8, "kind").column("count", FeatureType.INT64, "count")
                .embedding("vector", d, "vector").build();
        float[] vectors = new float[3 * d];
        for (int g = 0; g < 3; g++) {
            vectors[g * d + g] = 0.5f;
        }
        try (FeatureSetWriter w = store.writer(titles,
                WriteOptions.producer("test").param("track_factors_version", version))) {
            w.append(Batch.builder(3).strings("key", TinyWorld.GENRES).strings("kind",
                    new String[] {"title", "title", "title"}).longs("count", new long[] {80, 80, 80})
                    .embeddings("vector", vectors).build());
            w.commit();
        }
    }

    @Test
    void servedResultsMatchTheExactFoldIn() throws Exception {
        TinyWorld world = new TinyWorld(dir.resolve("world"));
        Path storeDir = dir.resolve("store");
        writeStore(storeDir);
        ModelManager models = new ModelManager(new StoreModelLoader(storeDir, dir.resolve("cache"),
                HnswParams.defaults(), 1, null, null));
        models.reload(null, BuildProgress.NONE, Cancellation.NEVER);
        SegueServer server = SegueServer.start(ServerConfig.defaults().withPort(0), models);
        try {
            EvaluationRun.Outcome o = EvaluationRun.run(new EvaluationRun.Spec(world.challengeFile, world.truthFile,
                    new EvaluationRun.ServerSpec("127.0.0.1:" + server.port(), "segue", 2, 8, Duration.ofSeconds(10),
                            null, null, null),
                    List.of("als-exact", "popular"), List.of(), null, world.mpd, storeDir, dev.segue.titles.QueryBlend.DEFAULT_TITLE_PRIOR_SEEDS, 100, 2, 1,
                    Duration.ofMillis(100), dir.resolve("report"), false, true, null, null));
            assertTrue(o.complete());
            EvaluationReport r = o.report();
            EvaluationReport.MethodReport served = r.method("segue");
            EvaluationReport.MethodReport exact = r.method("als-exact");
            // the target: served metrics within 1% of the exact fold-in
            for (String metric : List.of("r_precision", "ndcg", "clicks", "rp_artist@10", "ndcg_artist@100")) {
                double e = exact.overall().get(metric);
                assertEquals(e, served.overall().get(metric), 0.01 * Math.abs(e) + 1e-9, metric);
            }
            assertTrue(served.overall().get("ndcg") > r.method("popular").overall().get("ndcg"));
            List<String> servedLists = Files.readAllLines(dir.resolve("report/submissions/segue.csv"));
            List<String> exactLists = Files.readAllLines(dir.resolve("report/submissions/als-exact.csv"));
            assertEquals(exactLists.size(), servedLists.size());
        } finally {
            server.close();
        }
    }
}
