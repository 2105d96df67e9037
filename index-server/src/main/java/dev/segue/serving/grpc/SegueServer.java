package dev.segue.serving.grpc;

import dev.segue.serving.model.ModelManager;
import dev.segue.serving.query.QueryEngine;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gRPC server: Recommender, the standard health service (NOT_SERVING until a model is loaded
 * and again while shutting down) and server reflection, behind the token roles of {@link AccessControl} and
 * the per-call metrics and access log of {@link CallTelemetry} (Prometheus endpoint: {@link MetricsEndpoint}).
 * Shutdown is graceful: new calls are refused, in-flight calls get the grace period to finish.
 */
public final class SegueServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegueServer.class);
    public static final String SERVICE_NAME = "segue.v1.Recommender";

    private final Server server;
    private final ServerConfig config;
    private final HealthStatusManager health;
    private final QueryLimiter limiter;
    private final ServerStats stats;
    private final ExecutorService callExecutor;
    private final ExecutorService batchExecutor;
    private final MetricsEndpoint metrics;

    private SegueServer(ServerBuilder<?> builder, ServerConfig config, ModelManager models) throws IOException {
        this.config = config;
        this.health = new HealthStatusManager();
        this.limiter = new QueryLimiter(config.limits().maxConcurrentQueries());
        this.stats = new ServerStats();
        stats.follow(models);
        int cores = Runtime.getRuntime().availableProcessors();
        this.callExecutor = Executors.newFixedThreadPool(Math.max(8, 4 * cores), daemons("segue-grpc"));
        this.batchExecutor = Executors.newFixedThreadPool(Math.max(2, config.limits().batchWindow()),
                daemons("segue-batch"));
        RecommenderService service = new RecommenderService(models, new QueryEngine(config.query()),
                config.limits(), limiter, stats, batchExecutor, callExecutor);
        // Cheap calls run on the transport thread that read them: no hand-off to a pool thread and back
        // (each hand-off is a thread wake-up, which on a busy 2-core machine costs more than the search).
        // SimilarTracks only stays there when a search slot is free at once (see RecommenderService); a
        // health check is a map lookup.
        java.util.Set<String> inline = java.util.Set.of(
                dev.segue.api.v1.RecommenderGrpc.getSimilarTracksMethod().getFullMethodName(),
                dev.segue.api.v1.RecommenderGrpc.getStatusMethod().getFullMethodName(),
                io.grpc.health.v1.HealthGrpc.getCheckMethod().getFullMethodName());
        builder.executor(callExecutor)
                .callExecutor(new io.grpc.ServerCallExecutorSupplier() {
                    @Override
                    public <ReqT, RespT> java.util.concurrent.Executor getExecutor(io.grpc.ServerCall<ReqT, RespT> call,
                                                                                   io.grpc.Metadata headers) {
                        return inline.contains(call.getMethodDescriptor().getFullMethodName())
                                ? com.google.common.util.concurrent.MoreExecutors.directExecutor() : null;
                    }
                })
                .maxInboundMessageSize(config.limits().maxMessageBytes())
                .addService(service)
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        // The last interceptor added runs first: telemetry sees every call, those the token check refuses too.
        builder.intercept(new AccessControl(config.bearerToken(), config.roles().adminToken(),
                config.roles().allowUnauthenticatedReload(), config.roles().openReflection()));
        ServerConfig.Telemetry telemetry = config.telemetry();
        if (telemetry.enabled()) {
            builder.intercept(new CallTelemetry(stats, telemetry.accessLog()));
        }
        setServing(models.current() != null);
        models.onSwap(m -> setServing(true));
        this.metrics = telemetry.metricsPort() >= 0
                ? new MetricsEndpoint(telemetry.metricsHost(), telemetry.metricsPort(), stats) : null;
        try {
            this.server = builder.build().start();
        } catch (IOException | RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            stats.close();
            throw e;
        }
    }

    /** Starts a Netty server on {@code config.host():config.port()}, with TLS when configured. */
    public static SegueServer start(ServerConfig config, ModelManager models) throws IOException {
        ServerCredentials credentials;
        if (config.tls()) {
            for (var file : new java.nio.file.Path[] {config.tlsCert(), config.tlsKey()}) {
                if (!Files.isReadable(file)) {
                    throw new IllegalArgumentException("cannot read TLS file " + file);
                }
            }
            credentials = TlsServerCredentials.create(config.tlsCert().toFile(), config.tlsKey().toFile());
        } else {
            credentials = InsecureServerCredentials.create();
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(config.host()), config.port());
        if (!address.getAddress().isLoopbackAddress()) {
            if (config.bearerToken() == null) {
                LOG.warn("listening on {} without a bearer token: anyone who can reach it can query{}", address,
                        config.roles().adminToken() == null && config.roles().allowUnauthenticatedReload()
                                ? " and reload" : "");
            }
            if (!config.tls()) {
                LOG.warn("listening on {} without TLS: requests and any token travel in clear text", address);
            }
        }
        ServerConfig.Telemetry t = config.telemetry();
        if (t.metricsPort() >= 0 && !InetAddress.getByName(t.metricsHost()).isLoopbackAddress()) {
            LOG.warn("metrics endpoint on {}: readable without a token by anyone who can reach it", t.metricsHost());
        }
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address, credentials);
        withoutCensus(builder);
        return new SegueServer(builder, config, models);
    }

    /**
     * Turns off gRPC's OpenCensus stats and tracing. gRPC installs them on every call by itself whenever
     * {@code grpc-census} is on the class path — and the {@code segue} tool's class path has it (Beam's and Google
     * Cloud's dependencies bring it) — although nothing here exports them: the server's metrics are its own
     * ({@link CallTelemetry}). They cost a stats record per call, an event on OpenCensus's disruptor thread and
     * a tracing span: ~0.25 ms of CPU per two-stage Continue of a served evaluation on that thread alone (per-thread
     * CPU from {@code /proc}, docs/benchmarks.md 2026-12-07 13:20).
     */
    static void withoutCensus(NettyServerBuilder builder) {
        io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerBuilder.setStatsEnabled(builder, false);
        io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerBuilder.setTracingEnabled(builder, false);
    }

    /** Starts on a caller-made builder (tests use the in-process transport). */
    public static SegueServer start(ServerBuilder<?> builder, ServerConfig config, ModelManager models)
            throws IOException {
        return new SegueServer(builder, config, models);
    }

    private void setServing(boolean serving) {
        ServingStatus s = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus("", s);
        health.setStatus(SERVICE_NAME, s);
    }

    public int port() {
        return server.getPort();
    }

    /** The addresses the server listens on. */
    public java.util.List<? extends java.net.SocketAddress> listenAddresses() {
        return server.getListenSockets();
    }

    public ServerConfig config() {
        return config;
    }

    public QueryLimiter limiter() {
        return limiter;
    }

    public ServerStats stats() {
        return stats;
    }

    /** Where the Prometheus endpoint listens, or null when it is off. */
    public InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.address();
    }

    /** The port of the Prometheus endpoint, or -1 when it is off. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /**
     * Graceful stop: health turns NOT_SERVING, new calls are refused, in-flight calls may finish within
     * the configured grace; whatever is left is then cancelled.
     *
     * @return true when every call finished within the grace period
     */
    public boolean shutdown() throws InterruptedException {
        health.enterTerminalState();
        server.shutdown();
        boolean drained = server.awaitTermination(config.shutdownGraceMillis(), TimeUnit.MILLISECONDS);
        if (!drained) {
            LOG.warn("{} ms grace over; cancelling the calls still running", config.shutdownGraceMillis());
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        batchExecutor.shutdownNow();
        callExecutor.shutdown();
        callExecutor.awaitTermination(5, TimeUnit.SECONDS);
        if (metrics != null) {
            metrics.close();
        }
        stats.close();
        return drained;
    }

    @Override
    public void close() throws InterruptedException {
        if (!server.isTerminated()) {
            shutdown();
        }
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
