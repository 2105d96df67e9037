package dev.segue.generator.cli;

import dev.segue.generator.Preset;
import dev.segue.generator.WorldGenerator;
import dev.segue.generator.WorldSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code segue bench generate}: times {@code segue generate} end to end (all files written and fsynced)
 * and reports the median, the peak heap in use, and the machine. Each run's output is deleted afterwards.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Time 'segue generate' for a preset and report the median wall time, CPU time, peak heap,",
            "the machine and its load average (other processes on the machine slow the wall time down).",
            "Targets: medium (100,000 playlists) <= 60 s; mpd (1,000,000) <= 15 min with -Xmx4g."})
public final class GenerateBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "medium", description = "tiny, small, medium or mpd. Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--playlists", paramLabel = "N", description = "Number of playlists (overrides the preset's).")
    Integer playlists;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "3", description = "Timed runs. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--dir", paramLabel = "DIR", description = "Scratch folder for the outputs (default: a new temporary folder).")
    Path dir;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "World seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: min(2, cores)).")
    Integer threads;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (runs < 1 || runs > 50) {
            throw new ParameterException(spec.commandLine(), "--runs must be between 1 and 50, got " + runs);
        }
        int n = playlists != null ? playlists : presetPlaylists();
        if (n < WorldSpec.MIN_PLAYLISTS || n > WorldSpec.MAX_PLAYLISTS) {
            throw new ParameterException(spec.commandLine(), "--playlists must be between " + WorldSpec.MIN_PLAYLISTS
                    + " and " + WorldSpec.MAX_PLAYLISTS + ", got " + n);
        }
        int t = threads == null ? Math.min(2, Runtime.getRuntime().availableProcessors()) : threads;
        if (t < 1 || t > 64) {
            throw new ParameterException(spec.commandLine(), "--threads must be between 1 and 64, got " + t);
        }
        Path scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("segue-bench-generate");
        PrintWriter out = spec.commandLine().getOut();
        WorldSpec world = WorldSpec.of(seed, n);
        out.printf(Locale.ROOT, "bench generate: %,d playlists + %,d challenge, %,d users; %d threads; %d runs%n",
                world.playlists(), world.challengePlaylists(), world.users(), t, runs);
        out.printf(Locale.ROOT, "machine: %d cores, max heap %,d MB, Java %s, %s %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"));
        out.flush();
        double[] seconds = new double[runs];
        long peak = 0;
        for (int i = 0; i < runs; i++) {
            Path target = scratch.resolve("run-" + i);
            HeapSampler sampler = new HeapSampler();
            sampler.start();
            long cpuStart = processCpuNanos();
            double loadStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            long start = System.nanoTime();
            try {
                WorldGenerator.generate(new WorldGenerator.Options(target, world, t, true, false));
            } finally {
                sampler.interrupt();
                sampler.join();
            }
            seconds[i] = (System.nanoTime() - start) / 1e9;
            double cpu = (processCpuNanos() - cpuStart) / 1e9;
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            long bytes = size(target);
            delete(target);
            peak = Math.max(peak, sampler.peak);
            out.printf(Locale.ROOT, "run %d: %.1f s (%,.0f playlists/s), process CPU %.1f s, %,d MB written,"
                            + " peak heap used %,d MB, load average %.1f -> %.1f%n",
                    i + 1, seconds[i], (n + world.challengePlaylists()) / seconds[i], cpu, bytes >> 20,
                    sampler.peak >> 20, loadStart, load);
            out.flush();
        }
        if (dir == null) {
            Files.deleteIfExists(scratch);
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        out.printf(Locale.ROOT, "median %.1f s (min %.1f, max %.1f) over %d runs; peak heap used %,d MB%n",
                median, sorted[0], sorted[runs - 1], runs, peak >> 20);
        return 0;
    }

    /** CPU time of this JVM (all threads), or -1 when the platform does not report it. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private int presetPlaylists() {
        for (Preset p : Preset.values()) {
            if (p.label().equals(preset.toLowerCase(Locale.ROOT))) {
                return p.playlists();
            }
        }
        throw new ParameterException(spec.commandLine(), "unknown --preset '" + preset + "' (choose tiny, small, medium or mpd)");
    }

    private static long size(Path root) throws IOException {
        long[] total = new long[1];
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private static void delete(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Polls heap usage (sum of heap pools) while a run is going. */
    private static final class HeapSampler extends Thread {
        volatile long peak;

        HeapSampler() {
            setDaemon(true);
            setName("heap-sampler");
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                long used = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        used += pool.getUsage().getUsed();
                    }
                }
                peak = Math.max(peak, used);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
