package dev.segue.serving.grpc;

import dev.segue.serving.model.ModelManager;
import dev.segue.serving.model.ServingModel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The server's one home for figures: a Micrometer registry in the Prometheus format, read by the metrics
 * endpoint ({@link MetricsEndpoint}) and by the {@code Status} RPC alike. Calls are recorded by
 * {@link CallTelemetry} (per method and status code: a latency histogram, in-flight calls, rejections); the
 * served model by gauges that follow {@link ModelManager}; the JVM by Micrometer's binders.
 */
public final class ServerStats implements AutoCloseable {
    /** Requests and their latency, tagged service, method and code. */
    static final String CALLS = "segue.grpc.server.calls";
    static final String IN_FLIGHT = "segue.grpc.server.in.flight";
    /** Calls turned away: busy (RESOURCE_EXHAUSTED), deadline, cancelled, auth. */
    static final String REJECTED = "segue.grpc.server.rejected";
    static final String ABANDONED = "segue.queries.abandoned";
    static final String RELOADS = "segue.reloads";
    static final String MODEL_INFO = "segue.model.info";
    /** Percentiles the Status RPC reports (client-side, over a sliding window). */
    private static final double[] PERCENTILES = {0.5, 0.95, 0.99};
    static final Duration WINDOW = Duration.ofMinutes(2);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, MethodMeters> methods = new ConcurrentHashMap<>();
    private final Counter abandoned;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MultiGauge modelInfo;
    private final long startedNanos = System.nanoTime();

    public ServerStats() {
        abandoned = Counter.builder(ABANDONED)
                .description("Queries whose work stopped early because the caller cancelled or its deadline passed")
                .register(registry);
        modelInfo = MultiGauge.builder(MODEL_INFO)
                .description("The data version served (value 1; the versions are labels)").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Gauges over the served model: item count, index build/load time, the version labels. */
    void follow(ModelManager models) {
        Gauge.builder("segue.model.items", models, m -> m.current() == null ? Double.NaN : m.current().factors().rows())
                .description("Tracks in the served index").register(registry);
        Gauge.builder("segue.model.index.seconds", models,
                        m -> m.current() == null ? Double.NaN : m.current().info().indexMillis() / 1000.0)
                .description("Time spent building the served graph, or loading it when it was saved before")
                .register(registry);
        Gauge.builder("segue.model.loaded.timestamp.seconds", models,
                        m -> m.current() == null ? Double.NaN : m.current().info().loadedAtEpochMillis() / 1000.0)
                .description("When the served model was swapped in (Unix time)").register(registry);
        Counter swaps = Counter.builder("segue.model.swaps")
                .description("Models swapped in (the first load and each reload that changed the version)")
                .register(registry);
        models.onSwap(m -> {
            swaps.increment();
            describe(m);
        });
        if (models.current() != null) {
            describe(models.current());
        }
    }

    private void describe(ServingModel m) {
        ServingModel.Info info = m.info();
        modelInfo.register(List.of(MultiGauge.Row.of(Tags.of(
                "data_version", m.dataVersion(),
                "titles_version", orNone(info.titlesVersion()),
                "stats_version", orNone(info.statsVersion()),
                "title_tracks_version", orNone(info.titleTracksVersion()),
                "ranker", m.ranking().rankerVersion(),
                "index", info.fromDisk() ? "loaded" : "built"), 1)), true);
    }

    private static String orNone(String s) {
        return s == null ? "none" : s;
    }

    /** The meters of one RPC method, made on its first call. */
    MethodMeters method(MethodDescriptor<?, ?> method) {
        MethodMeters m = methods.get(method.getFullMethodName());
        return m != null ? m : methods.computeIfAbsent(method.getFullMethodName(),
                name -> new MethodMeters(method.getServiceName(), method.getBareMethodName()));
    }

    /** Per-method meters; the timer of each status code is made the first time that code is returned. */
    final class MethodMeters {
        final String service;
        final String name;
        final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicReferenceArray<Timer> byCode = new AtomicReferenceArray<>(Status.Code.values().length);
        private final ConcurrentHashMap<String, Counter> rejected = new ConcurrentHashMap<>();

        MethodMeters(String service, String name) {
            this.service = service;
            this.name = name;
            Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get).tags("service", service, "method", name)
                    .description("Calls being handled").register(registry);
        }

        void record(Status.Code code, long nanos) {
            Timer t = byCode.get(code.ordinal());
            if (t == null) {
                Timer.Builder b = Timer.builder(CALLS).tags("service", service, "method", name, "code", code.name())
                        .description("gRPC calls by method and status code, handler latency")
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofSeconds(60))
                        .distributionStatisticExpiry(WINDOW);
                if (code == Status.Code.OK) {
                    // Two significant digits: percentiles within 1 % (Micrometer's default of one is 10 %).
                    b.publishPercentiles(PERCENTILES).percentilePrecision(2);
                }
                t = b.register(registry);
                byCode.set(code.ordinal(), t);
            }
            t.record(nanos, TimeUnit.NANOSECONDS);
            String reason = rejection(code);
            if (reason != null) {
                rejected.computeIfAbsent(reason, r -> Counter.builder(REJECTED)
                        .tags("service", service, "method", name, "reason", r)
                        .description("Calls turned away: busy, deadline, cancelled, auth").register(registry))
                        .increment();
            }
        }

