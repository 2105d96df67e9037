package dev.segue.tools.als;

import dev.segue.als.RowSolver;
import dev.segue.als.WrmfParams;
import dev.segue.als.beam.AlsConfig;
import dev.segue.als.beam.FactorExchange;
import dev.segue.als.beam.InMemoryAls;
import dev.segue.bench.spark.AlsExchange;
import dev.segue.bench.spark.JvmMeter;
import dev.segue.cli.ProgressMeter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code segue bench als}: Segue's implicit ALS against Spark MLlib's on the same interactions, rank, α, λ,
 * iterations and threads, in the same run: setup, median time per iteration, whole fit, peak heap and held-out
 * quality ({@link HeldOut}, the same code for both) with the ratios and the machine.
 */
@Command(name = "als", mixinStandardHelpOptions = true,
        description = {"Fits implicit ALS on the playlist x track matrix of --mpd with Segue's solver (the pipeline's "
                + "row solves, in memory) and with Spark MLlib's ALS (local[threads], a child JVM) on the same data and "
                + "parameters, and prints setup time, median time per iteration, whole fit, peak heap and the held-out "
                + "recall@k / NDCG@k of both, with the ratios and the machine.",
            "Spark scales lambda by each row's number of entries (ALS-WR); Segue adds it as is. Both get the same "
                + "--regularization value."})
