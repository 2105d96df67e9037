package dev.segue.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.Filter;
import dev.segue.api.v1.RecommenderGrpc;
import dev.segue.api.v1.ReloadRequest;
import dev.segue.api.v1.ScoredTrack;
import dev.segue.api.v1.SimilarTracksRequest;
import dev.segue.api.v1.SimilarTracksResponse;
import dev.segue.api.v1.StatusRequest;
import dev.segue.api.v1.StatusResponse;
import dev.segue.api.v1.Strategy;
import dev.segue.serving.TestData;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.model.ModelManager;
import dev.segue.serving.query.QueryOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTest {
    @TempDir
    static Path store;
    static ModelManager models;
    static SegueServer server;
    static ManagedChannel channel;
    static RecommenderGrpc.RecommenderBlockingStub stub;
    static SyntheticCatalog synthetic;

    static ServerConfig config() {
        Limits limits = new Limits(500, 10, 1000, 50, 64, 100, 1 << 20, 2, 150, 4);
        return ServerConfig.defaults().withPort(0).withLimits(limits).withQuery(new QueryOptions(5.0, 100, 0.2))
                .withUnauthenticatedReload();
    }

    @BeforeAll
    static void start() throws Exception {
        synthetic = TestData.catalog();
        synthetic.writeTo(store);
        models = TestData.manager(store);
        String name = InProcessServerBuilder.generateName();
        server = SegueServer.start(InProcessServerBuilder.forName(name), config(), models);
        channel = InProcessChannelBuilder.forName(name).build();
        stub = RecommenderGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow();
        server.close();
    }

    static List<String> seeds(int... rows) {
        return IntStream.of(rows).mapToObj(SyntheticCatalog::trackUri).collect(Collectors.toList());
    }

    static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    static String message(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getDescription();
    }

    @Test
    void continueAnswersWithRankedTracksVersionAndUnknownSeeds() {
        ContinueResponse r = stub.continue_(ContinueRequest.newBuilder().setRequestId("r1")
                .addAllSeedTrackUris(seeds(1, 2, 3)).addSeedTrackUris("spotify:track:missing").setK(25).build());
        assertEquals("r1", r.getRequestId());
        assertEquals(25, r.getTracksCount());
        assertEquals(Strategy.SEEDS, r.getStrategy());
        assertEquals(List.of("spotify:track:missing"), r.getUnknownSeedUrisList());
        assertEquals("v000001", r.getDataVersion());
        assertFalse(r.hasError());
        for (int i = 0; i < r.getTracksCount(); i++) {
            ScoredTrack t = r.getTracks(i);
            assertFalse(seeds(1, 2, 3).contains(t.getTrackUri()));
            assertTrue(t.getArtistUri().startsWith("spotify:artist:"));
            if (i > 0) {
                assertTrue(r.getTracks(i - 1).getScore() >= t.getScore());
            }
        }
        ContinueResponse defaults = stub.continue_(ContinueRequest.newBuilder().setTitle("g2 mix").build());
        assertEquals(500, defaults.getTracksCount(), "k = 0 means 500");
        assertEquals(Strategy.TITLE, defaults.getStrategy());
        ContinueResponse fallback = stub.continue_(ContinueRequest.newBuilder().setK(5).build());
        assertEquals(Strategy.POPULARITY_FALLBACK, fallback.getStrategy());
        ContinueResponse filtered = stub.continue_(ContinueRequest.newBuilder().addAllSeedTrackUris(seeds(1))
                .setK(10).setFilter(Filter.newBuilder().addAllowArtistUris(synthetic.artistUriOf(1))).build());
        filtered.getTracksList().forEach(t -> assertEquals(synthetic.artistUriOf(1), t.getArtistUri()));
    }

    @Test
    void violatedLimitsGetInvalidArgumentWithActionableMessages() {
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.continue_(ContinueRequest.newBuilder().setK(-1).build())));
        assertTrue(message(() -> stub.continue_(ContinueRequest.newBuilder().setK(5000).build())).contains("--max-k"));
        ContinueRequest manySeeds = ContinueRequest.newBuilder()
                .addAllSeedTrackUris(Collections.nCopies(51, SyntheticCatalog.trackUri(1))).build();
        assertTrue(message(() -> stub.continue_(manySeeds)).contains("51 seed tracks exceed the limit of 50"));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.continue_(manySeeds)));
        assertTrue(message(() -> stub.continue_(ContinueRequest.newBuilder().setTitle("x".repeat(65)).build()))
                .contains("--max-title-chars"));
        assertTrue(message(() -> stub.continue_(ContinueRequest.newBuilder().addSeedTrackUris("").build()))
                .contains("seed_track_uris[0] is empty"));
        Filter big = Filter.newBuilder().addAllExcludeTrackUris(Collections.nCopies(101, "x")).build();
        assertTrue(message(() -> stub.continue_(ContinueRequest.newBuilder().setFilter(big).build()))
                .contains("--max-filter-uris"));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.similarTracks(SimilarTracksRequest.newBuilder().build())));
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub.similarTracks(
                SimilarTracksRequest.newBuilder().setTrackUri("spotify:track:none").build())));
    }

    @Test
    void similarTracksDefaultsToTenAndExcludesTheTrack() {
        SimilarTracksResponse r = stub.similarTracks(SimilarTracksRequest.newBuilder()
                .setTrackUri(SyntheticCatalog.trackUri(9)).build());
        assertEquals(10, r.getTracksCount());
        assertEquals("v000001", r.getDataVersion());
        r.getTracksList().forEach(t -> assertNotEquals(SyntheticCatalog.trackUri(9), t.getTrackUri()));
    }

    @Test
    void waitingPastTheDeadlineStopsWithDeadlineExceededAndBusyGivesResourceExhausted() {
        server.limiter().drainForTest();
        boolean refilled = false;
        try {
            // On a loaded machine the 80 ms can pass before the handler starts, and gRPC then never runs it (nothing
            // to count): a few attempts, each of which must end in DEADLINE_EXCEEDED, and one must be counted.
            boolean counted = false;
            for (int attempt = 0; attempt < 5 && !counted; attempt++) {
                long abandoned = server.stats().abandonedCount();
                assertEquals(Status.Code.DEADLINE_EXCEEDED, code(() -> stub.withDeadlineAfter(80, TimeUnit.MILLISECONDS)
                        .continue_(ContinueRequest.newBuilder().addAllSeedTrackUris(seeds(1)).build())));
                counted = server.stats().abandonedCount() > abandoned || waitForAbandoned(abandoned);
            }
            assertTrue(counted, "the server dropped the query instead of running it late");
            StatusRuntimeException busy = assertThrows(StatusRuntimeException.class, () -> stub.continue_(
                    ContinueRequest.newBuilder().addAllSeedTrackUris(seeds(1)).build()));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, busy.getStatus().getCode());
            assertTrue(busy.getStatus().getDescription().contains("retry with backoff"));
            // SimilarTracks runs inline only when a slot is free; otherwise it waits like any query.
            assertEquals(Status.Code.DEADLINE_EXCEEDED, code(() -> stub.withDeadlineAfter(80, TimeUnit.MILLISECONDS)
                    .similarTracks(SimilarTracksRequest.newBuilder().setTrackUri(SyntheticCatalog.trackUri(3))
                            .setK(5).build())));
            CompletableFuture<SimilarTracksResponse> waiting = CompletableFuture.supplyAsync(() -> stub
                    .withDeadlineAfter(10, TimeUnit.SECONDS).similarTracks(SimilarTracksRequest.newBuilder()
                            .setTrackUri(SyntheticCatalog.trackUri(3)).setK(5).build()));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!server.limiter().hasQueuedForTest() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            server.limiter().refillForTest();
            refilled = true;
            assertEquals(5, waiting.join().getTracksCount(), "a queued SimilarTracks is answered once a slot frees");
        } finally {
            if (!refilled) {
                server.limiter().refillForTest();
            }
        }
        assertEquals(10, stub.continue_(ContinueRequest.newBuilder().addAllSeedTrackUris(seeds(1)).setK(10).build())
                .getTracksCount());
    }

    private static boolean waitForAbandoned(long before) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < end) {
            if (server.stats().abandonedCount() > before) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @Test
    void batchStreamAnswersEveryRequestAndCarriesPerRequestErrors() throws Exception {
        RecommenderGrpc.RecommenderStub async = RecommenderGrpc.newStub(channel);
        Map<String, ContinueResponse> answers = Collections.synchronizedMap(new HashMap<>());
        CountDownLatch done = new CountDownLatch(1);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        StreamObserver<ContinueRequest> requests = async.continueBatch(new StreamObserver<>() {
            @Override
            public void onNext(ContinueResponse r) {
                answers.put(r.getRequestId(), r);
            }

            @Override
            public void onError(Throwable t) {
                failures.add(t);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        for (int i = 0; i < 30; i++) {
            ContinueRequest.Builder b = ContinueRequest.newBuilder().setRequestId("q" + i).setK(i % 7 == 3 ? -5 : 20)
                    .addAllSeedTrackUris(seeds(i, i + 1));
            requests.onNext(b.build());
        }
        requests.onCompleted();
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertTrue(failures.isEmpty(), failures.toString());
        assertEquals(30, answers.size());
        for (int i = 0; i < 30; i++) {
            ContinueResponse r = answers.get("q" + i);
            if (i % 7 == 3) {
                assertTrue(r.hasError());
                assertEquals(Status.Code.INVALID_ARGUMENT.value(), r.getError().getCode());
                assertTrue(r.getError().getMessage().contains("k must be >= 0"));
            } else {
                assertFalse(r.hasError());
                assertEquals(20, r.getTracksCount());
            }
        }
    }

    @Test
    void statusHealthAndReflection() {
        ContinueResponse first = stub.continue_(ContinueRequest.newBuilder().addAllSeedTrackUris(seeds(4)).setK(3).build());
        assertFalse(first.getStages().getSecondStage(), "no ranker in this store: the first stage answers");
        assertEquals(List.of("wrmf"), first.getStages().getSourcesList());
        assertEquals(dev.segue.serving.query.QueryEngine.NO_RANKER, first.getStages().getNote());
        StatusResponse s = stub.status(StatusRequest.getDefaultInstance());
        assertEquals("none", s.getRankerVersion());
        assertTrue(s.getRankerNote().startsWith("no ranker in " + store.resolve("_artifacts").resolve("ranker")),
                s.getRankerNote());
        assertEquals("v000001", s.getDataVersion());
        assertEquals(2000, s.getItemCount());
        assertEquals("v000001", s.getTitlesVersion());
        assertEquals("v000001", s.getStatsVersion());
        assertEquals("", s.getTitleTracksVersion(), "no title_tracks in this store");
        assertEquals(16, s.getDimensions());
        assertEquals(16, s.getIndex().getM());
        assertEquals(100, s.getIndex().getEfConstruction());
        assertEquals(100, s.getIndex().getEf());
        assertEquals(3.0, s.getIndex().getEfFactor());
        assertTrue(s.getLoadedAtEpochMillis() > 0);
        assertTrue(s.getStorePath().endsWith(store.getFileName().toString()));
        assertTrue(s.getLatenciesList().stream().anyMatch(l -> l.getMethod().equals("Continue") && l.getCount() > 0
                && l.getP99Ms() >= l.getP50Ms() && l.getMaxMs() >= l.getP99Ms()));

        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                health.check(HealthCheckRequest.newBuilder().setService(SegueServer.SERVICE_NAME).build()).getStatus());

        List<String> services = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ServerReflectionRequest> req = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(
                new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        r.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName)
                                .forEach(services::add);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        req.onCompleted();
        assertTrue(awaitQuietly(done));
        assertTrue(services.contains("segue.v1.Recommender"), services.toString());
        assertTrue(services.contains("grpc.health.v1.Health"), services.toString());
    }

    @Test
    void reloadOfTheServedVersionIsANoOpAndUnknownVersionsAreNotFound() {
        assertEquals("v000001", stub.reload(ReloadRequest.getDefaultInstance()).getDataVersion());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.reload(ReloadRequest.newBuilder().setVersion("v000042").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("v000042"));
    }

    @Test
    void withoutAModelRequestsAreUnavailableAndHealthIsNotServing() throws Exception {
        ModelManager empty = new ModelManager(TestData.loader(store));
        String name = InProcessServerBuilder.generateName();
        try (SegueServer s = SegueServer.start(InProcessServerBuilder.forName(name), config(), empty)) {
            ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
            try {
                RecommenderGrpc.RecommenderBlockingStub st = RecommenderGrpc.newBlockingStub(ch);
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                        () -> st.continue_(ContinueRequest.newBuilder().setK(3).build()));
                assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
                assertTrue(e.getStatus().getDescription().contains("no index is loaded"));
                assertEquals("", st.status(StatusRequest.getDefaultInstance()).getDataVersion());
                HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(ch);
                assertEquals(HealthCheckResponse.ServingStatus.NOT_SERVING,
                        health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus());
                assertEquals("v000001", st.reload(ReloadRequest.getDefaultInstance()).getDataVersion());
                assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                        health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus());
                assertEquals(3, st.continue_(ContinueRequest.newBuilder().setK(3).build()).getTracksCount());
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void shutdownDrainsInFlightRequestsAndRefusesNewOnes() throws Exception {
        String name = InProcessServerBuilder.generateName();
        Limits slow = config().limits().withMaxQueueMillis(10_000);
        SegueServer s = SegueServer.start(InProcessServerBuilder.forName(name), config().withLimits(slow), models);
        ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
        try {
            RecommenderGrpc.RecommenderBlockingStub st = RecommenderGrpc.newBlockingStub(ch);
            s.limiter().drainForTest();
            CompletableFuture<ContinueResponse> inFlight = CompletableFuture.supplyAsync(() -> st.continue_(
                    ContinueRequest.newBuilder().addAllSeedTrackUris(seeds(3)).setK(7).build()));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!s.limiter().hasQueuedForTest() && System.nanoTime() < until) {
                Thread.sleep(5); // until the call waits inside the server
            }
            assertTrue(s.limiter().hasQueuedForTest());
            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.shutdown();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(100);
            assertFalse(shutdown.isDone(), "shutdown waits for the in-flight call");
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> st.continue_(ContinueRequest.newBuilder().setK(1).build()));
            assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
            s.limiter().refillForTest();
            assertEquals(7, inFlight.get(10, TimeUnit.SECONDS).getTracksCount());
            assertTrue(shutdown.get(10, TimeUnit.SECONDS), "drained within the grace period");
        } finally {
            ch.shutdownNow();
            s.close();
        }
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
