package dev.segue.serving.cli;

import dev.segue.cli.ProgressMeter;
import dev.segue.serving.grpc.Limits;
import dev.segue.serving.grpc.SegueServer;
import dev.segue.serving.grpc.ServerConfig;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.model.ModelManager;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.model.StoreModelLoader;
import dev.segue.serving.query.QueryOptions;
import java.io.PrintStream;
import dev.segue.store.FeatureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code segue serve}: loads the track factors of a feature store, loads their HNSW index artifact (or builds it)
 * and serves the Recommender gRPC API with health checking and reflection until interrupted; then drains.
 */
@Command(name = "serve", sortOptions = false,
        description = {"Serve playlist continuations over gRPC from the track factors in a feature store.",
                "Starts listening at once (health NOT_SERVING, requests UNAVAILABLE) and turns SERVING when the",
                "index is ready. The graph is loaded from the store's index artifact (segue index build, or the",
                "continuation pipeline), else built and saved there, so a restart loads it.",
                "Ctrl-C / SIGTERM drains in-flight requests (see --shutdown-grace-ms). Health checking needs no token;",
                "Reload needs the admin token (--admin-token-file). Prometheus metrics: --metrics-port."})
public final class ServeCommand implements Callable<Integer> {
    /** Lifecycle lines read "segue serve: ..." in the plain format (the logger's name is the command's). */
    private static final Logger LOG = LoggerFactory.getLogger("segue serve");