public final class AlsBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--mpd", required = true, paramLabel = "DIR",
            description = "MPD slice folder (e.g. world/mpd of `segue generate --preset medium`)")
    Path mpd;

    @Option(names = "--factors", defaultValue = "64", description = "rank d (default ${DEFAULT-VALUE})")
    int factors;

    @Option(names = "--iterations", defaultValue = "15", description = "ALS iterations (default ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--alpha", defaultValue = "20", description = "confidence scale: c = 1 + alpha*r (default ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--regularization", defaultValue = "1", description = "lambda (default ${DEFAULT-VALUE})")
    double regularization;

    @Option(names = "--cg-steps", defaultValue = "3", description = "Segue's CG steps per row solve (default ${DEFAULT-VALUE})")
    int cgSteps;

    @Option(names = "--threads", description = "threads of both sides (default: the machine's cores)")
    Integer threads;

    @Option(names = "--block-rows", defaultValue = "10000", description = "Segue's rows per block (default ${DEFAULT-VALUE})")
    int blockRows;

    @Option(names = "--peers", defaultValue = "spark", paramLabel = "none|spark",
            description = "the ALS to compare with (default ${DEFAULT-VALUE})")
    String peers;

    @Option(names = "--runs", defaultValue = "1", description = "timed runs of each side; medians over runs (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--holdout-playlists", defaultValue = "1000",
            description = "test playlists that hide tracks from training (default ${DEFAULT-VALUE})")
    int holdoutPlaylists;

    @Option(names = "--holdout-fraction", defaultValue = "0.2",
            description = "share of a test playlist's tracks hidden (default ${DEFAULT-VALUE})")
    double holdoutFraction;

    @Option(names = "--k", defaultValue = "100", description = "cut-off of recall@k and NDCG@k (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the split and of both fits (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--peer-heap", paramLabel = "MB", description = "the Spark JVM's -Xmx in MB (default: this JVM's)")
    Integer peerHeapMb;

    @Option(names = "--quiet", description = "no progress lines")
    boolean quiet;

    /** One side's figures (medians over runs). */
    record Side(String name, double setup, double iteration, double fit, double fitCpu, long peakHeap,
            HeldOut.Quality quality) {}

    @Override
    public Integer call() throws Exception {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        validate(t);
        boolean spark = peers.equals("spark");
        SparkPeer.Located peer = spark ? SparkPeer.locate() : null;

        long l0 = System.nanoTime();
        PlaylistMatrix all = PlaylistMatrix.readMpd(mpd);
        HeldOut.Split split = HeldOut.split(all, holdoutPlaylists, holdoutFraction, seed);
        PlaylistMatrix m = split.train();
        double load = (System.nanoTime() - l0) / 1e9;
        int hiddenTotal = Arrays.stream(split.hidden()).mapToInt(a -> a.length).sum();
        System.out.printf(Locale.ROOT, "interactions: %,d playlists x %,d tracks, %,d entries from %s (read in %.1f s); "
                        + "%,d test playlists hide %,d of them%n", m.rows(), m.columns(), all.nnz(), mpd, load,
                split.testRows().length, hiddenTotal);
        System.out.printf(Locale.ROOT, "parameters: d=%d, %d iterations, alpha %s, lambda %s, %d threads, %d run(s); "
                        + "quality: recall@%d and NDCG@%d of the hidden tracks, each model's own playlist vectors%n",
                factors, iterations, num(alpha), num(regularization), t, runs, k, k);

        List<Side> sides = new ArrayList<>();
        sides.add(segue(m, split, t));
        if (spark) {
            if (peer.peer() == null) {
                System.out.println("spark: skipped: " + peer.whyNot());
            } else {
                sides.add(spark(peer.peer(), m, split, t));
            }
        }
        HeldOut.Quality pop = HeldOut.popularity(split, k, t);

        System.out.println();
        System.out.printf(Locale.ROOT, "%-26s %9s %17s %9s %11s %13s %10s %9s%n", "", "setup s", "iteration s (med)",
                "fit s", "fit CPU s", "peak heap MB", "recall@" + k, "NDCG@" + k);
        for (Side s : sides) {
            System.out.printf(Locale.ROOT, "%-26s %9.2f %17s %9.2f %11.2f %13d %10.4f %9.4f%n", s.name(), s.setup(),
                    Double.isNaN(s.iteration()) ? "n/a" : String.format(Locale.ROOT, "%.3f", s.iteration()), s.fit(),
                    s.fitCpu(), s.peakHeap() >> 20, s.quality().recall(), s.quality().ndcg());
        }
        System.out.printf(Locale.ROOT, "%-26s %9s %17s %9s %11s %13s %10.4f %9.4f%n", "popularity (floor)", "", "", "", "",
                "", pop.recall(), pop.ndcg());
        if (sides.size() == 2) {
            Side a = sides.get(0);
            Side b = sides.get(1);
            System.out.printf(Locale.ROOT, "segue vs spark: per iteration %.2fx, whole fit %.2fx, fit CPU %.2fx, setup "
                            + "%.2fx (times: spark / segue); recall %.3fx, NDCG %.3fx (segue / spark); peak heap %.2fx%n",
                    b.iteration() / a.iteration(), b.fit() / a.fit(), b.fitCpu() / a.fitCpu(), b.setup() / a.setup(),
                    a.quality().recall() / b.quality().recall(), a.quality().ndcg() / b.quality().ndcg(),
                    (double) a.peakHeap() / b.peakHeap());
            System.out.println("spark's iteration time spans its Gram jobs of iterations 2.." + iterations
                    + "; its whole fit includes the first and the final materialisation");
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "machine: %d cores, %s, Java %s, max heap %d MB, row kernels %s, load average %s%n",
                rt.availableProcessors(), System.getProperty("os.arch"), System.getProperty("java.version"),
                rt.maxMemory() >> 20, new RowSolver(factors).kernelName(), loadAverage());
        return 0;
    }

    private void validate(int t) {
        if (!peers.equals("none") && !peers.equals("spark")) {
            throw new ParameterException(spec.commandLine(), "--peers must be none or spark, got '" + peers + "'");
        }
        if (t < 1 || runs < 1 || holdoutPlaylists < 0 || k < 1 || blockRows < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--threads, --runs, --k and --block-rows must be at least 1 and --holdout-playlists at least 0");
        }
        if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
            throw new ParameterException(spec.commandLine(), "--holdout-fraction must be between 0 and 1, got " + holdoutFraction);
        }
        if (peerHeapMb != null && peerHeapMb < 256) {
            throw new ParameterException(spec.commandLine(), "--peer-heap must be at least 256 (MB), got " + peerHeapMb);
        }
        // The row equation's own checks (alpha, lambda, CG steps) with their messages.
        new WrmfParams(alpha, regularization, cgSteps, false, 1.0);
        new AlsConfig(new WrmfParams(alpha, regularization, cgSteps, false, 1.0), factors, iterations, seed, 0.01,
                FactorExchange.AUTO, AlsConfig.DEFAULT_BROADCAST_LIMIT);
    }

    private Side segue(PlaylistMatrix m, HeldOut.Split split, int t) {
        WrmfParams wrmf = new WrmfParams(alpha, regularization, cgSteps, false, 1.0);
        AlsConfig config = new AlsConfig(wrmf, factors, iterations, seed, 0.01, FactorExchange.AUTO,
                AlsConfig.DEFAULT_BROADCAST_LIMIT);
        double[] setups = new double[runs];
        double[] its = new double[runs];
        double[] fits = new double[runs];
        double[] cpus = new double[runs];
        long peak = 0;
        InMemoryAls.Result last = null;
        for (int r = 0; r < runs; r++) {
            JvmMeter.resetPeaks();
            try (ProgressMeter meter = ProgressMeter.start("segue als" + (runs > 1 ? " run " + (r + 1) : ""), iterations,
                    "iterations", !quiet)) {
                long s0 = System.nanoTime();
                float[] conf = new float[m.counts().length];
                for (int e = 0; e < conf.length; e++) {
                    conf[e] = (float) wrmf.confidence(m.counts()[e]);
                }
                long c0 = JvmMeter.processCpuNanos();
                long f0 = System.nanoTime();
                last = InMemoryAls.fit(m.rows(), m.columns(), m.rowStart(), m.cols(), conf, config, t, blockRows,
                        it -> meter.step(1));
                fits[r] = (System.nanoTime() - f0) / 1e9;
                cpus[r] = (JvmMeter.processCpuNanos() - c0) / 1e9;
                setups[r] = (f0 - s0) / 1e9;
                its[r] = median(last.iterationSeconds());
            }
            peak = Math.max(peak, JvmMeter.peakHeap());
        }
        HeldOut.Quality q = HeldOut.score(split, last.userFactors(), last.itemFactors(), factors, k, t);
        return new Side("segue (in-memory solver)", median(setups), median(its), median(fits), median(cpus), peak, q);
    }

    private Side spark(SparkPeer peer, PlaylistMatrix m, HeldOut.Split split, int t) throws IOException, InterruptedException {
        int[] rows = new int[m.cols().length];
        for (int r = 0; r < m.rows(); r++) {
            Arrays.fill(rows, m.rowStart()[r], m.rowStart()[r + 1], r);
        }
        AlsExchange.Input in = new AlsExchange.Input(m.rows(), m.columns(), rows, m.cols(), m.counts(), factors,
                iterations, alpha, regularization, t, seed);
        long heap = peerHeapMb != null ? (long) peerHeapMb << 20 : Runtime.getRuntime().maxMemory();
        Path work = Files.createTempDirectory("segue-bench-als");
        double[] setups = new double[runs];
        double[] its = new double[runs];
        double[] fits = new double[runs];
        double[] cpus = new double[runs];
        long peak = 0;
        AlsExchange.Output last = null;
        try {
            for (int r = 0; r < runs; r++) {
                System.err.printf(Locale.ROOT, "spark mllib als%s: running in a child JVM (log: %s)%n",
                        runs > 1 ? " run " + (r + 1) : "", work.resolve("spark.log"));
                last = peer.run(in, work, heap);
                setups[r] = last.setupSeconds();
                fits[r] = last.fitSeconds();
                cpus[r] = last.fitCpuSeconds();
                its[r] = last.iterationSeconds().length == 0 ? Double.NaN : median(last.iterationSeconds());
                peak = Math.max(peak, last.peakHeapBytes());
            }
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // a temporary folder; the OS cleans it otherwise
            }
        }
        HeldOut.Quality q = HeldOut.score(split, last.userFactors(), last.itemFactors(), last.rank(), k, t);
        return new Side("spark mllib (local[" + t + "])", median(setups), median(its), median(fits), median(cpus), peak, q);
    }

    /** The median of {@code v} (NaN when empty); also the pipeline benchmark's. */
    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }


    /** The 1, 5 and 15 minute load averages; also the pipeline benchmark's. */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
