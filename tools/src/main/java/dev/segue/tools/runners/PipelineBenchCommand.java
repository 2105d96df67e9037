package dev.segue.tools.runners;

import dev.segue.pipelines.flink.FlinkCluster;
import dev.segue.tools.als.AlsBenchCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code segue bench pipeline}: the continuation pipeline on the same MPD folder on the DirectRunner, on a local
 * standalone Flink cluster (1 JobManager + N TaskManagers, {@link FlinkCluster}, the processes FlinkClusterIT
 * starts) and on Spark {@code local[2]}, each run a fresh {@code segue pipeline continuation} JVM into a fresh
 * store, runners alternating between runs. Prints each run's wall time, peak RSS and CPU of every process, where
 * the time went (the pipeline's progress lines, Flink's REST API, Spark's event log) and the medians with the ratio
 * to the DirectRunner.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Runs `segue pipeline continuation` on --mpd on each runner (direct: the DirectRunner; "
                + "flink-cluster: a standalone Flink cluster of separate JobManager and TaskManager processes started "
                + "here, the bundled jar submitted to it; spark-local: Spark local[2]) and prints wall time, peak RSS "
                + "and CPU of every process, where the time went, and medians with the ratio to the DirectRunner.",
            "Other options (e.g. --iterations 5) are passed to every run's `segue pipeline continuation`."})
public final class PipelineBenchCommand implements Callable<Integer> {
    static final List<String> RUNNERS = List.of("direct", "flink-cluster", "spark-local");
    private static final Pattern TOTAL = Pattern.compile("total ([0-9.]+) s$");

    @Spec
    CommandSpec spec;

    @Option(names = "--mpd", required = true, paramLabel = "DIR", description = "MPD slice folder (the same for every runner)")
    Path mpd;

    @Option(names = "--runners", defaultValue = "direct,flink-cluster,spark-local", split = ",",
            paramLabel = "R,…", description = "any of direct, flink-cluster, spark-local (default ${DEFAULT-VALUE})")
    List<String> runners;

