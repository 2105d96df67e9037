package dev.segue.tools.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs each demo stage as a child {@code segue} JVM with its output in a log file, showing the stage's
 * latest progress line and elapsed time while it runs. Child processes keep a stage's memory and threads out
 * of the demo's JVM and make a failure easy to point at: the stage name and its log.
 */
final class StageRunner {
    /** A stage that failed: its name, exit code and log file. */
    static final class StageFailedException extends Exception {
        StageFailedException(String stage, int exit, Path log) {
            super("stage '" + stage + "' failed (exit code " + exit + "); see its log: " + log);
        }
    }

    /** Name and duration of a finished stage, for the closing table. */
    record Timing(String stage, double seconds) {}

    private final Path logDir;
    private final PrintStream out;
    private final boolean live;
    private final int total;
    private final List<Timing> timings = new ArrayList<>();
    private final Set<Process> children = ConcurrentHashMap.newKeySet();
    private int index;
    private volatile boolean stopping;

    StageRunner(Path logDir, PrintStream out, boolean live, int total) {
        this.logDir = logDir;
        this.out = out;
        this.live = live;
        this.total = total;
    }

    List<Timing> timings() {
        return timings;
    }

    /** Runs {@code segue <args>} in a child JVM and waits for it. */
    void run(String stage, List<String> args) throws IOException, InterruptedException, StageFailedException {
        Process p = start(stage, args);
        long t0 = System.nanoTime();
        Path log = logOf(stage);
        while (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
            if (live) {
                out.print("\r\033[K" + header(stage) + "  " + seconds(t0) + "  " + lastLine(log, 70));
                out.flush();
            }
        }
        finish(stage, t0, p.exitValue(), log);
    }

    /** Starts {@code segue <args>} in a child JVM that outlives this call (the index server). */
    Process start(String stage, List<String> args) throws IOException {
        index++;
        Files.createDirectories(logDir);
        Path log = logOf(stage);
        if (!live) {
            out.println(header(stage) + " ...");
        }
        ProcessBuilder pb = new ProcessBuilder(childCommand(args));
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.environment().put("SEGUE_NO_PROGRESS_TTY", "1");
        Process p = pb.start();
        children.add(p);
        p.onExit().thenRun(() -> children.remove(p));
        return p;
    }

    /** True once {@link #stopAll} has begun (the demo is being stopped). */
    boolean stopping() {
        return stopping;
    }

    /**
     * Stops every child still running (a stage, the index server): SIGTERM, then up to {@code grace} for it to
     * drain and exit, then SIGKILL. Run from the demo's shutdown hook, so Ctrl-C or a TERM of the demo never
     * leaves a server or a pipeline behind.
     */
    void stopAll(Duration grace) {
        stopping = true;
        List<Process> alive = children.stream().filter(Process::isAlive).toList();
        for (Process p : alive) {
            System.err.println("segue demo: stopping child process " + p.pid());
            p.destroy();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (Process p : alive) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    System.err.println("segue demo: child process " + p.pid() + " did not stop in "
                            + grace.toSeconds() + " s; killing it");
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Records a stage that was started with {@link #start} and is now ready. */
    void ready(String stage, long startNanos) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        timings.add(new Timing(stage, s));
        out.println((live ? "\r\033[K" : "") + header(stage) + "  ready in " + fmt(s));
    }

    Path logOf(String stage) {
        return logDir.resolve(stage.replace(' ', '-') + ".log");
    }

    private void finish(String stage, long t0, int exit, Path log) throws StageFailedException {
        double s = (System.nanoTime() - t0) / 1e9;
        if (exit != 0) {
            out.println((live ? "\r\033[K" : "") + header(stage) + "  FAILED after " + fmt(s));
            throw new StageFailedException(stage, exit, log);
        }
        timings.add(new Timing(stage, s));
        out.println((live ? "\r\033[K" : "") + header(stage) + "  done in " + fmt(s));
    }

    private String header(String stage) {
        return String.format(Locale.ROOT, "[%d/%d] %-22s", index, total, stage);
    }

    private static String seconds(long t0) {
        return fmt((System.nanoTime() - t0) / 1e9);
    }

    static String fmt(double seconds) {
        return seconds < 60 ? String.format(Locale.ROOT, "%.1f s", seconds)
                : String.format(Locale.ROOT, "%d min %02d s", (long) seconds / 60, (long) seconds % 60);
    }

    /** The last non-empty line (progress bars end lines with \r) of a growing log, cut to {@code width}. */
    static String lastLine(Path log, int width) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, 4096);
            byte[] tail = new byte[n];
            f.seek(len - n);
            f.readFully(tail);
            String text = new String(tail, StandardCharsets.UTF_8);
            String[] lines = text.split("[\r\n]+");
            for (int i = lines.length - 1; i >= 0; i--) {
                String line = lines[i].replaceAll("\u001B\\[[;\\d]*[A-Za-z]", "").strip();
                if (!line.isEmpty()) {
                    return line.length() > width ? line.substring(0, width - 1) + "…" : line;
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }

    /** The same java, JVM flags and class path as this process, running the segue main class. */
    static List<String> childCommand(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")) {
                cmd.add(arg);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.segue.tools.SegueCli");
        cmd.addAll(args);
        return cmd;
    }
}
