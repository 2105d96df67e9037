package dev.segue.eval.cli;

import dev.segue.baselines.BaselineInputs;
import dev.segue.baselines.Baselines;
import dev.segue.baselines.Recommender;
import dev.segue.baselines.SubmissionRecommender;
import dev.segue.client.BatchOptions;
import dev.segue.client.SegueClient;
import dev.segue.eval.BadInputException;
import dev.segue.eval.EvaluationSet;
import dev.segue.eval.Evaluator;
import dev.segue.eval.MethodResult;
import dev.segue.eval.RecommendationSource;
import dev.segue.eval.RecommenderSource;
import dev.segue.eval.ServerSource;
import dev.segue.metrics.ArtistLookup;
import dev.segue.metrics.MetricLayout;
import dev.segue.metrics.PlaylistScorer;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code segue bench evaluate}: the evaluator's own throughput. Measures (1) metric scoring alone on lists held
 * in memory and (2) the whole evaluation of one method (asking it, scoring, no files), as medians of repeats.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measure evaluator throughput (playlists/s): metric scoring alone, and end to end for a "
                + "submission, a baseline or a server. Prints medians and the machine.")
public final class BenchEvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--challenge", required = true, paramLabel = "FILE")
    Path challenge;

    @Option(names = "--truth", required = true, paramLabel = "FILE")
    Path truth;

    @Option(names = "--submission", paramLabel = "CSV", description = "measure on this submission")
    Path submission;

    @Option(names = "--baseline", paramLabel = "NAME", description = "measure on this baseline (needs --mpd)")
    String baseline;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "measure end to end against a server")
    String server;

    @Option(names = "--mpd", paramLabel = "DIR")
    Path mpd;

    @Option(names = "--store", paramLabel = "DIR")
    Path store;

    @Option(names = "--k", defaultValue = "500")
    int k;

    @Option(names = "--concurrency", defaultValue = "2", description = "streams or threads (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--window", defaultValue = "32")
    int window;

    @Option(names = "--repeat", defaultValue = "5", description = "measured repetitions (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--warmup", defaultValue = "1", description = "unmeasured repetitions first")
    int warmup;

    @Option(names = "--verbose")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return CliErrors.run("bench evaluate", spec.commandLine().getErr(), verbose, () -> {
            int chosen = (submission != null ? 1 : 0) + (baseline != null ? 1 : 0) + (server != null ? 1 : 0);
            if (chosen != 1) {
                throw new BadInputException("give exactly one of --submission, --baseline, --server");
            }
            if (repeat < 1 || warmup < 0) {
                throw new BadInputException("--repeat must be >= 1 and --warmup >= 0");
            }
            EvaluationSet set = EvaluationSet.load(challenge, truth);
            BaselineInputs inputs = new BaselineInputs(mpd, store, null, pid -> set.indexOf(pid) >= 0, null);
            RecommendationSource source;
            if (server != null) {
                SegueClient client = SegueClient.forTarget(server).deadline(Duration.ofSeconds(10)).build();
                ServerSource s = new ServerSource("server", client, new BatchOptions(concurrency, window), true);
                s.checkReachable();
                source = s;
            } else {
                Recommender r = submission != null
                        ? new SubmissionRecommender("submission", "submission " + submission, submission,
                        pid -> set.indexOf(pid) >= 0)
                        : Baselines.create(baseline, inputs);
                source = new RecommenderSource(r, RecommendationSource.Kind.BASELINE, concurrency, Map.of());
            }
            ArtistLookup artists = mpd != null ? inputs.training("artists") : null;
            out.printf(Locale.ROOT, "machine: %d cores, %s %s, max heap %d MB%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
            out.printf(Locale.ROOT, "set: %d playlists, k = %d, method: %s%n", set.size(), k, source.description());
            try (source) {
                // (1) scoring alone: collect the lists once, then score them repeatedly on one thread
                List<List<String>> lists = collect(set, source);
                MetricLayout layout = MetricLayout.forListLength(k);
                double[] row = new double[layout.size()];
                PlaylistScorer scorer = new PlaylistScorer();
                double[] scoring = new double[repeat];
                for (int rep = -warmup; rep < repeat; rep++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < set.size(); i++) {
                        if (lists.get(i) != null) {
                            scorer.load(set.truth(i), lists.get(i), null, artists == null ? set : artists, k)
                                    .scoreInto(layout, row);
                        }
                    }
                    if (rep >= 0) {
                        scoring[rep] = set.size() / ((System.nanoTime() - t0) / 1e9);
                    }
                }
                report(out, "metric scoring only (1 thread)", scoring);
                // (2) end to end: ask the method and score, as segue evaluate does (no files, no progress bar)
                Evaluator evaluator = new Evaluator(new Evaluator.Options(k, 0, Duration.ZERO, null));
                double[] e2e = new double[repeat];
                double[] cpu = new double[repeat];
                for (int rep = -warmup; rep < repeat; rep++) {
                    long c0 = processCpuNanos();
                    MethodResult r = evaluator.evaluate(set, source, artists, null);
                    long c1 = processCpuNanos();
                    if (rep >= 0) {
                        e2e[rep] = r.playlistsPerSecond();
                        cpu[rep] = c0 < 0 || c1 < 0 ? Double.NaN : (c1 - c0) / 1e6 / set.size();
                    }
                    if (!r.complete()) {
                        out.println("note: " + r.failures().size() + " playlists failed in this run");
                    }
                }
                report(out, "end to end (" + source.name() + ", concurrency " + concurrency + ")", e2e);
                double cpuMs = median(cpu);
                if (!Double.isNaN(cpuMs)) {
                    // CPU time does not count the time a loaded machine's other processes take: a figure for a
                    // quiet one (its wall time on n idle cores is at best cpu/n, as this process's threads run)
                    out.printf(Locale.ROOT, "%-45s median %.2f ms  (runs: %s) -> at most %,.0f playlists/s on %d "
                                    + "idle cores%n", "CPU per playlist (this process" + (server != null
                                    ? " only, not the server)" : ", all threads)"), cpuMs, join(cpu, "%.2f"),
                            Math.min(concurrency, Runtime.getRuntime().availableProcessors()) * 1000 / cpuMs,
                            Math.min(concurrency, Runtime.getRuntime().availableProcessors()));
                }
            }
            out.flush();
            return 0;
        });
    }

    private List<List<String>> collect(EvaluationSet set, RecommendationSource source) throws Exception {
        List<List<String>> lists = new ArrayList<>(java.util.Collections.nCopies(set.size(), null));
        source.recommend(set.playlists(), k, new dev.segue.eval.ResultSink() {
            @Override
            public void accept(int index, List<String> tracks, List<String> artistUris) {
                synchronized (lists) {
                    lists.set(index, tracks);
                }
            }

            @Override
            public void fail(int index, String reason, boolean retryable) {}
        });
        return lists;
    }

    private static void report(PrintWriter out, String what, double[] rates) {
        out.printf(Locale.ROOT, "%-45s median %,.0f playlists/s  (runs: %s)%n", what, median(rates),
                join(rates, "%.0f"));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String join(double[] values, String format) {
        StringBuilder runs = new StringBuilder();
        for (double r : values) {
            runs.append(runs.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, format, r));
        }
        return runs.toString();
    }

    /** This process's CPU time (all threads, the JIT and GC included), or -1 when the JVM does not say. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
