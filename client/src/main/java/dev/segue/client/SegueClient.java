package dev.segue.client;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.RecommenderGrpc;
import dev.segue.api.v1.ReloadRequest;
import dev.segue.api.v1.ReloadResponse;
import dev.segue.api.v1.SimilarTracksRequest;
import dev.segue.api.v1.SimilarTracksResponse;
import dev.segue.api.v1.StatusRequest;
import dev.segue.api.v1.StatusResponse;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Java client of the Segue {@code Recommender} service: blocking and asynchronous forms of every RPC and a
 * bulk helper over the {@code ContinueBatch} stream.
 *
 * <pre>{@code
 * try (SegueClient client = SegueClient.forTarget("localhost:50051").deadline(Duration.ofSeconds(2)).build()) {
 *     ContinueResponse r = client.continuePlaylist(ContinueRequest.newBuilder()
 *             .setTitle("road trip").addSeedTrackUris("spotify:track:...").setK(100).build());
 * }
 * }</pre>
 *
 * <p>Every unary call gets the configured deadline; calls that fail with {@code UNAVAILABLE} (and only
 * those) are retried with exponential backoff by gRPC's retry machinery. Closing the client shuts the
 * channel down. Instances are thread-safe.
 */
public final class SegueClient implements AutoCloseable {
    private static final String SERVICE = "segue.v1.Recommender";

    private final ManagedChannel channel;
    private final RecommenderGrpc.RecommenderBlockingStub blocking;
    private final RecommenderGrpc.RecommenderStub async;
    private final io.grpc.health.v1.HealthGrpc.HealthBlockingStub health;
    private final Duration deadline;
    private final Duration reloadDeadline;
    private final String target;

    private SegueClient(ManagedChannel channel, CallCredentials credentials, Duration deadline,
                        Duration reloadDeadline, String target) {
        this.channel = channel;
        RecommenderGrpc.RecommenderBlockingStub b = RecommenderGrpc.newBlockingStub(channel);
        RecommenderGrpc.RecommenderStub a = RecommenderGrpc.newStub(channel);
        if (credentials != null) {
            b = b.withCallCredentials(credentials);
            a = a.withCallCredentials(credentials);
        }
        this.blocking = b;
        this.async = a;
        io.grpc.health.v1.HealthGrpc.HealthBlockingStub h = io.grpc.health.v1.HealthGrpc.newBlockingStub(channel);
        this.health = credentials == null ? h : h.withCallCredentials(credentials);
        this.deadline = deadline;
        this.reloadDeadline = reloadDeadline;
        this.target = target;
    }

    /** A builder for a server address such as {@code localhost:50051} or {@code dns:///host:port}. */
    public static Builder forTarget(String target) {
        return new Builder(target, null);
    }

    /** A builder over a caller-made channel builder (e.g. in-process for tests); TLS options do not apply. */
    public static Builder forChannelBuilder(ManagedChannelBuilder<?> channelBuilder, String name) {
        return new Builder(name, channelBuilder);
    }

    public String target() {
        return target;
    }

    public Duration deadline() {
        return deadline;
    }

    // --- Continue ---------------------------------------------------------------------------------------

