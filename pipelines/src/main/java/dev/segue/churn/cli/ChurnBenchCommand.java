package dev.segue.churn.cli;

import dev.segue.pipelines.cli.BeamArgs;
import dev.segue.churn.ChurnOptions;
import dev.segue.churn.ChurnPipeline;
import dev.segue.churn.ChurnRunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code segue bench churn}: the churn pipeline end to end on given logs, median wall time and events/s. */
@Command(name = "churn", mixinStandardHelpOptions = true,
        description = "Runs the churn pipeline on --logs into a scratch store (DirectRunner unless --runner is given) "
                + "and reports the median time, events and events/s with the machine.")
public final class ChurnBenchCommand implements Callable<Integer> {
    @Option(names = "--logs", required = true, paramLabel = "DIR")
    Path logs;

    @Option(names = "--runs", defaultValue = "1", description = "timed runs (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--work", paramLabel = "DIR", description = "scratch folder (default: a temporary folder, deleted)")
    Path work;

    @Unmatched
    List<String> beam = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ChurnPipelineCommand.checkLogs(logs);
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        Path dir = work != null ? work : Files.createTempDirectory("segue-bench-churn");
        double[] seconds = new double[runs];
        ChurnRunReport last = null;
        try {
            for (int i = 0; i < runs; i++) {
                Path run = dir.resolve("run-" + i);
                List<String> own = List.of("--logs=" + logs.toAbsolutePath(), "--store=" + run.resolve("store"),
                        "--reportDir=" + run.resolve("report"));
                PipelineOptionsFactory.register(ChurnOptions.class);
                ChurnOptions o = PipelineOptionsFactory.fromArgs(BeamArgs.of(own, beam)).withValidation()
                        .as(ChurnOptions.class);
                last = ChurnPipeline.run(o);
                seconds[i] = last.seconds();
                System.out.printf(Locale.ROOT, "run %d: %.1f s%n", i + 1, seconds[i]);
            }
        } finally {
            if (work == null) {
                delete(dir);
            }
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        System.out.printf(Locale.ROOT, "churn pipeline: %,d events (%,d lines, %,d dead letters), median %.1f s over %d "
                        + "run(s), %,.0f events/s; machine: %d cores, max heap %d MiB, Java %s%n",
                last.events(), last.counters().getOrDefault("lines.read", 0L), last.deadLetters(), median, runs,
                last.events() / median, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        return 0;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
