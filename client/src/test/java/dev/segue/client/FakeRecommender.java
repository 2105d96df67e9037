package dev.segue.client;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.RecommenderGrpc;
import dev.segue.api.v1.ReloadRequest;
import dev.segue.api.v1.ReloadResponse;
import dev.segue.api.v1.RequestError;
import dev.segue.api.v1.ScoredTrack;
import dev.segue.api.v1.SimilarTracksRequest;
import dev.segue.api.v1.SimilarTracksResponse;
import dev.segue.api.v1.StatusRequest;
import dev.segue.api.v1.StatusResponse;
import dev.segue.api.v1.Strategy;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted Recommender for client tests. Titles steer it: "slow" sleeps, "bad" is INVALID_ARGUMENT,
 * "flaky" fails with UNAVAILABLE on the first {@link #flakyFailures} attempts, "error" fails inside a batch.
 * Answers list tracks {@code <seed or title>#i} with artist {@code artist#(i % 3)}.
 */
class FakeRecommender extends RecommenderGrpc.RecommenderImplBase {
    final AtomicInteger continueCalls = new AtomicInteger();
    final AtomicInteger flakyAttempts = new AtomicInteger();
    volatile int flakyFailures = 2;
    /** Fail each batch stream with UNAVAILABLE after this many answers (-1: never). */
    volatile int breakStreamAfter = -1;
    final AtomicInteger maxOutstandingPerStream = new AtomicInteger();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService delayer = Executors.newScheduledThreadPool(2);

    static ContinueResponse answer(ContinueRequest request) {
        String base = request.getSeedTrackUrisCount() > 0 ? request.getSeedTrackUris(0) : request.getTitle();
        int k = request.getK() == 0 ? 500 : request.getK();
        ContinueResponse.Builder b = ContinueResponse.newBuilder().setRequestId(request.getRequestId())
                .setStrategy(request.getSeedTrackUrisCount() > 0 ? Strategy.SEEDS : Strategy.TITLE)
                .setDataVersion("v1");
        for (int i = 0; i < k; i++) {
            b.addTracks(ScoredTrack.newBuilder().setTrackUri(base + "#" + i).setArtistUri("artist#" + (i % 3))
                    .setScore(1f / (i + 1)));
        }
        return b.build();
    }

    @Override
    public void continue_(ContinueRequest request, StreamObserver<ContinueResponse> out) {
        continueCalls.incrementAndGet();
        switch (request.getTitle()) {
            case "slow" -> {
                sleep(2000);
                out.onNext(answer(request));
                out.onCompleted();
            }
            case "bad" -> out.onError(Status.INVALID_ARGUMENT.withDescription("k too large").asRuntimeException());
            case "flaky" -> {
                if (flakyAttempts.incrementAndGet() <= flakyFailures) {
                    out.onError(Status.UNAVAILABLE.withDescription("warming up").asRuntimeException());
                } else {
                    out.onNext(answer(request));
                    out.onCompleted();
                }
            }
            default -> {
                out.onNext(answer(request));
                out.onCompleted();
            }
        }
    }

    @Override
    public StreamObserver<ContinueRequest> continueBatch(StreamObserver<ContinueResponse> out) {
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        Object lock = new Object();
        return new StreamObserver<>() {
            private boolean closed;

            @Override
            public void onNext(ContinueRequest request) {
                if ("hang".equals(request.getTitle())) {
                    return; // never answered
                }
                maxOutstandingPerStream.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
                // answer later and out of order: a short random-ish delay per request
                long delay = 1 + (request.getRequestId().hashCode() & 3);
                delayer.schedule(() -> reply(request), delay, TimeUnit.MILLISECONDS);
            }

            private void reply(ContinueRequest request) {
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    if (breakStreamAfter >= 0 && answered.get() >= breakStreamAfter) {
                        closed = true;
                        out.onError(Status.UNAVAILABLE.withDescription("server going away").asRuntimeException());
                        return;
                    }
                    outstanding.decrementAndGet();
                    answered.incrementAndGet();
                    if ("error".equals(request.getTitle())) {
                        out.onNext(ContinueResponse.newBuilder().setRequestId(request.getRequestId())
                                .setError(RequestError.newBuilder().setCode(Status.Code.INVALID_ARGUMENT.value())
                                        .setMessage("no seeds and no title")).build());
                    } else {
                        out.onNext(answer(request));
                    }
                    if (halfClosed && outstanding.get() == 0) {
                        closed = true;
                        out.onCompleted();
                    }
                }
            }

            private volatile boolean halfClosed;

            @Override
            public void onError(Throwable t) {
                synchronized (lock) {
                    closed = true;
                }
            }

            @Override
            public void onCompleted() {
                synchronized (lock) {
                    halfClosed = true;
                    if (!closed && outstanding.get() == 0) {
                        closed = true;
                        out.onCompleted();
                    }
                }
            }
        };
    }

    @Override
    public void similarTracks(SimilarTracksRequest request, StreamObserver<SimilarTracksResponse> out) {
        SimilarTracksResponse.Builder b = SimilarTracksResponse.newBuilder().setDataVersion("v1");
        for (int i = 0; i < request.getK(); i++) {
            b.addTracks(ScoredTrack.newBuilder().setTrackUri(request.getTrackUri() + "~" + i));
        }
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        out.onNext(StatusResponse.newBuilder().setDataVersion("v1").setItemCount(42).setDimensions(8).build());
        out.onCompleted();
    }

    @Override
    public void reload(ReloadRequest request, StreamObserver<ReloadResponse> out) {
        out.onNext(ReloadResponse.newBuilder().setPreviousVersion("v1")
                .setDataVersion(request.getVersion().isEmpty() ? "v2" : request.getVersion()).build());
        out.onCompleted();
    }

    /** Records the authorization header of every call. */
    ServerInterceptor recordAuthorization() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                String auth = headers.get(BearerToken.AUTHORIZATION);
                authorizations.add(auth == null ? "<none>" : auth);
                return next.startCall(call, headers);
            }
        };
    }

    void shutdown() {
        delayer.shutdownNow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
