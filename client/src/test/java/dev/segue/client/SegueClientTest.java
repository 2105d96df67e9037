package dev.segue.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.Strategy;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SegueClientTest {
    private FakeRecommender fake;
    private Server server;
    private String name;
    private SegueClient client;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeRecommender();
        name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .addService(ServerInterceptors.intercept(fake, fake.recordAuthorization())).build().start();
        client = builder().build();
    }

    private SegueClient.Builder builder() {
        return SegueClient.forChannelBuilder(InProcessChannelBuilder.forName(name), "in-process:" + name)
                .deadline(Duration.ofMillis(500))
                .retries(4, Duration.ofMillis(5), Duration.ofMillis(20), 2.0);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        fake.shutdown();
    }

    private static ContinueRequest request(String title, String seed, int k) {
        ContinueRequest.Builder b = ContinueRequest.newBuilder().setTitle(title).setK(k);
        if (seed != null) {
            b.addSeedTrackUris(seed);
        }
        return b.build();
    }

    @Test
    void everyRpcBlockingAndAsync() throws Exception {
        ContinueResponse r = client.continuePlaylist(request("chill", "s1", 5));
        assertEquals(5, r.getTracksCount());
        assertEquals("s1#0", r.getTracks(0).getTrackUri());
        assertEquals(Strategy.SEEDS, r.getStrategy());
        assertEquals("chill#2", client.continueAsync(request("chill", null, 3)).get().getTracks(2).getTrackUri());
        assertEquals(4, client.similarTracks("t", 4).getTracksCount());
        assertEquals("t~1", client.similarTracksAsync(
                dev.segue.api.v1.SimilarTracksRequest.newBuilder().setTrackUri("t").setK(2).build())
                .get().getTracks(1).getTrackUri());
        assertEquals(42, client.status().getItemCount());
        assertEquals("v1", client.statusAsync().get().getDataVersion());
        assertEquals("v2", client.reload(null).getDataVersion());
        assertEquals("v7", client.reloadAsync("v7").get().getDataVersion());
    }

    @Test
    void deadlineIsEnforcedPerCall() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> client.continuePlaylist(request("slow", null, 1)));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> client.continueAsync(request("slow", null, 1)).get());
        assertEquals(Status.Code.DEADLINE_EXCEEDED, Status.fromThrowable(async.getCause()).getCode());
    }

    @Test
    void retriesUnavailableWithBackoffButNothingElse() {
        fake.flakyFailures = 2;
        ContinueResponse r = client.continuePlaylist(request("flaky", null, 2));
        assertEquals(2, r.getTracksCount());
        assertEquals(3, fake.flakyAttempts.get(), "two UNAVAILABLE answers, then success");

        int before = fake.continueCalls.get();
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class,
                () -> client.continuePlaylist(request("bad", null, 2)));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        assertEquals(before + 1, fake.continueCalls.get(), "INVALID_ARGUMENT is not retried");
    }

    @Test
    void servingFollowsTheHealthServiceOfTheRecommender() throws Exception {
        io.grpc.services.HealthStatusManager health = new io.grpc.services.HealthStatusManager();
        String healthName = InProcessServerBuilder.generateName();
        Server s = InProcessServerBuilder.forName(healthName).addService(health.getHealthService()).build().start();
        try (SegueClient c = SegueClient.forChannelBuilder(InProcessChannelBuilder.forName(healthName), healthName)
                .deadline(Duration.ofMillis(500)).build()) {
            StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, c::serving);
            assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode(), "no Recommender registered");
            health.setStatus("segue.v1.Recommender", io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
            assertEquals(false, c.serving());
            health.setStatus("segue.v1.Recommender", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
            assertEquals(true, c.serving());
        } finally {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void givesUpAfterMaxAttempts() throws Exception {
        fake.flakyFailures = 100;
        fake.flakyAttempts.set(0);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> client.continuePlaylist(request("flaky", null, 2)));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals(4, fake.flakyAttempts.get());
        try (SegueClient noRetry = builder().retries(1, Duration.ofMillis(5), Duration.ofMillis(5), 2).build()) {
            fake.flakyAttempts.set(0);
            assertThrows(StatusRuntimeException.class, () -> noRetry.continuePlaylist(request("flaky", null, 2)));
            assertEquals(1, fake.flakyAttempts.get());
        }
    }

    @Test
    void bearerTokenIsSentWithEveryCall() throws Exception {
        try (SegueClient authed = builder().bearerToken("s3cret").build()) {
            authed.status();
            authed.continuePlaylist(request("x", null, 1));
        }
        assertEquals(List.of("Bearer s3cret", "Bearer s3cret"), fake.authorizations);
        assertThrows(IllegalArgumentException.class, () -> builder().bearerToken(" ").build());
    }

    @Test
    void batchAnswersEveryRequestWithinTheWindow() throws Exception {
        List<ContinueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            requests.add(request(i % 50 == 7 ? "error" : "p", "seed" + i, 10));
        }
        Map<String, ContinueResponse> answers = new ConcurrentHashMap<>();
        Map<String, Status> failures = new ConcurrentHashMap<>();
        AtomicInteger reports = new AtomicInteger();
        BatchCall call = client.continueAllAsync(requests.iterator(), new BatchOptions(3, 4), new BatchListener() {
            @Override
            public void onResponse(ContinueRequest request, ContinueResponse response) {
                reports.incrementAndGet();
                answers.put(request.getSeedTrackUris(0), response);
            }

            @Override
            public void onFailure(ContinueRequest request, Status status) {
                reports.incrementAndGet();
                failures.put(request.getSeedTrackUris(0), status);
            }
        });
        BatchCall.Summary summary = call.done().get(20, TimeUnit.SECONDS);
        assertEquals(300, reports.get(), "each request reported exactly once");
        assertEquals(new BatchCall.Summary(300, 294, 6), summary);
        assertEquals("seed12#9", answers.get("seed12").getTracks(9).getTrackUri());
        assertEquals(Status.Code.INVALID_ARGUMENT, failures.get("seed7").getCode());
        assertTrue(fake.maxOutstandingPerStream.get() <= 4,
                "at most 4 unanswered per stream, saw " + fake.maxOutstandingPerStream.get());
    }

    @Test
    void blockingBatchKeepsRequestOrder() throws Exception {
        List<ContinueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(request("p", "s" + i, 2));
        }
        List<ContinueResponse> out = client.continueAll(requests, new BatchOptions(2, 8));
        for (int i = 0; i < 40; i++) {
            assertEquals("s" + i + "#0", out.get(i).getTracks(0).getTrackUri());
        }
        requests.set(5, request("error", "s5", 2));
        BatchFailedException e = assertThrows(BatchFailedException.class,
                () -> client.continueAll(requests, BatchOptions.defaults()));
        assertEquals(1, e.failures().size());
        assertEquals(5, e.failures().get(0).index());
        assertNotNull(e.answers().get(6));
    }

    @Test
    void brokenStreamsFailTheirRequestsOnceAndFinish() throws Exception {
        fake.breakStreamAfter = 10;
        List<ContinueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            requests.add(request("p", "s" + i, 1));
        }
        AtomicInteger ok = new AtomicInteger();
        Map<String, Status> failed = new ConcurrentHashMap<>();
        BatchCall call = client.continueAllAsync(requests.iterator(), new BatchOptions(2, 5), new BatchListener() {
            @Override
            public void onResponse(ContinueRequest request, ContinueResponse response) {
                ok.incrementAndGet();
            }

            @Override
            public void onFailure(ContinueRequest request, Status status) {
                assertTrue(failed.put(request.getSeedTrackUris(0), status) == null, "reported twice");
            }
        });
        BatchCall.Summary s = call.done().get(20, TimeUnit.SECONDS);
        assertEquals(200, ok.get() + failed.size());
        assertEquals(20, ok.get(), "each of the two streams answered 10");
        assertTrue(failed.values().stream().allMatch(st -> st.getCode() == Status.Code.UNAVAILABLE));
        assertEquals(200, s.sent());
    }

    @Test
    void aStalledStreamFailsItsRequestsInsteadOfHanging() throws Exception {
        List<ContinueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            requests.add(request(i == 3 ? "hang" : "p", "s" + i, 1));
        }
        Map<String, Status> failed = new ConcurrentHashMap<>();
        AtomicInteger ok = new AtomicInteger();
        BatchCall call = client.continueAllAsync(requests.iterator(),
                new BatchOptions(1, 2, Duration.ofMillis(300)), new BatchListener() {
                    @Override
                    public void onResponse(ContinueRequest request, ContinueResponse response) {
                        ok.incrementAndGet();
                    }

                    @Override
                    public void onFailure(ContinueRequest request, Status status) {
                        failed.put(request.getSeedTrackUris(0), status);
                    }
                });
        BatchCall.Summary s = call.done().get(20, TimeUnit.SECONDS);
        assertEquals(10, ok.get() + failed.size());
        assertEquals(Status.Code.DEADLINE_EXCEEDED, failed.get("s3").getCode());
        assertTrue(failed.get("s3").getDescription().contains("300 ms"), failed.get("s3").getDescription());
        assertEquals(10, s.sent());
        assertThrows(IllegalArgumentException.class, () -> new BatchOptions(1, 1, Duration.ZERO));
    }

    @Test
    void closeReleasesTheChannel() throws Exception {
        SegueClient c = builder().build();
        c.status();
        c.close();
        assertTrue(c.isClosed());
        assertThrows(StatusRuntimeException.class, c::status);
    }
}
