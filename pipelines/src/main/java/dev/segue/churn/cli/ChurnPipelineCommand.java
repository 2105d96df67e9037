package dev.segue.churn.cli;

import dev.segue.pipelines.cli.BeamArgs;
import dev.segue.churn.ChurnOptions;
import dev.segue.churn.ChurnPipeline;
import dev.segue.churn.ChurnRunReport;
import dev.segue.churn.LineRangeReader;
import dev.segue.churn.LogLayout;
import dev.segue.churn.RatingsAls;
import dev.segue.churn.RatingsAlsOptions;
import dev.segue.pipelines.InputPaths;
import java.io.IOException;
import java.nio.file.Files;
import dev.segue.store.io.StoreFileIOs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Comparator;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code segue pipeline churn}: listening logs → user_churn_features, user_churn_labels, user_song_ratings; with
 * {@code --ratings-factors D} also user_factors and song_factors ({@link RatingsAls}).
 */
@Command(name = "churn", mixinStandardHelpOptions = true,
        description = {"Churn features, labels and ratings from music-box listening logs (study 003).",
            "Any other --name=value is passed to Beam (e.g. --runner=FlinkRunner)."})
public final class ChurnPipelineCommand implements Callable<Integer> {
    @Option(names = "--logs", required = true, paramLabel = "DIR",
            description = "folder of play/download/search *.csv logs, a .csv file or a glob, on any Beam file system "
                    + "(local, hdfs://, s3://, gs://)")
    String logs;

    @Option(names = "--store", required = true, paramLabel = "DIR",
            description = "feature store root: a local folder, hdfs://NAMENODE:PORT/PATH or s3://BUCKET/PATH")
    String store;

    @Option(names = "--feature-window-days", defaultValue = "30", description = "feature window length (default ${DEFAULT-VALUE})")
    int featureDays;

    @Option(names = "--label-window-days", defaultValue = "14", description = "label window length (default ${DEFAULT-VALUE})")
    int labelDays;

    @Option(names = "--snapshots", paramLabel = "DATE,...", split = ",",
            description = "feature-window end dates (yyyy-MM-dd); default: one whose label window ends on the last log "
                    + "date holding at least 10%% of the typical daily lines (later lines are dead letters)")
    List<String> snapshots;

    @Option(names = "--report-dir", paramLabel = "DIR", description = "dead-letters.csv, cleaning.json and report.json, written also when the run stops (default: "
            + "churn-report beside a local store, in the working directory for a store on hdfs://)")
    String reportDir;

    @Option(names = "--user-shards", defaultValue = "32", description = "parallel user shards (default ${DEFAULT-VALUE})")
    int shards;

    @Option(names = "--ratings-factors", defaultValue = "0", paramLabel = "D",
            description = "then factorise user_song_ratings with the continuation pipeline's implicit ALS into "
                    + "user_factors and song_factors of dimension D (0 = skip; default ${DEFAULT-VALUE})")
    int ratingsFactors;

    @Option(names = "--ratings-iterations", defaultValue = "10", description = "ALS iterations (default ${DEFAULT-VALUE})")
    int ratingsIterations;

    @Option(names = "--ratings-alpha", defaultValue = "5.0", description = "ALS confidence c = 1 + alpha*rating (default ${DEFAULT-VALUE})")
    double ratingsAlpha;

    @Option(names = "--ratings-regularization", defaultValue = "1.0", description = "ALS lambda (default ${DEFAULT-VALUE})")
    double ratingsRegularization;

