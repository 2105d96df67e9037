package dev.segue.serving.bench;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.RecommenderGrpc;
import dev.segue.api.v1.LatencySummary;
import dev.segue.api.v1.SimilarTracksRequest;
import dev.segue.api.v1.StatusRequest;
import dev.segue.serving.grpc.SegueServer;
import dev.segue.serving.grpc.ServerConfig;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.Candidates;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.index.RowFilter;
import dev.segue.serving.model.ModelManager;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.model.StoreModelLoader;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * End-to-end serving benchmark over real loopback sockets: a {@link SegueServer} on the store's factors and
 * gRPC callers in the same JVM (so they share the machine's cores with the server). Continue requests
 * carry coherent seed sets (a random track and tracks near it) and, for half of them, a known title. Runs:
 * Continue alone, SimilarTracks alone, SimilarTracks while Continue runs at its offered rate, and
 * optionally Continue back to back.
 */
public final class ServeBenchmark {
    /**
     * @param telemetryRounds 0: the usual runs; n &gt; 0: instead, the cost of metrics and the access log — two servers
     *                        on the same model, one with telemetry off and one with metrics, the endpoint and the
     *                        access log (to a temporary file) on, measured alternately n times each
     */
    public record Options(int callers, double continueRate, double similarRate, double warmupSeconds,
                          double seconds, int k, int seeds, int similarK, boolean closedLoop, int telemetryRounds) {
        public Options(int callers, double continueRate, double similarRate, double warmupSeconds, double seconds,
                       int k, int seeds, int similarK, boolean closedLoop) {
            this(callers, continueRate, similarRate, warmupSeconds, seconds, k, seeds, similarK, closedLoop, 0);
        }
    }

    private final Path store;
    private final String version;
    private final Path indexCache;
    private final HnswParams params;
    private final PrintStream out;
    private boolean firstStageOnly;

    /** {@code indexCache} null: the store's own index artifacts, as {@code segue serve} uses. */
    public ServeBenchmark(Path store, String version, Path indexCache, HnswParams params, PrintStream out) {
        this.store = store;
        this.version = version;
        this.indexCache = indexCache;
        this.params = params;
        this.out = out;
    }

    /** Every Continue asks for the first stage only (the A/B side of the two-stage recommender). */
    public ServeBenchmark firstStageOnly(boolean on) {
        this.firstStageOnly = on;
        return this;
    }

    public void run(Options o, BuildProgress progress, String dataDescription) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        StoreModelLoader loader = new StoreModelLoader(store, indexCache, params, cores, null, null);
        ModelManager models = new ModelManager(loader);
        models.reload(version, progress, Cancellation.NEVER);
        ServingModel model = models.current();
        ServerConfig config = ServerConfig.defaults().withPort(0);
        out.println("data:    " + dataDescription);
        out.println("machine: " + Stats.machine());
        out.printf("server:  track_factors %s, %d tracks x %d dims, index %s, M=%d efConstruction=%d ef=%d "
                        + "ef-factor=%s, %d search slots; plaintext loopback; callers in the same JVM%n",
                model.dataVersion(), model.factors().rows(), model.factors().dim(),
                model.info().indexSource(), params.m(),
                params.efConstruction(), params.ef(), params.efFactor(), config.limits().maxConcurrentQueries());
        out.println("ranker:  " + model.ranking().rankerVersion() + " (" + model.ranking().note() + ")"
                + (firstStageOnly ? "; every request asks for the first stage only" : ""));
        List<ContinueRequest> requests = requests(model, o.k(), o.seeds(), 256);
        if (o.telemetryRounds() > 0) {
            compareTelemetry(o, models, requests);
            return;
        }
        try (SegueServer server = SegueServer.start(config, models)) {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel);
                SplittableRandom random = new SplittableRandom(7);
                int n = model.factors().rows();
                String[] uris = new String[1024];
                for (int i = 0; i < uris.length; i++) {
                    uris[i] = model.catalog().trackUri(random.nextInt(n));
                }
                HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
                HealthCheckRequest check = HealthCheckRequest.newBuilder().setService(SegueServer.SERVICE_NAME).build();
                // Each call is made one way only, for the warm-up and every run alike.
                IntConsumer continueCall = i -> {
                    ContinueResponse r = stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                            .continue_(requests.get(i % requests.size()));
                    if (r.getTracksCount() != o.k()) {
                        throw new IllegalStateException("short answer: " + r.getTracksCount());
                    }
                };
                IntConsumer similarCall = i -> stub.withDeadlineAfter(5, TimeUnit.SECONDS).similarTracks(
                        SimilarTracksRequest.newBuilder().setTrackUri(uris[i % uris.length]).setK(o.similarK()).build());
                IntConsumer healthCall = i -> health.withDeadlineAfter(5, TimeUnit.SECONDS).check(check);
                // JIT warm-up: each call the runs below make, exactly as they make it, back to back on its own,
                // so every path (client stubs, transport, service) is compiled before it is measured. Interleaved
                // with Continue, SimilarTracks got ~1,500 calls in 10 s and was still being compiled during its
                // measured run (~4 s of JIT time in that window): its slow calls came in bursts that thinned out.
                if (o.warmupSeconds() > 0) {
                    LoadRun.run(o.callers(), 0, 0, o.warmupSeconds(), continueCall);
                    LoadRun.run(o.callers(), 0, 0, o.warmupSeconds(), similarCall);
                    LoadRun.run(o.callers(), 0, 0, o.warmupSeconds() / 2, healthCall);
                }
                LoadRun.Result cont = LoadRun.run(o.callers(), o.continueRate(), 2, o.seconds(), continueCall);
                out.printf("warm-up: back to back, %.0f s of Continue, %.0f s of SimilarTracks, %.0f s of health Check; "
                        + "each run below: 2 s settling, then %.0f s measured%n", o.warmupSeconds(), o.warmupSeconds(),
                        o.warmupSeconds() / 2, o.seconds());
                out.printf("Continue k=%d (%d seeds, half with a title), %d callers, offered %.0f req/s:%n  %s%n",
                        o.k(), o.seeds(), o.callers(), o.continueRate(), cont.describe());
                LoadRun.Result similar = LoadRun.run(o.callers(), o.similarRate(), 2, o.seconds(), similarCall);
                out.printf("SimilarTracks k=%d alone, %d callers, offered %.0f req/s:%n  %s%n", o.similarK(),
                        o.callers(), o.similarRate(), similar.describe());
                // The floor under every figure here: a call that does no work (health Check, answered on the
                // transport thread like SimilarTracks) at the same rate — loopback, thread wake-ups, scheduling.
                LoadRun.Result floor = LoadRun.run(o.callers(), o.similarRate(), 2, o.seconds(), healthCall);
                out.printf("transport floor: health Check (no work) alone, %d callers, offered %.0f req/s:%n  %s%n",
                        o.callers(), o.similarRate(), floor.describe());
                // Both at once: SimilarTracks callers while Continue callers keep their offered rate.
                LoadRun.Result[] background = new LoadRun.Result[1];
                Exception[] backgroundError = new Exception[1];
                Thread continueLoad = new Thread(() -> {
                    try {
                        background[0] = LoadRun.run(o.callers(), o.continueRate(), 2, o.seconds(), continueCall);
                    } catch (Exception e) {
                        backgroundError[0] = e;
                    }
                }, "bench-continue-load");
                continueLoad.start();
                LoadRun.Result mixed = LoadRun.run(o.callers(), o.similarRate(), 2, o.seconds(), similarCall);
                continueLoad.join();
                if (backgroundError[0] != null) {
                    throw backgroundError[0];
                }
                out.printf("SimilarTracks k=%d while Continue k=%d runs at %.0f req/s (%d + %d callers), offered %.0f "
                                + "req/s:%n  %s%n  (Continue meanwhile: %s)%n", o.similarK(), o.k(), o.continueRate(),
                        o.callers(), o.callers(), o.similarRate(), mixed.describe(), background[0].describe());
                if (o.closedLoop()) {
                    LoadRun.Result max = LoadRun.run(o.callers(), 0, 2, o.seconds(), continueCall);
                    out.printf("Continue k=%d, %d callers back to back (capacity):%n  %s%n", o.k(), o.callers(),
                            max.describe());
                }
                // The server's own handler times (from the call's start to its close, as the telemetry interceptor
                // sees them; successful calls of the last two minutes, as Status reports them): what the end-to-end
                // figures add on top is transport, thread hand-offs and waiting for a CPU.
                for (LatencySummary l : stub.status(StatusRequest.getDefaultInstance()).getLatenciesList()) {
                    out.printf("server-side %s: %d calls, handler ms p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n",
                            l.getMethod(), l.getCount(), l.getP50Ms(), l.getP95Ms(), l.getP99Ms(), l.getMaxMs());
                }
            } finally {
                channel.shutdownNow();
            }
        }
    }

    /**
     * The cost of telemetry: Continue back to back (capacity) and SimilarTracks at the offered rate, against a
     * server with telemetry off and one with the metrics, the Prometheus endpoint (scraped once a second, as a
     * Prometheus would at most) and the access log (plain, to a temporary file) on; the two are measured in
     * turn, the order swapped each round, so drift in the machine's load falls on both.
     */
    private void compareTelemetry(Options o, ModelManager models, List<ContinueRequest> requests) throws Exception {
        ServingModel model = models.current();
        Path accessLog = java.nio.file.Files.createTempFile("segue-bench-access", ".log");
        ServerConfig base = ServerConfig.defaults().withPort(0);
        try (java.io.OutputStream sink = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(accessLog),
                1 << 16)) {
            dev.segue.serving.cli.LogSetup.apply(dev.segue.serving.cli.LogSetup.AccessLogMode.plain, sink);
            try (SegueServer off = SegueServer.start(base.withTelemetry(ServerConfig.Telemetry.off()), models);
                 SegueServer on = SegueServer.start(base.withTelemetry(
                         ServerConfig.Telemetry.DEFAULT.withMetricsPort(0).withAccessLog(true)), models)) {
                SegueServer[] servers = {off, on};
                String[] names = {"telemetry off", "metrics + access log on"};
                ManagedChannel[] channels = new ManagedChannel[2];
                IntConsumer[] continueCalls = new IntConsumer[2];
                IntConsumer[] similarCalls = new IntConsumer[2];
                SplittableRandom random = new SplittableRandom(7);
                String[] uris = new String[1024];
                for (int i = 0; i < uris.length; i++) {
                    uris[i] = model.catalog().trackUri(random.nextInt(model.factors().rows()));
                }
                for (int s = 0; s < 2; s++) {
                    channels[s] = Grpc.newChannelBuilderForAddress("127.0.0.1", servers[s].port(),
                            InsecureChannelCredentials.create()).build();
                    RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channels[s]);
                    continueCalls[s] = i -> {
                        ContinueResponse r = stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                                .continue_(requests.get(i % requests.size()));
                        if (r.getTracksCount() != o.k()) {
                            throw new IllegalStateException("short answer: " + r.getTracksCount());
                        }
                    };
                    similarCalls[s] = i -> stub.withDeadlineAfter(5, TimeUnit.SECONDS).similarTracks(
                            SimilarTracksRequest.newBuilder().setTrackUri(uris[i % uris.length]).setK(o.similarK()).build());
                }
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                java.net.URI metrics = java.net.URI.create("http://127.0.0.1:" + on.metricsPort() + "/metrics");
                java.util.concurrent.ScheduledExecutorService scraper = java.util.concurrent.Executors
                        .newSingleThreadScheduledExecutor(r -> {
                            Thread t = new Thread(r, "bench-scraper");
                            t.setDaemon(true);
                            return t;
                        });
                long[] scrapes = new long[2]; // count, bytes of the last
                scraper.scheduleAtFixedRate(() -> {
                    try {
                        scrapes[1] = http.send(java.net.http.HttpRequest.newBuilder(metrics).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString()).body().length();
                        scrapes[0]++;
                    } catch (Exception e) {
                        throw new IllegalStateException("scrape failed: " + e, e);
                    }
                }, 1, 1, TimeUnit.SECONDS);
                try {
                    if (o.warmupSeconds() > 0) {
                        for (int s = 0; s < 2; s++) {
                            LoadRun.run(o.callers(), 0, 0, o.warmupSeconds(), continueCalls[s]);
                            LoadRun.run(o.callers(), 0, 0, o.warmupSeconds(), similarCalls[s]);
                        }
                    }
                    out.printf("telemetry cost: %d rounds of %.0f s, each: Continue k=%d back to back (%d callers), then "
                                    + "SimilarTracks k=%d at %.0f req/s per server (%d callers); within a round the calls "
                                    + "alternate between the two servers, so both see the same machine; warm-up %.0f s of "
                                    + "each call on each server%n", o.telemetryRounds(), o.seconds(), o.k(), o.callers(),
                            o.similarK(), o.similarRate(), o.callers(), o.warmupSeconds());
                    Paired cont = new Paired();
                    Paired similar = new Paired();
                    for (int round = 0; round < o.telemetryRounds(); round++) {
                        Paired c = new Paired();
                        LoadRun.Result rc = LoadRun.run(o.callers(), 0, 0, o.seconds(), c.alternate(continueCalls));
                        Paired st = new Paired();
                        LoadRun.Result rs = LoadRun.run(o.callers(), 2 * o.similarRate(), 0, o.seconds(),
                                st.alternate(similarCalls));
                        if (rc.errors() + rs.errors() > 0) {
                            throw new IllegalStateException("errors during the telemetry runs: "
                                    + (rc.firstError() != null ? rc.firstError() : rs.firstError()));
                        }
                        out.printf("round %d: Continue back to back, mean ms off %.3f / on %.3f (%s); SimilarTracks "
                                        + "p99 ms off %.3f / on %.3f (p50 %.3f / %.3f)%n", round + 1, c.mean(0),
                                c.mean(1), percentChange(c.mean(0), c.mean(1)), st.percentile(0, 0.99),
                                st.percentile(1, 0.99), st.percentile(0, 0.50), st.percentile(1, 0.50));
                        cont.add(c);
                        similar.add(st);
                    }
                    out.printf("telemetry cost over %d rounds: Continue back to back %d + %d calls, mean %.3f ms off, "
                                    + "%.3f ms on: throughput %s with metrics + access log; SimilarTracks %d + %d calls, "
                                    + "p99 %.3f ms off, %.3f ms on (%+.3f ms), p50 %.3f / %.3f ms%n", o.telemetryRounds(),
                            cont.count(0), cont.count(1), cont.mean(0), cont.mean(1),
                            percentChange(1 / cont.mean(0), 1 / cont.mean(1)), similar.count(0), similar.count(1),
                            similar.percentile(0, 0.99), similar.percentile(1, 0.99),
                            similar.percentile(1, 0.99) - similar.percentile(0, 0.99), similar.percentile(0, 0.50),
                            similar.percentile(1, 0.50));
                } finally {
                    scraper.shutdownNow();
                    for (ManagedChannel ch : channels) {
                        if (ch != null) {
                            ch.shutdownNow();
                        }
                    }
                }
                dev.segue.serving.cli.LogSetup.reset(); // writes out the queued access-log lines
                long lines;
                try (var stream = java.nio.file.Files.lines(accessLog)) {
                    lines = stream.count();
                }
                out.printf("meanwhile: %d access-log lines (%d bytes) written, %d scrapes of %d bytes each%n", lines,
                        java.nio.file.Files.size(accessLog), scrapes[0], scrapes[1]);
            }
        } finally {
            dev.segue.serving.cli.LogSetup.reset();
            java.nio.file.Files.deleteIfExists(accessLog);
        }
    }

    private static String percentChange(double before, double after) {
        return String.format("%+.1f %%", 100 * (after / before - 1));
    }

    /**
     * Latencies of calls alternating between two servers (request i goes to server i % 2), each timed by the call
     * itself: a paired comparison, since both servers' calls share every moment of the machine's load.
     */
    private static final class Paired {
        private final double[][] ms = {new double[1 << 16], new double[1 << 16]};
        private final int[] n = new int[2];

        IntConsumer alternate(IntConsumer[] calls) {
            return i -> {
                int s = i & 1;
                long began = System.nanoTime();
                calls[s].accept(i >> 1);
                double took = (System.nanoTime() - began) / 1e6;
                synchronized (this) {
                    if (n[s] == ms[s].length) {
                        ms[s] = java.util.Arrays.copyOf(ms[s], 2 * n[s]);
                    }
                    ms[s][n[s]++] = took;
                }
            };
        }

        synchronized void add(Paired other) {
            for (int s = 0; s < 2; s++) {
                for (int j = 0; j < other.n[s]; j++) {
                    if (n[s] == ms[s].length) {
                        ms[s] = java.util.Arrays.copyOf(ms[s], 2 * n[s]);
                    }
                    ms[s][n[s]++] = other.ms[s][j];
                }
            }
        }

        synchronized int count(int s) {
            return n[s];
        }

        synchronized double mean(int s) {
            double sum = 0;
            for (int j = 0; j < n[s]; j++) {
                sum += ms[s][j];
            }
            return n[s] == 0 ? Double.NaN : sum / n[s];
        }

        synchronized double percentile(int s, double q) {
            return Stats.percentile(java.util.Arrays.copyOf(ms[s], n[s]), q);
        }
    }

    /** Coherent playlists: a random track and seeds drawn from its 100 exact nearest; titles from the store. */
    private List<ContinueRequest> requests(ServingModel model, int k, int seeds, int count) {
        SplittableRandom random = new SplittableRandom(11);
        List<String> titles = titles();
        List<ContinueRequest> out = new ArrayList<>();
        int n = model.factors().rows();
        for (int i = 0; i < count; i++) {
            int anchor = random.nextInt(n);
            Candidates near = model.exact().search(model.factors().row(anchor), 100, RowFilter.ALL,
                    Cancellation.NEVER);
            ContinueRequest.Builder b = ContinueRequest.newBuilder().setRequestId("bench-" + i).setK(k)
                    .setFirstStageOnly(firstStageOnly).addSeedTrackUris(model.catalog().trackUri(anchor));
            for (int s = 1; s < seeds; s++) {
                b.addSeedTrackUris(model.catalog().trackUri(near.ids()[random.nextInt(near.size())]));
            }
            if (i % 2 == 0 && !titles.isEmpty()) {
                b.setTitle(titles.get(random.nextInt(titles.size())));
            }
            out.add(b.build());
        }
        return out;
    }

    private List<String> titles() {
        FeatureStore fs = FeatureStore.open(store);
        List<String> out = new ArrayList<>();
        if (fs.versions(StoreModelLoader.TITLES).isEmpty()) {
            return out;
        }
        try (FeatureSetReader r = fs.read(StoreModelLoader.TITLES)) {
            Table t = r.readAll("key", "kind");
            String[] keys = t.strings("key");
            String[] kinds = t.strings("kind");
            for (int i = 0; i < keys.length && out.size() < 1000; i++) {
                if ("title".equals(kinds[i])) {
                    out.add(keys[i]);
                }
            }
        }
        return out;
    }
}