    public ContinueResponse continuePlaylist(ContinueRequest request) {
        return blocking.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).continue_(request);
    }

    public CompletableFuture<ContinueResponse> continueAsync(ContinueRequest request) {
        CompletableFuture<ContinueResponse> f = new CompletableFuture<>();
        async.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).continue_(request, completing(f));
        return f;
    }

    // --- ContinueBatch ----------------------------------------------------------------------------------

    /**
     * The raw bidirectional stream: send requests on the returned observer, receive answers (matched by
     * {@code request_id}, possibly out of order) on {@code responses}. No deadline: a stream may run long.
     */
    public StreamObserver<ContinueRequest> continueBatch(StreamObserver<ContinueResponse> responses) {
        return async.continueBatch(responses);
    }

    /**
     * Sends all {@code requests} over {@code options.streams()} ContinueBatch streams with at most
     * {@code options.window()} unanswered requests on each, and reports every answer or failure to
     * {@code listener}. Returns at once; the handle's {@link BatchCall#done()} completes when every request
     * has been answered or failed.
     */
    public BatchCall continueAllAsync(Iterator<ContinueRequest> requests, BatchOptions options,
                                      BatchListener listener) {
        BatchCall call = new BatchCall(async, requests, options, listener);
        call.start();
        return call;
    }

    /**
     * Blocking bulk form: the responses in request order. Throws {@link BatchFailedException} listing the
     * requests that failed (the answered ones are in the exception too).
     */
    public List<ContinueResponse> continueAll(List<ContinueRequest> requests, BatchOptions options)
            throws InterruptedException {
        ContinueResponse[] answers = new ContinueResponse[requests.size()];
        List<BatchFailedException.Failure> failures = new ArrayList<>();
        List<ContinueRequest> indexed = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            indexed.add(requests.get(i).toBuilder().setRequestId(Integer.toString(i)).build());
        }
        BatchCall call = continueAllAsync(indexed.iterator(), options, new BatchListener() {
            @Override
            public void onResponse(ContinueRequest request, ContinueResponse response) {
                answers[Integer.parseInt(request.getRequestId())] = response;
            }

            @Override
            public void onFailure(ContinueRequest request, io.grpc.Status status) {
                int i = Integer.parseInt(request.getRequestId());
                synchronized (failures) {
                    failures.add(new BatchFailedException.Failure(i, requests.get(i), status));
                }
            }
        });
        call.await();
        List<ContinueResponse> out = new ArrayList<>(answers.length);
        for (ContinueResponse r : answers) {
            out.add(r);
        }
        if (!failures.isEmpty()) {
            failures.sort((x, y) -> Integer.compare(x.index(), y.index()));
            throw new BatchFailedException(failures, out);
        }
        return out;
    }

    // --- SimilarTracks ----------------------------------------------------------------------------------

    public SimilarTracksResponse similarTracks(SimilarTracksRequest request) {
        return blocking.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).similarTracks(request);
    }

    public SimilarTracksResponse similarTracks(String trackUri, int k) {
        return similarTracks(SimilarTracksRequest.newBuilder().setTrackUri(trackUri).setK(k).build());
    }

    public CompletableFuture<SimilarTracksResponse> similarTracksAsync(SimilarTracksRequest request) {
        CompletableFuture<SimilarTracksResponse> f = new CompletableFuture<>();
        async.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).similarTracks(request, completing(f));
        return f;
    }

    // --- Status and Reload ------------------------------------------------------------------------------

    /**
     * True when the server's standard health service reports the Recommender SERVING: a model is loaded and
     * the server is not shutting down. Throws the call's status when the server cannot be reached or does
     * not serve the Recommender ({@code NOT_FOUND}).
     */
    public boolean serving() {
        return health.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .check(io.grpc.health.v1.HealthCheckRequest.newBuilder().setService(SERVICE).build())
                .getStatus() == io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
    }

    public StatusResponse status() {
        return blocking.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .status(StatusRequest.getDefaultInstance());
    }

    public CompletableFuture<StatusResponse> statusAsync() {
        CompletableFuture<StatusResponse> f = new CompletableFuture<>();
        async.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .status(StatusRequest.getDefaultInstance(), completing(f));
        return f;
    }

    /** Loads {@code version} (empty or null: the newest). Uses the longer reload deadline: it may build an index. */
    public ReloadResponse reload(String version) {
        return blocking.withDeadlineAfter(reloadDeadline.toNanos(), TimeUnit.NANOSECONDS).reload(reloadRequest(version));
    }

    public CompletableFuture<ReloadResponse> reloadAsync(String version) {
        CompletableFuture<ReloadResponse> f = new CompletableFuture<>();
        async.withDeadlineAfter(reloadDeadline.toNanos(), TimeUnit.NANOSECONDS)
                .reload(reloadRequest(version), completing(f));
        return f;
    }

    private static ReloadRequest reloadRequest(String version) {
        return ReloadRequest.newBuilder().setVersion(version == null ? "" : version).build();
    }

    /** Shuts the channel down, waiting up to five seconds for calls in flight. */
    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    public boolean isClosed() {
        return channel.isShutdown();
    }

    private static <T> StreamObserver<T> completing(CompletableFuture<T> future) {
        return new StreamObserver<>() {
            private T value;

            @Override
            public void onNext(T v) {
                value = v;
            }

            @Override
            public void onError(Throwable t) {
                future.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                future.complete(value);
            }
        };
    }

    /** Configures and builds a {@link SegueClient}. */
    public static final class Builder {
        private final String target;
        private final ManagedChannelBuilder<?> channelBuilder;
        private Duration deadline = Duration.ofSeconds(10);
        private Duration reloadDeadline = Duration.ofMinutes(10);
        private Path trustCertificate;
        private String authority;
        private String bearerToken;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private double backoffMultiplier = 2.0;
        private int maxInboundMessageBytes = 16 << 20;

        private Builder(String target, ManagedChannelBuilder<?> channelBuilder) {
            if (target == null || target.isBlank()) {
                throw new IllegalArgumentException("no server target given (expected HOST:PORT)");
            }
            this.target = target;
            this.channelBuilder = channelBuilder;
        }

        /** Deadline of each unary call (default 10 s). */
        public Builder deadline(Duration d) {
            this.deadline = positive(d, "deadline");
            return this;
        }

        /** Deadline of {@code Reload}, which may build an index (default 10 min). */
        public Builder reloadDeadline(Duration d) {
            this.reloadDeadline = positive(d, "reload deadline");
            return this;
        }

        /** Use TLS and trust the server certificate(s) in this PEM file. */
        public Builder tls(Path trustCertificatePem) {
            this.trustCertificate = trustCertificatePem;
            return this;
        }

        /** The name to check the server certificate against when it differs from the target's host. */
        public Builder overrideAuthority(String authority) {
            this.authority = authority;
            return this;
        }

        /** Send {@code authorization: Bearer <token>} with every call. */
        public Builder bearerToken(String token) {
            this.bearerToken = token;
            return this;
        }

        /**
         * Retry calls failing with {@code UNAVAILABLE}: at most {@code maxAttempts} attempts in all (1 disables
         * retries), waiting a random time up to {@code initial × multiplier^(n−1)} (capped at {@code max}).
         */
        public Builder retries(int maxAttempts, Duration initial, Duration max, double multiplier) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            if (multiplier <= 0) {
                throw new IllegalArgumentException("backoff multiplier must be > 0");
            }
            this.maxAttempts = maxAttempts;
            this.initialBackoff = positive(initial, "initial backoff");
            this.maxBackoff = positive(max, "max backoff");
            this.backoffMultiplier = multiplier;
            return this;
        }

        public Builder maxInboundMessageBytes(int bytes) {
            this.maxInboundMessageBytes = bytes;
            return this;
        }

        public SegueClient build() throws IOException {
            ManagedChannelBuilder<?> b = channelBuilder;
            if (b == null) {
                ChannelCredentials credentials;
                if (trustCertificate != null) {
                    if (!Files.isReadable(trustCertificate)) {
                        throw new IOException("cannot read the TLS trust certificate " + trustCertificate);
                    }
                    credentials = TlsChannelCredentials.newBuilder().trustManager(trustCertificate.toFile()).build();
                } else {
                    credentials = InsecureChannelCredentials.create();
                }
                b = Grpc.newChannelBuilder(target, credentials);
                if (b instanceof io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder netty) {
                    // gRPC records OpenCensus stats and tracing on every call whenever grpc-census is on the class
                    // path (the segue tool's is: Beam's and Google Cloud's dependencies), though nothing exports
                    // them; off, as on the server (SegueServer.withoutCensus).
                    io.grpc.netty.shaded.io.grpc.netty.InternalNettyChannelBuilder.setStatsEnabled(netty, false);
                    io.grpc.netty.shaded.io.grpc.netty.InternalNettyChannelBuilder.setTracingEnabled(netty, false);
                }
            }
            if (authority != null) {
                b.overrideAuthority(authority);
            }
            b.maxInboundMessageSize(maxInboundMessageBytes);
            if (maxAttempts > 1) {
                b.enableRetry().maxRetryAttempts(maxAttempts).defaultServiceConfig(retryConfig());
            } else {
                b.disableRetry();
            }
            CallCredentials credentials = bearerToken == null ? null : new BearerToken(bearerToken);
            return new SegueClient(b.build(), credentials, deadline, reloadDeadline, target);
        }

        private Map<String, Object> retryConfig() {
            Map<String, Object> policy = Map.of(
                    "maxAttempts", (double) maxAttempts,
                    "initialBackoff", seconds(initialBackoff),
                    "maxBackoff", seconds(maxBackoff),
                    "backoffMultiplier", backoffMultiplier,
                    "retryableStatusCodes", List.of("UNAVAILABLE"));
            Map<String, Object> method = Map.of(
                    "name", List.of(Map.of("service", SERVICE)),
                    "retryPolicy", policy);
            return Map.of("methodConfig", List.of(method));
        }

        private static String seconds(Duration d) {
            return String.format(java.util.Locale.ROOT, "%.6fs", d.toNanos() / 1e9);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
