package dev.segue.serving.cli;

import dev.segue.cli.ProgressMeter;
import dev.segue.serving.bench.ServeBenchmark;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.bench.SyntheticRanker;
import dev.segue.serving.index.HnswParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code segue bench serve}: end-to-end gRPC latency and throughput (see {@link ServeBenchmark}). */
@Command(name = "serve", sortOptions = false,
        description = {"End-to-end gRPC serving: Continue (k=500) and SimilarTracks (k=10) from concurrent callers",
                "at an offered load; throughput and p50/p95/p99/max latency over loopback."})
public final class ServeBenchCommand implements Callable<Integer> {
    // --version (the program version) is added to every command by dev.segue.cli.CliConvention.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Mixin
    BenchDataOptions data = new BenchDataOptions();

    @Option(names = "--callers", defaultValue = "2", description = "concurrent callers (default: ${DEFAULT-VALUE})")
    int callers;

    @Option(names = "--rate", defaultValue = "100", description = "offered Continue requests/s, all callers (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--similar-rate", defaultValue = "500", description = "offered SimilarTracks requests/s (default: ${DEFAULT-VALUE})")
    double similarRate;

    @Option(names = "--seconds", defaultValue = "30", description = "measured seconds per run (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", defaultValue = "10", description = "back-to-back warm-up seconds for Continue, again for SimilarTracks, half for health Check (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--k", defaultValue = "500", description = "Continue k (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--seeds", defaultValue = "10", description = "seeds per Continue request (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--similar-k", defaultValue = "10", description = "SimilarTracks k (default: ${DEFAULT-VALUE})")
    int similarK;

    @Option(names = {"--index-artifacts", "--index-cache"}, paramLabel = "DIR",
            description = "where index artifacts are kept and reused (default: <store>/_artifacts, as for segue serve)")
    Path indexCache;

    @Option(names = "--closed-loop", description = "also measure back-to-back capacity")
    boolean closedLoop;

    @Option(names = "--telemetry-cost", paramLabel = "ROUNDS", defaultValue = "0",
            description = "instead of the usual runs: Continue capacity and SimilarTracks latency with metrics + access log "
                    + "off and on (two servers, measured in turn), ROUNDS times each (default: ${DEFAULT-VALUE}: off)")
    int telemetryRounds;

    @Option(names = "--synthetic-ranker", description = "with --synthetic: also write tracks (artists, albums) and train a "
            + "small LambdaMART ranker on the catalog's playlists, so Continue runs the two stages")
    boolean syntheticRanker;

    @Option(names = "--first-stage-only", description = "every Continue asks for the first stage only (A/B against a "
            + "store with a ranker)")
    boolean firstStageOnly;

    @Option(names = "--m", defaultValue = "" + HnswParams.DEFAULT_M, description = "M (default: ${DEFAULT-VALUE})")
    int m;

    @Option(names = "--ef-construction", defaultValue = "" + HnswParams.DEFAULT_EF_CONSTRUCTION,
            description = "efConstruction (default: ${DEFAULT-VALUE})")
    int efConstruction;

    @Option(names = "--ef", defaultValue = "" + HnswParams.DEFAULT_EF, description = "ef (default: ${DEFAULT-VALUE})")
    int ef;

    @Option(names = "--ef-factor", defaultValue = "" + HnswParams.DEFAULT_EF_FACTOR,
            description = "ef factor (default: ${DEFAULT-VALUE})")
    double efFactor;

    @Override
    public Integer call() throws Exception {
        HnswParams params;
        try {
            data.check();
            params = new HnswParams(m, efConstruction, ef, efFactor);
            if (callers < 1 || rate < 0 || similarRate < 0 || seconds <= 0 || warmup < 0 || k < 1 || seeds < 1
                    || similarK < 1 || telemetryRounds < 0) {
                throw new IllegalArgumentException("--callers, --k, --seeds, --similar-k must be >= 1, rates >= 0, "
                        + "--seconds > 0, --warmup >= 0, --telemetry-cost >= 0");
            }
            if (syntheticRanker && data.synthetic == null) {
                throw new IllegalArgumentException("--synthetic-ranker needs --synthetic N (a store brings its own "
                        + "ranker from the ranker pipeline)");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path temp = null;
        Path store = data.store;
        String description;
        try (ProgressMeter progress = ProgressMeter.start("HNSW build", 0, "items", true)) {
            if (data.synthetic != null) {
                temp = Files.createTempDirectory("segue-bench-serve");
                store = temp.resolve("store");
                SyntheticCatalog synthetic = new SyntheticCatalog(data.synthetic, data.dim, data.clusters(), data.seed);
                if (syntheticRanker) {
                    String factors = SyntheticRanker.write(store, synthetic);
                    SyntheticRanker.train(store, synthetic, factors, dev.segue.ranking.RankerArtifacts.newVersion(), params,
                            indexCache);
                } else {
                    synthetic.writeTo(store);
                }
                description = String.format("synthetic clustered factors: %d tracks x %d dims, %d clusters, seed %d "
                        + "(temporary store%s)", data.synthetic, data.dim, data.clusters(), data.seed,
                        syntheticRanker ? ", with tracks and a small synthetic ranker" : "");
            } else {
                description = "store " + store;
            }
            new ServeBenchmark(store, data.version, indexCache, params, System.out).firstStageOnly(firstStageOnly).run(new ServeBenchmark.Options(callers, rate,
                    similarRate, warmup, seconds, k, seeds, similarK, closedLoop, telemetryRounds), progress::update, description);
        } finally {
            if (temp != null) {
                try (Stream<Path> s = Files.walk(temp)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        return 0;
    }
}
