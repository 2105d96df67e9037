package dev.segue.churn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segue.format.AtomicFile;
import dev.segue.pipelines.InputPaths;
import dev.segue.pipelines.evidence.DeadLetterFiles;
import dev.segue.pipelines.evidence.PipelineFailure;
import dev.segue.pipelines.evidence.WriteTextFile;
import dev.segue.store.FeatureStore;
import dev.segue.store.io.StoreFileIOs;
import dev.segue.store.WriteOptions;
import dev.segue.store.beam.StoreRunOptions;
import dev.segue.store.beam.FeatureSetIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The listening-log pipeline of issue 7 (study 003): logs → parse (dead letters) → user shards → cleaning
 * statistics → features, labels and ratings → {@code user_churn_features}, {@code user_churn_labels},
 * {@code user_song_ratings}. Dead letters go to {@code REPORT/dead-letters.csv}, the cleaning thresholds to
 * {@code REPORT/cleaning.json}; {@link #run} adds every counter to {@code REPORT/report.json}.
 *
 * <pre>
 * java dev.segue.churn.ChurnPipeline --logs=DIR --store=DIR [--snapshots=2017-04-28] [--runner=...]
 * </pre>
 */
public final class ChurnPipeline {
    public static final String NAMESPACE = "segue.churn";
    static final int BLOCK_EVENTS = 1 << 16;

    private ChurnPipeline() {}

    public static void main(String[] args) throws IOException {
        PipelineOptionsFactory.register(ChurnOptions.class);
        ChurnOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(ChurnOptions.class);
        ChurnRunReport report = run(options);
        System.out.println(report.summary());
    }

    /** The explicit plan of --snapshots, or null when the plan comes from the logs. */
    public static WindowPlan explicitPlan(ChurnOptions o) {
        if (o.getSnapshots() == null || o.getSnapshots().isBlank()) {
            return null;
        }
        List<Integer> days = new ArrayList<>();
        for (String s : o.getSnapshots().split(",")) {
            try {
                days.add(LogDates.parse(s.strip()));
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("--snapshots: " + e.getMessage());
            }
        }
        return new WindowPlan(days.stream().mapToInt(Integer::intValue).toArray(), o.getFeatureWindowDays(),
                o.getLabelWindowDays());
    }

    public static Path reportDir(ChurnOptions o) {
        return dev.segue.pipelines.evidence.ReportDirs.of(o.getReportDir(), o.getStore(), "churn-report");
    }

    /**
     * The log files of {@code --logs} on any Beam file system: a glob ({@code hdfs://nn/logs/2017-*.csv}) or a
     * {@code .csv} file as given, else a folder's {@code *.csv} files. Local paths are made absolute.
     */
    public static String logPattern(String logs) {
        String l = InputPaths.absolute(logs);
        return InputPaths.isGlob(l) || l.endsWith(".csv") ? l : InputPaths.child(l, "*.csv");
    }

    /** Builds the pipeline into {@code p}. */
    public static void build(Pipeline p, ChurnOptions o) {
        if (o.getFeatureWindowDays() < 1 || o.getLabelWindowDays() < 1 || o.getUserShards() < 1 || o.getSplitBytes() < 1) {
            throw new IllegalArgumentException("window lengths, shards and split size must be positive");
        }
        String store = StoreFileIOs.absolute(o.getStore());
        Path report = reportDir(o);
        WindowPlan explicit = explicitPlan(o);
        String pattern = logPattern(o.getLogs());
        if (InputPaths.match("--logs", pattern).isEmpty()) {
            throw new IllegalArgumentException("--logs " + o.getLogs() + ": no log files match " + pattern);
        }

        PCollection<LogSplit> splits = p.apply("ListLogSplits", new ListLogSplits(pattern, o.getSplitBytes()));
        PCollectionView<WindowPlan> plan = explicit != null
                ? p.apply("ExplicitPlan", Create.of(explicit).withCoder(SerializableCoder.of(WindowPlan.class)))
                        .apply("PlanView", View.asSingleton())
                : splits.apply("PlanFromLogs", new PlanFromLogs(o.getFeatureWindowDays(), o.getLabelWindowDays()));

        PCollectionTuple parsed = splits.apply("ParseLogs", new ParseLogs(plan, o.getUserShards(), BLOCK_EVENTS,
                deadLetterFile(o)));
        PCollectionView<DateRange> dates = parsed.get(ParseLogs.DATES).apply("DatesView", View.asSingleton());

        PCollection<UserEvents> shards = parsed.get(ParseLogs.EVENTS).apply("GroupUserShards", new GroupUserShards());
        PCollection<CleaningRules> rules = shards.apply("CleaningStatistics", new CleaningStatistics(plan));
        rules.apply("DescribeCleaning", ParDo.of(new DescribeFn(plan, dates)).withSideInputs(plan, dates))
                .apply("WriteCleaning", ParDo.of(new WriteTextFile(report.resolve("cleaning.json").toString())));

        PCollectionTuple out = shards.apply("ComputeChurnOutputs", new ComputeChurnOutputs(plan, rules, dates));
        WriteOptions params = StoreRunOptions.tag(o, WriteOptions.producer(PRODUCER))
                .param("logs", InputPaths.absolute(o.getLogs()))
                .param("feature_window_days", Integer.toString(o.getFeatureWindowDays()))
                .param("label_window_days", Integer.toString(o.getLabelWindowDays()))
                .param("snapshots", explicit == null ? "auto (label window ends on the last log date with at least "
                        + Math.round(DailyCounts.BUSY_SHARE * 100) + "% of the typical daily lines; later lines are "
                        + "AFTER_LAST_WINDOW dead letters)"
                        : o.getSnapshots())
                .param("cleaning_report", report.resolve("cleaning.json").toString())
                .param("conventions", "ratio with zero denominator = 0; A1 and B3 = 0 without plays; "
                        + "D1 = feature window length when no event of the type; timestamps = window close "
                        + "(start of the next day, UTC)");
        out.get(ComputeChurnOutputs.FEATURES).apply("WriteFeatures",
                FeatureSetIO.write(store, ChurnSchemas.features(), params));
        out.get(ComputeChurnOutputs.LABELS).apply("WriteLabels",
                FeatureSetIO.write(store, ChurnSchemas.labels(), params));
        out.get(ComputeChurnOutputs.RATINGS).apply("WriteRatings",
                FeatureSetIO.write(store, ChurnSchemas.ratings(), params.param("ratings",
                        "study 003 section 6 over the last snapshot's feature window")));
    }

    public static final String PRODUCER = "segue-churn";

    /** The feature sets one churn run writes (its snapshot lists them, and the ratings factors when chained). */
    public static final List<String> SETS = List.of(ChurnSchemas.FEATURES, ChurnSchemas.LABELS, ChurnSchemas.RATINGS);

    /** The run's dead-letter file, {@code REPORT/dead-letters.csv}. */
    public static DeadLetterFiles deadLetterFile(ChurnOptions o) {
        return new DeadLetterFiles(reportDir(o).resolve("dead-letters.csv"), DeadLetter.HEADER);
    }

    /**
     * Runs the pipeline to completion. On every exit path, success or failure, writes
     * {@code REPORT/dead-letters.csv} (the dead letters found before a failure) and {@code REPORT/report.json}
     * ({@code status} ok or failed, the error, the counters; after a failure the dead letters counted by reason
     * from the file, as the runner's counters are lost with it). A failure is rethrown as
     * {@link PipelineFailure#forUser}: an {@link IllegalArgumentException} for bad input, one line, naming the
     * report. A successful run that owns its store run writes the snapshot record last.
     */
    public static ChurnRunReport run(ChurnOptions o) throws IOException {
        dev.segue.pipelines.RunnerCheck.check(o); // before the run begins: a runner or cluster that cannot start leaves no trace
        boolean ownsRun = StoreRunOptions.begin(o);
        Path report = reportDir(o);
        Files.createDirectories(report);
        Files.deleteIfExists(report.resolve("cleaning.json")); // only this run's thresholds, or none
        DeadLetterFiles dead = deadLetterFile(o);
        dead.reset();
        long t0 = System.nanoTime();
        Map<String, Long> counters = null;
        RuntimeException failure = null;
        try {
            Pipeline p = Pipeline.create(o);
            build(p, o);
            PipelineResult result = p.run();
            PipelineResult.State state = result.waitUntilFinish();
            if (state != PipelineResult.State.DONE) {
                throw new IllegalStateException("churn pipeline ended in state " + state);
            }
            counters = counters(result);
        } catch (RuntimeException e) {
            failure = e;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long deadLetters = dead.finish();
        if (counters == null) {
            counters = DeadLetter.countByReason(dead.target());
        }
        Path cleaningFile = report.resolve("cleaning.json");
        Object cleaning = Files.exists(cleaningFile) ? JSON.readValue(cleaningFile.toFile(), Object.class) : null;
        String error = failure == null ? null : PipelineFailure.message(failure);
        ChurnRunReport r = new ChurnRunReport(failure == null ? "ok" : "failed", error,
                InputPaths.absolute(o.getLogs()), StoreFileIOs.absolute(o.getStore()),
                report.toString(), seconds, counters, cleaning);
        try (AtomicFile f = AtomicFile.create(report.resolve("report.json"))) {
            f.stream().write(JSON.writeValueAsBytes(r));
            f.commit();
        }
        if (failure != null) {
            throw PipelineFailure.forUser(failure, " (dead letters: " + deadLetters + "; run report: "
                    + report.resolve("report.json") + ")");
        }
        if (ownsRun) {
            FeatureStore.open(StoreFileIOs.absolute(o.getStore())).commitRun(o.getStoreRun(), PRODUCER, SETS);
        }
        return r;
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Sums each counter of this pipeline's namespace over steps. */
    public static Map<String, Long> counters(PipelineResult result) {
        return counters(result, NAMESPACE);
    }

    /**
     * Sums each counter of a namespace over steps. Attempted values: every runner reports them, and with
     * bounded input on the runners we use no bundle is retried, so they equal the committed ones.
     */
    public static Map<String, Long> counters(PipelineResult result, String namespace) {
        MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.inNamespace(namespace)).build());
        Map<String, Long> out = new TreeMap<>();
        for (MetricResult<Long> c : m.getCounters()) {
            out.merge(c.getName().getName(), c.getAttempted(), Long::sum);
        }
        return out;
    }

    /** The cleaning thresholds of every snapshot as JSON. */
    static final class DescribeFn extends DoFn<CleaningRules, String> {
        private final PCollectionView<WindowPlan> planView;
        private final PCollectionView<DateRange> datesView;

        DescribeFn(PCollectionView<WindowPlan> planView, PCollectionView<DateRange> datesView) {
            this.planView = planView;
            this.datesView = datesView;
        }

        @ProcessElement
        public void process(ProcessContext c) throws IOException {
            WindowPlan plan = c.sideInput(planView);
            DateRange dates = c.sideInput(datesView);
            CleaningRules rules = c.element();
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("feature_window_days", plan.featureDays());
            doc.put("label_window_days", plan.labelDays());
            doc.put("log_first_date", dates.isEmpty() ? null : LogDates.format(dates.first()));
            doc.put("log_last_date", dates.isEmpty() ? null : LogDates.format(dates.last()));
            doc.put("plan", plan.derived() ? plan.derivation() : "--snapshots");
            List<Map<String, Object>> snaps = new ArrayList<>();
            for (int i = 0; i < plan.size(); i++) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("window_end", LogDates.format(plan.snapshot(i)));
                s.put("feature_window", LogDates.format(plan.featureStart(i)) + ".." + LogDates.format(plan.snapshot(i)));
                s.put("label_window", LogDates.format(plan.snapshot(i) + 1) + ".." + LogDates.format(plan.labelEnd(i)));
                s.put("labelled", !dates.isEmpty() && plan.labelEnd(i) <= dates.last());
                s.putAll(rules.describe(i));
                snaps.add(s);
            }
            doc.put("snapshots", snaps);
            c.output(new ObjectMapper().writeValueAsString(doc));
        }
    }
}