        private Timer timer(Status.Code code) {
            return byCode.get(code.ordinal());
        }
    }

    private static String rejection(Status.Code code) {
        return switch (code) {
            case RESOURCE_EXHAUSTED -> "busy";
            case DEADLINE_EXCEEDED -> "deadline";
            case CANCELLED -> "cancelled";
            case UNAUTHENTICATED, PERMISSION_DENIED -> "auth";
            default -> null;
        };
    }

    /** Counts a finished Reload call: ok, refused (auth, another reload running) or failed. */
    void reload(Status.Code code) {
        String result = switch (code) {
            case OK -> "ok";
            case UNAUTHENTICATED, PERMISSION_DENIED, ABORTED -> "refused";
            default -> "failed";
        };
        registry.counter(RELOADS, "result", result).increment();
    }

    void abandoned() {
        abandoned.increment();
    }

    /** Requests whose work stopped early because the caller cancelled or its deadline passed. */
    public long abandonedCount() {
        return (long) abandoned.count();
    }

    public long uptimeSeconds() {
        return (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }

    /** The registry (tests, and anything that adds meters). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The registry in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * One method's figures for the Status RPC: calls and errors since start; percentiles and max of the
     * successful calls over the last {@link #WINDOW} (Micrometer's sliding window), in milliseconds.
     */
    record Summary(String method, long count, long errors, double p50, double p95, double p99, double max) {}

    List<Summary> summaries() {
        List<Summary> out = new ArrayList<>();
        for (MethodMeters m : methods.values()) {
            if (!m.service.equals(SegueServer.SERVICE_NAME)) {
                continue;
            }
            long count = 0;
            long errors = 0;
            for (Status.Code code : Status.Code.values()) {
                Timer t = m.timer(code);
                if (t != null) {
                    count += t.count();
                    errors += code == Status.Code.OK ? 0 : t.count();
                }
            }
            double[] p = new double[PERCENTILES.length];
            double max = 0;
            Timer ok = m.timer(Status.Code.OK);
            if (ok != null) {
                max = ok.max(TimeUnit.MILLISECONDS);
                ValueAtPercentile[] values = ok.takeSnapshot().percentileValues();
                for (int i = 0; i < values.length && i < p.length; i++) {
                    // The histogram's values are bucket edges (within a few per cent); none exceeds the max seen.
                    p[i] = Math.min(values[i].value(TimeUnit.MILLISECONDS), max);
                }
            }
            out.add(new Summary(m.name, count, errors, p[0], p[1], p[2], max));
        }
        out.sort((a, b) -> a.method().compareTo(b.method()));
        return out;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
