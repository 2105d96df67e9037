package dev.segue.pipelines.cli;

import dev.segue.pipelines.InputPaths;
import org.apache.beam.sdk.options.PipelineOptions;

import dev.segue.als.beam.FactorExchange;
import dev.segue.pipelines.continuation.ContinuationOptions;
import dev.segue.pipelines.continuation.ContinuationRun;
import dev.segue.pipelines.progress.Progress;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code segue pipeline continuation}: MPD slices to the tracks, statistics, ALS factors and title embeddings
 * feature sets. Unrecognised options go to Beam (e.g. {@code --runner=FlinkRunner}).
 */
@Command(name = "continuation",
        mixinStandardHelpOptions = true,
        description = {"Ingest MPD slices and write tracks, track_stats, track_factors, playlist_factors and "
                + "title_embeddings and title_tracks to the feature store.",
            "Other options are passed to Beam, e.g. --runner=FlinkRunner --flinkMaster=host:8081."})
public final class ContinuationCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MpdStoreOptions input;

    @Option(names = "--factors", paramLabel = "D", description = "latent factors (default: ${DEFAULT-VALUE})")
    int factors = 64;

    @Option(names = "--iterations", paramLabel = "N", description = "ALS iterations (default: ${DEFAULT-VALUE})")
    int iterations = 15;

    @Option(names = "--alpha", description = "confidence scale α, c = 1 + α·r (default: ${DEFAULT-VALUE})")
    double alpha = 20.0;

    @Option(names = "--regularization", description = "L2 regularization λ (default: ${DEFAULT-VALUE})")
    double regularization = 1.0;

    @Option(names = {"--cg-steps", "--cgSteps"}, description = "CG steps per row solve (default: ${DEFAULT-VALUE})")
    int cgSteps = 3;

    @Option(names = {"--log-scaling", "--logScaling"}, description = "use log(1 + r/ε) instead of r")
    boolean logScaling;

    @Option(names = "--epsilon", description = "ε of the log scaling (default: ${DEFAULT-VALUE})")
    double epsilon = 1.0;

    @Option(names = "--seed", description = "seed of the initial factors (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = {"--max-error-rate", "--maxErrorRate"},
            description = "fail (exit code 2) when more than this fraction of records is malformed (default: "
                    + "${DEFAULT-VALUE})")
    double maxErrorRate = 0.01;

    @Option(names = {"--dead-letters", "--deadLetters"}, paramLabel = "FILE",
            description = "write malformed records here (JSON lines), also when the run stops on them; a local or "
                    + "mounted path; default: log them")
    String deadLetters;

    @Option(names = {"--factor-exchange", "--factorExchange"},
            description = "AUTO, BROADCAST, FILES or SHUFFLE (default: ${DEFAULT-VALUE}: inline broadcast up to "
                    + "--broadcast-limit-mb, factor files under --tempLocation above it)")
    FactorExchange factorExchange = FactorExchange.AUTO;

    @Option(names = {"--broadcast-limit-mb", "--broadcastLimitMb"},
            description = "AUTO broadcasts packed factors inline up to this size (default: ${DEFAULT-VALUE})")
    long broadcastLimitMb = 128;

    @Option(names = "--neighbours", paramLabel = "N",
            description = "co-occurring tracks kept per track in track_neighbours; 0 skips the set (default: "
                    + "${DEFAULT-VALUE})")
    int neighbours = 50;

    @Option(names = {"--neighbour-window", "--neighbourWindow"}, paramLabel = "W",
            description = "count only track pairs at most W positions apart; 0 = the whole playlist, quadratic in "
                    + "its length (default: ${DEFAULT-VALUE})")
    int neighbourWindow = 10;

    @Option(names = {"--ranker-holdout", "--rankerHoldout"}, paramLabel = "F",
            description = "share of playlists (by pid) left out of ALS and titles for segue pipeline ranker's "
                    + "examples (default: ${DEFAULT-VALUE}; 0: none)")
    double rankerHoldout = dev.segue.ranking.RankerHoldout.DEFAULT_SHARE;

    @Unmatched
    List<String> beamOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ContinuationOptions options;
        try {
            options = options(beamArgs());
            checkInput(input.mpd, options);
        } catch (IllegalArgumentException e) {
            err.println("segue pipeline continuation: " + e.getMessage());
            return 2;
        }
        long start = System.nanoTime();
        ContinuationRun.Summary s;
        try {
            s = ContinuationRun.run(options, input.quiet ? null : e -> printEvent(err, start, e));
        } catch (Exception e) {
            return MpdStoreOptions.failed(err, "continuation", e,
                    deadLetters == null ? null : " (dead letters: " + deadLetters + ")");
        }
        printSummary(out, s);
        return 0;
    }

    /**
     * A missing local folder, a scheme no file system is registered for and a pattern without slice files are
     * usage errors (exit 2), found before any pipeline is built; the slices are matched through Beam's file
     * systems of {@code o} (hdfs://, s3://, gs:// and local paths, globs included).
     */
    static void checkInput(String mpd, PipelineOptions o) {
        if (InputPaths.scheme(mpd) == null && !InputPaths.isGlob(mpd) && !java.nio.file.Files.exists(java.nio.file.Path.of(mpd))) {
            throw new IllegalArgumentException("--mpd " + mpd + ": no such folder or file");
        }
        String pattern = dev.segue.ingest.MpdIngest.filepattern(mpd);
        if (InputPaths.match("--mpd", pattern, o).isEmpty()) {
            throw new IllegalArgumentException("--mpd " + mpd + ": no MPD slice files match " + pattern);
        }
    }

    BeamArgs beamArgs() {
        BeamArgs a = new BeamArgs()
                .set("mpd", input.mpd).set("store", input.store).set("factors", factors).set("iterations", iterations)
                .set("alpha", alpha).set("regularization", regularization).set("cgSteps", cgSteps)
                .set("logScaling", logScaling).set("epsilon", epsilon).set("seed", seed)
                .set("maxErrorRate", maxErrorRate).set("deadLetters", deadLetters)
                .set("factorExchange", factorExchange).set("broadcastLimitMb", broadcastLimitMb)
                .set("neighbours", neighbours).set("neighbourWindow", neighbourWindow)
                .set("rankerHoldout", rankerHoldout);
        return a.passThrough(beamOptions).directRunnerDefaults();
    }

    static ContinuationOptions options(BeamArgs args) {
        PipelineOptionsFactory.register(ContinuationOptions.class);
        ContinuationOptions o = PipelineOptionsFactory.fromArgs(args.toArray()).withValidation()
                .as(ContinuationOptions.class);
        dev.segue.pipelines.continuation.ContinuationPipeline.validate(o);
        return o;
    }

    static void printEvent(PrintWriter err, long start, Progress.Event e) {
        err.printf("[%7.1fs] %s: %s%n", (e.nanoTime() - start) / 1e9, e.stage(), e.message());
        err.flush();
    }

    static void printSummary(PrintWriter out, ContinuationRun.Summary s) {
        out.printf("playlists %,d (malformed %,d), tracks %,d%n", s.playlists(), s.malformed(), s.tracks());
        out.printf("ingest %.1f s, ALS %d iterations (median %.2f s per iteration), total %.1f s%n",
                s.ingestSeconds(), s.iterationSeconds().length, s.medianIterationSeconds(), s.totalSeconds());
        if (s.losses().length > 0) {
            out.printf("final loss %.6g%n", s.losses()[s.losses().length - 1]);
        }
        for (Map.Entry<String, String> v : s.versions().entrySet()) {
            out.printf("wrote %s %s%n", v.getKey(), v.getValue());
        }
        out.flush();
    }
}