    @Unmatched
    List<String> beam = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<String> own = new ArrayList<>(List.of("--logs=" + InputPaths.absolute(logs), "--store=" + StoreFileIOs.absolute(store),
                "--featureWindowDays=" + featureDays, "--labelWindowDays=" + labelDays, "--userShards=" + shards));
        if (snapshots != null && !snapshots.isEmpty()) {
            own.add("--snapshots=" + String.join(",", snapshots));
        }
        if (reportDir != null) {
            own.add("--reportDir=" + reportDir);
        }
        if (ratingsFactors < 0) {
            throw new IllegalArgumentException("--ratings-factors must not be negative");
        }
        PipelineOptionsFactory.register(ChurnOptions.class);
        PipelineOptionsFactory.register(RatingsAlsOptions.class);
        ChurnOptions o = PipelineOptionsFactory.fromArgs(BeamArgs.of(own, beam)).withValidation().as(ChurnOptions.class);
        checkLogs(logs, o);
        ChurnPipeline.explicitPlan(o);
        RatingsAlsOptions als = null;
        if (ratingsFactors > 0) {
            als = ratingsOptions(store, ratingsFactors, ratingsIterations, ratingsAlpha, ratingsRegularization, beam);
            RatingsAls.config(als); // bad ALS settings fail before the churn pipeline runs
        }
        if (als != null) {
            // one run: churn sets and ratings factors become visible together, in one snapshot written last
            o.setStoreRun(dev.segue.store.FeatureStore.newRun());
            als.setStoreRun(o.getStoreRun());
        }
        ChurnRunReport report = ChurnPipeline.run(o);
        System.out.println(report.summary());
        if (als != null) {
            System.out.println(RatingsAls.run(als).summary());
            List<String> sets = new ArrayList<>(ChurnPipeline.SETS);
            sets.addAll(List.of(RatingsAls.USER_FACTORS, RatingsAls.SONG_FACTORS));
            dev.segue.store.FeatureStore.open(StoreFileIOs.absolute(store)).commitRun(o.getStoreRun(), ChurnPipeline.PRODUCER, sets);
        }
        return 0;
    }

    /** The ALS options with the user's Beam pass-through options (both option interfaces registered). */
    public static RatingsAlsOptions ratingsOptions(Path store, int factors, int iterations, double alpha, double lambda,
                                                   List<String> beam) {
        return ratingsOptions(store.toString(), factors, iterations, alpha, lambda, beam);
    }

    /** {@link #ratingsOptions(Path, int, int, double, double, List)} for a store root string (hdfs:// included). */
    public static RatingsAlsOptions ratingsOptions(String store, int factors, int iterations, double alpha, double lambda,
                                                   List<String> beam) {
        PipelineOptionsFactory.register(ChurnOptions.class);
        PipelineOptionsFactory.register(RatingsAlsOptions.class);
        List<String> own = List.of("--store=" + StoreFileIOs.absolute(store), "--ratingsFactors=" + factors,
                "--ratingsIterations=" + iterations, "--ratingsAlpha=" + alpha, "--ratingsRegularization=" + lambda);
        return PipelineOptionsFactory.fromArgs(BeamArgs.of(own, beam)).withValidation().as(RatingsAlsOptions.class);
    }

    /** {@link #checkLogs(String, PipelineOptions)} with the default file systems (local, s3://, gs://). */
    public static void checkLogs(Path logs) throws IOException {
        checkLogs(logs.toString(), PipelineOptionsFactory.create());
    }

    /**
     * Fails fast (exit 2) on a missing local folder, a scheme no file system is registered for, no log file, or a
     * header that is none of the three layouts; the files are matched through Beam's file systems of {@code o}.
     */
    public static void checkLogs(String logs, PipelineOptions o) throws IOException {
        String pattern = ChurnPipeline.logPattern(logs);
        if (InputPaths.scheme(logs) == null && !InputPaths.isGlob(logs) && !logs.endsWith(".csv")
                && !Files.isDirectory(Path.of(logs))) {
            throw new IllegalArgumentException("--logs " + logs + ": not a folder");
        }
        List<MatchResult.Metadata> csv = new ArrayList<>(InputPaths.match("--logs", pattern, o));
        if (csv.isEmpty()) {
            throw new IllegalArgumentException("--logs " + logs + ": no *.csv files" + (pattern.endsWith("/*.csv") ? ""
                    : " match " + pattern));
        }
        csv.sort(Comparator.comparing(m -> m.resourceId().toString()));
        for (MatchResult.Metadata m : csv) {
            String name = m.resourceId().toString();
            try (LineRangeReader r = new LineRangeReader(name, 0, m.sizeBytes(), 1)) {
                String header = r.next();
                if (header == null) {
                    throw new IllegalArgumentException(name + ": empty log file (a header line is required)");
                }
                LogLayout.fromHeader(name, header);
            }
        }
    }
}