    @Option(names = "--runs", defaultValue = "1",
            description = "runs of each runner, alternating (the order reverses every run); medians over runs (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "stores, logs and the Flink cluster's folders (default: a new folder under the temporary directory)")
    Path workdir;

    @Option(names = "--heap", defaultValue = "6g",
            description = "-Xmx of each run's `segue pipeline continuation` JVM (DirectRunner, Spark local[2], Flink client) (default ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--taskmanagers", defaultValue = "2", description = "Flink TaskManager processes (default ${DEFAULT-VALUE})")
    int taskManagers;

    @Option(names = "--slots", defaultValue = "1", description = "slots per TaskManager; parallelism = taskmanagers x slots (default ${DEFAULT-VALUE})")
    int slots;

    @Option(names = "--tm-memory", defaultValue = "3g",
            description = "Flink's taskmanager.memory.process.size of each TaskManager (default ${DEFAULT-VALUE})")
    String tmMemory;

    @Option(names = "--bundled-jar", paramLabel = "JAR",
            description = "the jar shipped to Flink (default: pipelines/target/segue-pipelines-*-bundled.jar; build: "
                    + "mvn -B -pl pipelines -am package -Pbundle -DskipTests)")
    Path bundledJar;

    @Option(names = "--spark-classpath", paramLabel = "FILE",
            description = "file holding Spark's class path (default: pipelines-spark/target/spark.classpath)")
    Path sparkClasspath;

    @Option(names = "--timeout-minutes", defaultValue = "120", description = "stop a run after this long (default ${DEFAULT-VALUE})")
    int timeoutMinutes;

    @Option(names = "--keep-stores", description = "keep each run's store (default: deleted after the run)")
    boolean keepStores;

    @Unmatched
    List<String> pipelineArgs = new ArrayList<>();

    /** One run's figures. */
    record Result(String runner, int run, int exitCode, double wall, double pipelineTotal, double clusterStart,
            Map<String, ProcessWatch.Usage> usage, Map<String, Double> phases, List<String> engine, String loadBefore,
            String loadAfter) {
        long peakRssSum() {
            return usage.values().stream().mapToLong(ProcessWatch.Usage::peakRss).sum();
        }

        double cpu() {
            return usage.values().stream().mapToDouble(ProcessWatch.Usage::cpuSeconds).sum();
        }
    }

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("segue.home", "."));
        validate(home);
        if (workdir == null) {
            workdir = Files.createTempDirectory("segue-bench-pipeline-");
        }
        Files.createDirectories(workdir);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "bench pipeline: continuation on %s, runners %s, %d run(s), heap %s; Flink: %d TaskManager(s) x %d "
                        + "slot(s), %s each; Spark local[2]; extra options %s; workdir %s%n", mpd, String.join(",", runners),
                runs, heap, taskManagers, slots, tmMemory, pipelineArgs, workdir);
        out.flush();
        List<Result> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            List<String> order = new ArrayList<>(runners);
            if (run % 2 == 0) {
                Collections.reverse(order);
            }
            for (String runner : order) {
                Result r = runOnce(runner, run, home, out);
                results.add(r);
                print(out, r);
            }
        }
        summary(out, results);
        return results.stream().allMatch(r -> r.exitCode() == 0) ? 0 : 1;
    }

    private void validate(Path home) throws IOException {
        for (String r : runners) {
            if (!RUNNERS.contains(r)) {
                throw new ParameterException(spec.commandLine(), "--runners: unknown runner '" + r + "' (choose from "
                        + String.join(", ", RUNNERS) + ")");
            }
        }
        if (runs < 1 || taskManagers < 1 || slots < 1 || timeoutMinutes < 1) {
            throw new ParameterException(spec.commandLine(), "--runs, --taskmanagers, --slots and --timeout-minutes must be at least 1");
        }
        if (!Files.isDirectory(mpd)) {
            throw new IllegalArgumentException("--mpd " + mpd + ": no such folder");
        }
        if (runners.contains("flink-cluster")) {
            if (bundledJar == null) {
                bundledJar = findBundledJar(home.resolve("pipelines").resolve("target"));
            }
            if (bundledJar == null || !Files.isRegularFile(bundledJar)) {
                throw new IllegalArgumentException("flink-cluster needs the bundled pipelines jar"
                        + (bundledJar == null ? " (none in " + home.resolve("pipelines/target") + ")" : " (no " + bundledJar + ")")
                        + "; build it with: mvn -B -pl pipelines -am package -Pbundle -DskipTests, or give --bundled-jar");
            }
        }
        if (runners.contains("spark-local")) {
            if (sparkClasspath == null) {
                sparkClasspath = home.resolve("pipelines-spark").resolve("target").resolve("spark.classpath");
            }
            if (!Files.isRegularFile(sparkClasspath)) {
                throw new IllegalArgumentException("spark-local needs Spark's class path (no " + sparkClasspath
                        + "; build it with: mvn -B -pl pipelines-spark -am install -DskipTests, or give --spark-classpath)");
            }
        }
    }

    static Path findBundledJar(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().endsWith("-bundled.jar")).sorted().findFirst().orElse(null);
        }
    }

    private Result runOnce(String runner, int run, Path home, PrintWriter out) throws Exception {
        Path dir = workdir.resolve(runner + "-" + run);
        deleteTree(dir);
        Files.createDirectories(dir);
        Path store = dir.resolve("store");
        String loadBefore = loadAverage();
        out.printf(Locale.ROOT, "== run %d: %s (load average %s) ==%n", run, runner, loadBefore);
        out.flush();
        List<String> jvm = new ArrayList<>(childJvmFlags());
        String classpath = System.getProperty("java.class.path");
        List<String> beam = new ArrayList<>(List.of("--tempLocation=" + dir.resolve("tmp")));
        Files.createDirectories(dir.resolve("tmp"));
        FlinkCluster cluster = null;
        double clusterStart = Double.NaN;
        Path sparkEvents = dir.resolve("spark-events");
        switch (runner) {
            case "flink-cluster" -> {
                long t0 = System.nanoTime();
                List<String> tmFlags = jvm.stream().filter(f -> f.startsWith("--add-modules")).toList();
                cluster = new FlinkCluster(dir.resolve("flink"), taskManagers, slots, tmMemory, tmFlags);
                clusterStart = (System.nanoTime() - t0) / 1e9;
                out.printf(Locale.ROOT, "flink cluster up in %.1f s at %s (logs: %s)%n", clusterStart, cluster.master(),
                        dir.resolve("flink"));
                out.flush();
                beam.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=" + cluster.master(),
                        "--parallelism=" + taskManagers * slots, "--streaming=true", "--filesToStage=" + bundledJar));
            }
            case "spark-local" -> {
                Files.createDirectories(sparkEvents);
                classpath += java.io.File.pathSeparator + Files.readString(sparkClasspath, StandardCharsets.UTF_8).trim();
                // SparkConf reads spark.* system properties: the event log says where Spark's time went
                jvm.addAll(List.of("-Dspark.eventLog.enabled=true", "-Dspark.eventLog.dir=" + sparkEvents.toUri(),
                        "-Dspark.ui.enabled=false"));
                beam.addAll(List.of("--runner=SparkRunner", "--sparkMaster=local[2]"));
            }
            default -> { }
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", classpath, "dev.segue.tools.SegueCli", "pipeline", "continuation", "--mpd",
                mpd.toString(), "--store", store.toString()));
        cmd.addAll(pipelineArgs);
        cmd.addAll(beam);
        RunTimeline timeline = new RunTimeline();
        Path log = dir.resolve("run.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        Process p = pb.start();
        FlinkCluster c = cluster;
        Map<String, ProcessHandle> named = new LinkedHashMap<>();
        named.put("client", p.toHandle());
        List<String> order = new ArrayList<>(List.of("client"));
        if (c != null) {
            named.putAll(c.processes());
            order.addAll(c.processes().keySet());
        }
        double pipelineTotal = Double.NaN;
        int exit;
        List<String> tail = new ArrayList<>();
        try (ProcessWatch watch = new ProcessWatch(() -> named, 500);
                LogTail tms = c == null ? null : new LogTail(order.stream().filter(n -> n.startsWith("taskmanager"))
                        .map(c::logFile).toList(), start, timeline)) {
            Thread reader = new Thread(() -> copy(p, log, start, timeline, tail, out, runner), "run-output");
            reader.start();
            if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                tail.add("stopped after --timeout-minutes " + timeoutMinutes);
            }
            p.waitFor();
            exit = p.exitValue();
            double wall = (System.nanoTime() - start) / 1e9;
            reader.join(10_000);
            if (tms != null) {
                tms.poll();
            }
            watch.poll();
            synchronized (tail) {
                for (String line : tail) {
                    Matcher m = TOTAL.matcher(line);
                    if (m.find()) {
                        pipelineTotal = Double.parseDouble(m.group(1));
                    }
                }
            }
            List<String> engine = new ArrayList<>();
            if (c != null) {
                engine.addAll(flinkReport(c, startMillis));
            } else if (runner.equals("spark-local")) {
                engine.addAll(sparkReport(sparkEvents));
            }
            Map<String, Double> phases = timeline.phases(wall);
            if (exit != 0) {
                synchronized (tail) {
                    engine.add("FAILED (exit " + exit + "); last lines of " + log + ":");
                    tail.subList(Math.max(0, tail.size() - 6), tail.size()).forEach(l -> engine.add("  " + l));
                }
            }
            return new Result(runner, run, exit, wall, pipelineTotal, clusterStart, watch.usage(order), phases, engine,
                    loadBefore, loadAverage());
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
            if (c != null) {
                c.close();
            }
            if (!keepStores) {
                deleteTree(store);
            }
            deleteTree(dir.resolve("tmp"));
        }
    }

    /** The run's console to {@code run.log}, each line stamped; progress lines to the timeline and to {@code out}. */
    private static void copy(Process p, Path log, long start, RunTimeline timeline, List<String> tail, PrintWriter out,
            String runner) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                double t = (System.nanoTime() - start) / 1e9;
                w.printf(Locale.ROOT, "[%8.1f] %s%n", t, line);
                w.flush();
                if (timeline.offer(t, line)) {
                    synchronized (out) {
                        out.printf(Locale.ROOT, "  %s %7.1f s  %s%n", runner, t, line.replaceFirst("^\\[\\s*[0-9.]+s\\] ", ""));
                        out.flush();
                    }
                }
                synchronized (tail) {
                    tail.add(line);
                    if (tail.size() > 200) {
                        tail.remove(0);
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; what was read is in the log
        }
    }

    /** New lines of the TaskManagers' logs (their progress lines) into the timeline, every half second. */
    static final class LogTail implements AutoCloseable {
        private final List<Path> files;
        private final long start;
        private final RunTimeline timeline;
        private final Map<Path, Long> positions = new HashMap<>();
        private final Thread thread;
        private volatile boolean stop;

        LogTail(List<Path> files, long start, RunTimeline timeline) {
            this.files = files;
            this.start = start;
            this.timeline = timeline;
            thread = new Thread(() -> {
                while (!stop) {
                    poll();
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "taskmanager-logs");
            thread.setDaemon(true);
            thread.start();
        }

        synchronized void poll() {
            double t = (System.nanoTime() - start) / 1e9;
            for (Path f : files) {
                long pos = positions.getOrDefault(f, 0L);
                try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
                    if (raf.length() <= pos) {
                        continue;
                    }
                    raf.seek(pos);
                    byte[] b = new byte[(int) Math.min(raf.length() - pos, 16 << 20)];
                    raf.readFully(b);
                    String s = new String(b, StandardCharsets.UTF_8);
                    int end = s.lastIndexOf('\n');
                    if (end < 0) {
                        continue;
                    }
                    for (String line : s.substring(0, end).split("\n")) {
                        timeline.offer(t, line);
                    }
                    positions.put(f, pos + s.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length);
                } catch (IOException e) {
                    // not there yet
                }
            }
        }

        @Override
        public void close() {
            stop = true;
            thread.interrupt();
        }
    }

    private static List<String> flinkReport(FlinkCluster c, long clientStart) {
        try {
            List<String> ids = EngineReport.flinkJobIds(c.jobsOverview());
            if (ids.isEmpty()) {
                return List.of("flink: the cluster ran no job");
            }
            List<String> lines = new ArrayList<>();
            for (String id : ids) {
                lines.addAll(EngineReport.flinkJob(c.rest("/jobs/" + id), clientStart, 8).lines());
            }
            return lines;
        } catch (IOException | RuntimeException e) {
            return List.of("flink: no job details from the REST API (" + e.getMessage() + ")");
        }
    }

    private static List<String> sparkReport(Path events) {
        try (Stream<Path> s = Files.list(events)) {
            List<Path> logs = s.filter(Files::isRegularFile).sorted().toList();
            if (logs.isEmpty()) {
                return List.of("spark: no event log in " + events);
            }
            return EngineReport.sparkEventLog(logs.get(logs.size() - 1), 6).lines();
        } catch (IOException | RuntimeException e) {
            return List.of("spark: event log unreadable (" + e.getMessage() + ")");
        }
    }

    /** This JVM's flags (bin/segue's --add-opens, --add-modules, -Dsegue.home, …) without its heap size. */
    static List<String> childJvmFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-Xmx") && !a.startsWith("-Xms") && !a.startsWith("-agentlib")
                        && !a.startsWith("-javaagent"))
                .toList();
    }

    private static void print(PrintWriter out, Result r) {
        out.printf(Locale.ROOT, "%s run %d: wall %.1f s%s (exit %d)%s; load average %s -> %s%n", r.runner(), r.run(),
                r.wall(), Double.isNaN(r.pipelineTotal()) ? "" : String.format(Locale.ROOT, ", pipeline command's total %.1f s", r.pipelineTotal()),
                r.exitCode(), Double.isNaN(r.clusterStart()) ? "" : String.format(Locale.ROOT, ", cluster start %.1f s (not in wall)", r.clusterStart()),
                r.loadBefore(), r.loadAfter());
        out.println("  where the time went: " + RunTimeline.format(r.phases()));
        StringBuilder mem = new StringBuilder();
        for (Map.Entry<String, ProcessWatch.Usage> u : r.usage().entrySet()) {
            mem.append(mem.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %s (CPU %.0f s)", u.getKey(),
                    gb(u.getValue().peakRss()), u.getValue().cpuSeconds()));
        }
        out.printf(Locale.ROOT, "  peak RSS: %s; sum %s, CPU %.0f s%n", mem, gb(r.peakRssSum()), r.cpu());
        r.engine().forEach(l -> out.println("  " + l));
        out.flush();
    }

    private void summary(PrintWriter out, List<Result> results) {
        Map<String, List<Result>> by = new LinkedHashMap<>();
        for (String runner : runners) {
            by.put(runner, results.stream().filter(r -> r.runner().equals(runner) && r.exitCode() == 0).toList());
        }
        double direct = by.containsKey("direct") && !by.get("direct").isEmpty()
                ? median(by.get("direct").stream().mapToDouble(Result::wall).toArray()) : Double.NaN;
        out.println();
        out.println("| runner | runs ok | wall (median) | ratio to direct | peak RSS, all processes (max) | CPU (median) |");
        out.println("|---|---|---|---|---|---|");
        for (Map.Entry<String, List<Result>> e : by.entrySet()) {
            List<Result> ok = e.getValue();
            if (ok.isEmpty()) {
                out.printf(Locale.ROOT, "| %s | 0 of %d | failed | | | |%n", e.getKey(), runs);
                continue;
            }
            double wall = median(ok.stream().mapToDouble(Result::wall).toArray());
            out.printf(Locale.ROOT, "| %s | %d of %d | %.1f s | %s | %s | %.0f s |%n", e.getKey(), ok.size(), runs, wall,
                    Double.isNaN(direct) ? "-" : String.format(Locale.ROOT, "%.2fx", wall / direct),
                    gb(ok.stream().mapToLong(Result::peakRssSum).max().orElse(0)),
                    median(ok.stream().mapToDouble(Result::cpu).toArray()));
        }
        Runtime rt = Runtime.getRuntime();
        out.printf(Locale.ROOT, "machine: %d cores, %s, Java %s, load average now %s; wall = the `segue pipeline continuation` "
                        + "JVM from start to exit (the Flink cluster's start-up not included)%n", rt.availableProcessors(),
                System.getProperty("os.arch"), System.getProperty("java.version"), loadAverage());
        out.flush();
    }

    static double median(double[] v) {
        return AlsBenchCommand.median(v);
    }

    private static String loadAverage() {
        return AlsBenchCommand.loadAverage();
    }

    private static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }

    private static void deleteTree(Path dir) throws IOException {
        dev.segue.store.io.LocalFileIO.INSTANCE.deleteTree(dev.segue.store.io.LocalFileIO.location(dir));
    }
}