    // --version (the program version) is added to every command by dev.segue.cli.CliConvention.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Option(names = "--store", required = true, paramLabel = "DIR",
            description = "feature store root: a folder, or a URI such as hdfs://namenode:8020/store when the "
                    + "class path has its file system (bin/segue has hdfs://)")
    String store;

    @Option(names = "--data-version", paramLabel = "V", description = "track_factors version (default: newest)")
    String version;

    @Option(names = "--host", defaultValue = ServerConfig.LOOPBACK, description = "bind address (default: ${DEFAULT-VALUE}; "
            + "anything else exposes the server, use --tls-* and a token)")
    String host;

    @Option(names = "--port", defaultValue = "50051", description = "port, 0 = any free (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--m", defaultValue = "" + HnswParams.DEFAULT_M, description = "HNSW links per node (default: ${DEFAULT-VALUE})")
    int m;

    @Option(names = "--ef-construction", defaultValue = "" + HnswParams.DEFAULT_EF_CONSTRUCTION,
            description = "HNSW build beam (default: ${DEFAULT-VALUE})")
    int efConstruction;

    @Option(names = "--ef", defaultValue = "" + HnswParams.DEFAULT_EF,
            description = "least HNSW search beam (default: ${DEFAULT-VALUE})")
    int ef;

    @Option(names = "--ef-factor", defaultValue = "" + HnswParams.DEFAULT_EF_FACTOR,
            description = "search beam per requested result: a search for n results uses max(ef, ef-factor*n) (default: ${DEFAULT-VALUE})")
    double efFactor;

    @Option(names = "--build-threads", description = "threads building the graph (default: all cores)")
    Integer buildThreads;

    @Option(names = {"--index-artifacts", "--index-cache"}, paramLabel = "DIR",
            description = "where index artifacts are kept (default: the store's <store>/_artifacts, through a local copy for a store on HDFS; --index-cache is the older name)")
    Path indexCache;

    @Option(names = "--titles-version", paramLabel = "V",
            description = "title_embeddings version, or 'none' (default: the one made for the factors)")
    String titlesVersion;

    @Option(names = "--stats-version", paramLabel = "V", description = "track_stats version (default: newest)")
    String statsVersion;

    /** The second stage switch. */
    enum RankerMode { on, off }

    @Option(names = "--ranker", defaultValue = "on", paramLabel = "on|off",
            description = "the two-stage recommender: on serves the newest ranker built from the served factors when "
                    + "the store has one (else the first stage, and Status says why); off serves the first stage only "
                    + "(default: ${DEFAULT-VALUE}; a request can also ask for the first stage only)")
    RankerMode ranker;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "TLS certificate chain (with --tls-key)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "TLS private key, PKCS#8 (with --tls-cert)")
    Path tlsKey;

    @Option(names = "--token-file", paramLabel = "FILE", description = "require 'authorization: Bearer <token>' with the token in FILE")
    Path tokenFile;

    @Option(names = "--token-env", paramLabel = "VAR", description = "like --token-file, the token read from environment variable VAR")
    String tokenEnv;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "the admin token, in FILE: Reload needs it (PERMISSION_DENIED for the client token); Status shows it the store path")
    Path adminTokenFile;

    @Option(names = "--admin-token-env", paramLabel = "VAR", description = "like --admin-token-file, read from environment variable VAR")
    String adminTokenEnv;

    @Option(names = "--allow-unauthenticated-reload",
            description = "without an admin token, let Reload through (refused otherwise); for a laptop, not a shared network")
    boolean allowUnauthenticatedReload;

    @Option(names = "--open-reflection", description = "server reflection without a token (health checking is always open)")
    boolean openReflection;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "serve Prometheus metrics at http://<metrics-host>:PORT/metrics, 0 = any free (default: off)")
    Integer metricsPort;

    @Option(names = "--metrics-host", defaultValue = ServerConfig.LOOPBACK,
            description = "bind address of the metrics endpoint (default: ${DEFAULT-VALUE})")
    String metricsHost;

    @Option(names = "--access-log", defaultValue = "off", paramLabel = "off|plain|json",
            description = "one line per call (method, status, latency, k, seeds, strategy, peer, request id) on stderr; "
                    + "json turns every log line into JSON (default: ${DEFAULT-VALUE})")
    LogSetup.AccessLogMode accessLog;

    @Option(names = "--max-k", defaultValue = "1000", description = "largest k (default: ${DEFAULT-VALUE})")
    int maxK;

    @Option(names = "--max-seeds", defaultValue = "1000", description = "most seeds per request (default: ${DEFAULT-VALUE})")
    int maxSeeds;

    @Option(names = "--max-title-chars", defaultValue = "256", description = "longest title (default: ${DEFAULT-VALUE})")
    int maxTitleChars;

    @Option(names = "--max-filter-uris", defaultValue = "10000", description = "most filter URIs per request (default: ${DEFAULT-VALUE})")
    int maxFilterUris;

    @Option(names = "--max-message-bytes", defaultValue = "4194304", description = "largest request message (default: ${DEFAULT-VALUE})")
    int maxMessageBytes;

    @Option(names = "--max-concurrent-queries", description = "queries searching at once (default: cores)")
    Integer maxConcurrent;

    @Option(names = "--max-queue-ms", defaultValue = "2000", description = "longest wait for a search slot before RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE})")
    long maxQueueMillis;

    @Option(names = "--title-prior-seeds", defaultValue = "0.5", description = "blend of the unit seed and title directions: seed weight s/(s + this) (default: ${DEFAULT-VALUE})")
    double titlePriorSeeds;

    @Option(names = "--title-prior-playlists", defaultValue = "" + dev.segue.titles.TitleTracks.DEFAULT_PSEUDO_PLAYLISTS,
            description = "title-only answers with title_tracks: the factor model counts as this many playlists "
                    + "against the title's own (default: ${DEFAULT-VALUE})")
    double titlePriorPlaylists;

    @Option(names = "--exact-scan-rows", defaultValue = "20000", description = "filters leaving at most this many rows use an exact scan (default: ${DEFAULT-VALUE})")
    int exactScanRows;

    @Option(names = "--shutdown-grace-ms", defaultValue = "10000", description = "drain time on shutdown (default: ${DEFAULT-VALUE})")
    long shutdownGraceMillis;

    @Override
    public Integer call() throws Exception {
        ServerConfig config = config();
        FeatureStore opened;
        if (dev.segue.store.io.StoreFileIOs.isLocal(store)) {
            Path dir = dev.segue.store.io.LocalFileIO.path(dev.segue.store.io.Location.of(store));
            if (!Files.isDirectory(dir)) {
                throw new ParameterException(spec.commandLine(), "--store " + store + " is not a folder");
            }
            opened = FeatureStore.open(dir);
        } else {
            opened = FeatureStore.open(store); // one line naming the store if its file system is missing or unreachable
        }
        LogSetup.apply(accessLog);
        PrintStream err = System.err;
        int cores = Runtime.getRuntime().availableProcessors();
        StoreModelLoader loader = new StoreModelLoader(opened, indexCache, new HnswParams(m, efConstruction, ef, efFactor),
                buildThreads == null ? cores : buildThreads, titlesVersion, statsVersion, ranker != RankerMode.off,
                dev.segue.ranking.CandidateConfig.defaults());
        String resolved;
        try {
            resolved = loader.resolveVersion(version);
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        ModelManager models = new ModelManager(loader);
        SegueServer server;
        try {
            server = SegueServer.start(config, models);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        LOG.info("listening on {}:{} ({}{}); Reload {}; loading track_factors {} from {}", config.host(),
                server.port(), config.tls() ? "TLS" : "plaintext", config.bearerToken() != null ? ", bearer token" : "",
                config.roles().adminToken() != null ? "with the admin token"
                        : config.roles().allowUnauthenticatedReload() ? "without a token" : "off (no admin token)",
                resolved, loader.source());
        if (server.metricsPort() >= 0) {
            LOG.info("metrics at http://{}:{}/metrics", hostForUrl(config.telemetry().metricsHost()), server.metricsPort());
        }
        Thread hook = new Thread(() -> {
            try {
                LOG.info("shutting down, draining in-flight requests");
                server.shutdown();
                LogSetup.stop(); // the access-log lines still queued
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "segue-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // JSON logs stay one object a line: no progress bar, the build's start and end are logged instead.
        boolean json = accessLog == LogSetup.AccessLogMode.json;
        if (json) {
            LOG.info("building or loading the HNSW graph of track_factors {}", resolved);
        }
        try (ProgressMeter progress = ProgressMeter.on(err, "HNSW build", 0, "items", !json)) {
            models.reload(resolved, progress::update, Cancellation.NEVER);
        } catch (Exception e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            server.shutdown();
            throw e;
        }
        ServingModel model = models.current();
        ServingModel.Info info = model.info();
        LOG.info(String.format("SERVING track_factors %s: %d tracks x %d dims, titles %s, title_tracks %s, index %s "
                        + "(M=%d, efConstruction=%d, ef=%d, ef-factor=%s)", info.factorsVersion(), model.factors().rows(),
                model.factors().dim(), info.titlesVersion() == null ? "off" : info.titlesVersion(),
                info.titleTracksVersion() == null ? "off" : info.titleTracksVersion(), info.indexSource(), m, efConstruction, ef, efFactor));
        server.awaitTermination();
        return 0;
    }

    ServerConfig config() throws Exception {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        String token;
        String adminToken;
        try {
            token = dev.segue.auth.BearerTokens.read(tokenFile, tokenEnv);
            adminToken = dev.segue.auth.BearerTokens.read(adminTokenFile, adminTokenEnv, System::getenv, "--admin-token");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (adminToken != null && allowUnauthenticatedReload) {
            throw new ParameterException(spec.commandLine(),
                    "--allow-unauthenticated-reload and an admin token contradict each other; give one");
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            throw new ParameterException(spec.commandLine(), "--metrics-port must be in 0..65535, got " + metricsPort);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            Limits defaults = Limits.defaults();
            Limits limits = new Limits(Math.min(defaults.defaultK(), maxK), Math.min(defaults.defaultSimilarK(), maxK),
                    maxK, maxSeeds, maxTitleChars, maxFilterUris, maxMessageBytes,
                    maxConcurrent == null ? cores : maxConcurrent, maxQueueMillis, defaults.batchWindow());
            new HnswParams(m, efConstruction, ef, efFactor);
            QueryOptions query = new QueryOptions(titlePriorSeeds, exactScanRows, QueryOptions.DEFAULTS.exactScanFraction(),
                    titlePriorPlaylists);
            return new ServerConfig(host, port, tlsCert, tlsKey, token, limits, query, shutdownGraceMillis,
                    new ServerConfig.Roles(adminToken, allowUnauthenticatedReload, openReflection),
                    new ServerConfig.Telemetry(true, accessLog != LogSetup.AccessLogMode.off, metricsHost,
                            metricsPort == null ? -1 : metricsPort));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
