package dev.segue.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.RecommenderGrpc;
import dev.segue.api.v1.ReloadRequest;
import dev.segue.api.v1.ReloadResponse;
import dev.segue.api.v1.SimilarTracksRequest;
import dev.segue.serving.TestData;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.model.ModelManager;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.query.ContinueQuery;
import dev.segue.serving.query.FilterSpec;
import dev.segue.serving.query.QueryEngine;
import dev.segue.serving.query.QueryOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotReloadTest {
    @Test
    void noRequestFailsWhileANewVersionIsBuiltAndSwappedIn(@TempDir Path store) throws Exception {
        new SyntheticCatalog(1200, 16, 8, 1).writeTo(store);
        ModelManager models = TestData.manager(store);
        String name = InProcessServerBuilder.generateName();
        Limits limits = Limits.defaults().withMaxQueueMillis(30_000);
        try (SegueServer server = SegueServer.start(InProcessServerBuilder.forName(name),
                ServerConfig.defaults().withUnauthenticatedReload().withLimits(limits), models)) {
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            Set<String> versions = ConcurrentHashMap.newKeySet();
            List<String> sequence = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch started = new CountDownLatch(2);
            List<Thread> callers = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                int caller = c;
                Thread t = new Thread(() -> {
                    started.countDown();
                    int i = 0;
                    while (!stop.get()) {
                        try {
                            String seed = SyntheticCatalog.trackUri((i++ * 7 + caller) % 1100);
                            ContinueResponse r = stub.withDeadlineAfter(20, TimeUnit.SECONDS).continue_(
                                    ContinueRequest.newBuilder().addSeedTrackUris(seed).setK(50).build());
                            if (r.getTracksCount() != 50) {
                                failures.add(new AssertionError("short answer " + r.getTracksCount()));
                            }
                            stub.similarTracks(SimilarTracksRequest.newBuilder().setTrackUri(seed).build());
                            versions.add(r.getDataVersion());
                            sequence.add(caller + ":" + r.getDataVersion());
                            ok.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                });
                t.start();
                callers.add(t);
            }
            started.await();
            Thread.sleep(200);
            String v2 = new SyntheticCatalog(1500, 16, 8, 2).writeTo(store);
            ReloadResponse reload = stub.reload(ReloadRequest.getDefaultInstance());
            assertEquals("v000001", reload.getPreviousVersion());
            assertEquals(v2, reload.getDataVersion());
            int afterSwap = ok.get();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ok.get() < afterSwap + 20 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            stop.set(true);
            for (Thread t : callers) {
                t.join(20_000);
            }
            channel.shutdownNow();
            assertTrue(failures.isEmpty(), "failed during reload: " + failures);
            assertEquals(Set.of("v000001", v2), versions);
            for (int c = 0; c < 2; c++) {
                // Per caller, once v2 answered, v1 never answers again: the swap is atomic.
                boolean seenNew = false;
                for (String s : new ArrayList<>(sequence)) {
                    if (s.startsWith(c + ":")) {
                        if (s.endsWith(v2)) {
                            seenNew = true;
                        } else {
                            assertTrue(!seenNew, "caller " + c + " saw v000001 after " + v2);
                        }
                    }
                }
            }
            assertEquals(v2, models.current().dataVersion());
        }
    }

    @Test
    void aSecondReloadWhileOneRunsIsRejectedAndACancelledReloadChangesNothing(@TempDir Path store) throws Exception {
        new SyntheticCatalog(300, 8, 4, 1).writeTo(store);
        ModelManager models = TestData.manager(store);
        new SyntheticCatalog(300, 8, 4, 2).writeTo(store);
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        dev.segue.serving.model.StoreModelLoader real = TestData.loader(store);
        ModelManager blocking = new ModelManager(new dev.segue.serving.model.ModelLoader() {
            @Override
            public String resolveVersion(String requested) throws VersionNotFoundException {
                return real.resolveVersion(requested);
            }

            @Override
            public ServingModel load(String version, BuildProgress progress, Cancellation cancel) throws Exception {
                building.countDown();
                release.await();
                return real.load(version, progress, cancel);
            }

            @Override
            public String source() {
                return real.source();
            }
        });
        Thread first = new Thread(() -> {
            try {
                blocking.reload(null, BuildProgress.NONE, Cancellation.NEVER);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        first.start();
        building.await();
        ModelManager.ReloadInProgressException busy = org.junit.jupiter.api.Assertions.assertThrows(
                ModelManager.ReloadInProgressException.class,
                () -> blocking.reload(null, BuildProgress.NONE, Cancellation.NEVER));
        assertTrue(busy.getMessage().contains("v000002"), busy.getMessage());
        release.countDown();
        first.join(30_000);
        assertEquals("v000002", blocking.current().dataVersion());

        org.junit.jupiter.api.Assertions.assertThrows(Cancellation.CancelledException.class,
                () -> models.reload(null, BuildProgress.NONE, () -> true));
        assertEquals("v000001", models.current().dataVersion(), "a cancelled reload leaves the old model");
    }

    @Test
    void inFlightWorkKeepsTheModelItStartedWith(@TempDir Path store) throws Exception {
        new SyntheticCatalog(500, 8, 4, 1).writeTo(store);
        ModelManager models = TestData.manager(store);
        ServingModel old = models.current();
        new SyntheticCatalog(600, 8, 4, 2).writeTo(store);
        ModelManager.ReloadResult r = models.reload(null, BuildProgress.NONE, Cancellation.NEVER);
        assertTrue(r.changed());
        assertEquals("v000001", r.previous());
        // A request that took the old model before the swap still gets a full, consistent answer from it.
        QueryEngine engine = new QueryEngine(QueryOptions.DEFAULTS);
        var answer = engine.recommend(old, new ContinueQuery(null, List.of(SyntheticCatalog.trackUri(3)), 20,
                FilterSpec.NONE), Cancellation.NEVER);
        assertEquals(20, answer.tracks().size());
        for (int i = 0; i < 20; i++) {
            assertTrue(answer.tracks().ids()[i] < 500);
        }
        assertEquals(600, models.current().factors().rows());
    }

    @Test
    void aReloadThatCannotBeServedKeepsTheOldVersion(@TempDir Path store) throws Exception {
        new SyntheticCatalog(300, 8, 4, 1).writeTo(store);
        ModelManager models = TestData.manager(store);
        String name = InProcessServerBuilder.generateName();
        try (SegueServer server = SegueServer.start(InProcessServerBuilder.forName(name), ServerConfig.defaults().withUnauthenticatedReload(),
                models)) {
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel);
            // A factor version whose manifest lacks the fold-in parameters cannot be served.
            var fs = dev.segue.store.FeatureStore.open(store);
            var schema = dev.segue.store.FeatureSetSchema.builder("track_factors")
                    .entityKey("track_id", dev.segue.store.FeatureType.INT32)
                    .column("track_uri", dev.segue.store.FeatureType.UTF8, "u")
                    .column("artist_uri", dev.segue.store.FeatureType.UTF8, "a").embedding("factors", 8, "f").build();
            try (var w = fs.writer(schema, dev.segue.store.WriteOptions.producer("t"))) {
                w.append(dev.segue.store.Batch.builder(1).ints("track_id", new int[] {0})
                        .strings("track_uri", new String[] {"t:0"}).strings("artist_uri", new String[] {"a"})
                        .embeddings("factors", new float[8]).build());
                w.commit();
            }
            StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> stub.reload(ReloadRequest.getDefaultInstance()));
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("version served is unchanged"),
                    e.getStatus().getDescription());
            assertEquals("v000001", models.current().dataVersion());
            assertEquals(5, stub.continue_(ContinueRequest.newBuilder().setK(5)
                    .addSeedTrackUris(SyntheticCatalog.trackUri(1)).build()).getTracksCount());
            channel.shutdownNow();
        }
    }

    @Test
    void aReloadOntoACorruptVersionIsAFailedPreconditionNamingTheFile(@TempDir Path store) throws Exception {
        new SyntheticCatalog(300, 8, 4, 1).writeTo(store);
        ModelManager models = TestData.manager(store);
        String v2 = new SyntheticCatalog(300, 8, 4, 2).writeTo(store);
        Path part = store.resolve("track_factors/versions/" + v2 + "/part-00000.arrow");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(part.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x40);
        }
        String name = InProcessServerBuilder.generateName();
        try (SegueServer server = SegueServer.start(InProcessServerBuilder.forName(name), ServerConfig.defaults().withUnauthenticatedReload(),
                models)) {
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel);
            StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> stub.reload(ReloadRequest.getDefaultInstance()));
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            String d = e.getStatus().getDescription();
            assertTrue(d.contains(part + ": checksum mismatch: expected CRC32C ") && d.contains("version served is unchanged")
                    && !d.contains("Exception"), d);
            assertEquals("v000001", models.current().dataVersion());
            assertEquals(5, stub.continue_(ContinueRequest.newBuilder().setK(5)
                    .addSeedTrackUris(SyntheticCatalog.trackUri(1)).build()).getTracksCount());
            channel.shutdownNow();
        }
    }
}
