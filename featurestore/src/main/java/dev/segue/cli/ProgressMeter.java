package dev.segue.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The one progress display of the command line, for counted work (playlists generated, graph items inserted,
 * playlists evaluated). Thread-safe: workers call {@link #step} or {@link #update} concurrently.
 *
 * <ul>
 *   <li>{@link Mode#TERMINAL}: one line rewritten in place ({@code \r}) at most twice a second, ended by a newline
 *       on {@link #close()}.</li>
 *   <li>{@link Mode#LOG}: when stderr is not a terminal (CI, {@code nohup}, a log file): a plain line every few
 *       seconds and a last line on close, so a log shows the run is alive and how fast it goes.</li>
 *   <li>{@link Mode#OFF}: nothing.</li>
 * </ul>
 *
 * Nothing is printed before the first step, so a meter for work that turns out to be unnecessary (a graph
 * loaded from its cache) stays silent. The rate and ETA count from the first step.
 */
public final class ProgressMeter implements AutoCloseable {
    /** How progress is shown. */
    public enum Mode { TERMINAL, LOG, OFF }

    static final long TERMINAL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Log mode's default interval between lines. */
    public static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String task;
    private final String unit;
    private final PrintStream out;
    private final Mode mode;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final AtomicLong done = new AtomicLong();
    private volatile long total;
    private volatile long startNanos;
    private volatile long nextRenderNanos;
    private volatile boolean started;
    /** When the count first reached the total (0 = not yet): the last line's time, however late close() comes. */
    private volatile long finishNanos;
    private boolean closed;
    private int lastWidth;

    /**
     * A meter on {@code out} in the given mode.
     *
     * @param total         the amount of work, 0 when unknown (then no percentage or ETA)
     * @param nanoClock     a monotonic clock in nanoseconds ({@code System::nanoTime}; a fake one in tests)
     * @param intervalNanos time between two renders (terminal) or two lines (log)
     */
    public ProgressMeter(String task, long total, String unit, PrintStream out, Mode mode, LongSupplier nanoClock,
                         long intervalNanos) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.mode = mode;
        this.nanoClock = nanoClock;
        this.intervalNanos = intervalNanos;
    }

    /**
     * A meter on stderr: terminal mode when stderr is a terminal, log mode otherwise, off when not
     * {@code enabled} (e.g. {@code --quiet}).
     */
    public static ProgressMeter start(String task, long total, String unit, boolean enabled) {
        return on(System.err, task, total, unit, enabled);
    }

    /** As {@link #start}, on {@code out} (which is taken to be stderr for the terminal check). */
    public static ProgressMeter on(PrintStream out, String task, long total, String unit, boolean enabled) {
        Mode mode = !enabled || out == null ? Mode.OFF : stderrIsTerminal() ? Mode.TERMINAL : Mode.LOG;
        return new ProgressMeter(task, total, unit, out, mode, System::nanoTime,
                mode == Mode.TERMINAL ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS);
    }

    /** Whether stderr is a terminal (Linux: where /proc/self/fd/2 points; elsewhere: whether there is a console). */
    public static boolean stderrIsTerminal() {
        return isTerminal(2);
    }

    /** Whether stdout is a terminal, by the same check as {@link #stderrIsTerminal()}. */
    public static boolean stdoutIsTerminal() {
        return isTerminal(1);
    }

    private static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    public Mode mode() {
        return mode;
    }

    /** {@code n} more units done. */
    public void step(long n) {
        if (mode == Mode.OFF) {
            return;
        }
        begin();
        noteFinish(done.addAndGet(n));
        maybeRender();
    }

    /**
     * {@code done} of {@code total} units done (a callback such as the HNSW builder's); the meter starts at the
     * first update that has work left.
     */
    public void update(long done, long total) {
        if (mode == Mode.OFF || (!started && done >= total)) {
            return;
        }
        this.total = total;
        begin();
        noteFinish(this.done.accumulateAndGet(done, Math::max));
        maybeRender();
    }

    private void begin() {
        if (!started) {
            synchronized (this) {
                if (!started) {
                    startNanos = nanoClock.getAsLong();
                    nextRenderNanos = mode == Mode.LOG ? startNanos + intervalNanos : startNanos;
                    started = true;
                }
            }
        }
    }

    private void noteFinish(long count) {
        if (finishNanos == 0 && total > 0 && count >= total) {
            synchronized (this) {
                if (finishNanos == 0) {
                    finishNanos = nanoClock.getAsLong();
                }
            }
        }
    }

    private void maybeRender() {
        long now = nanoClock.getAsLong();
        if (now - nextRenderNanos < 0) {
            return;
        }
        synchronized (this) {
            if (closed || now - nextRenderNanos < 0) {
                return;
            }
            nextRenderNanos = now + intervalNanos;
            render(now, false);
        }
    }

    private void render(long now, boolean last) {
        String line = line(done.get(), total, now - startNanos, last);
        if (mode == Mode.TERMINAL) {
            int pad = Math.max(0, lastWidth - line.length());
            out.print("\r" + line + " ".repeat(pad) + (last ? "\n" : ""));
            lastWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The text of one progress line. */
    String line(long done, long total, long elapsedNanos, boolean last) {
        double seconds = elapsedNanos / 1e9;
        StringBuilder b = new StringBuilder(task).append(": ");
        b.append(String.format(Locale.ROOT, "%,d", done));
        if (total > 0) {
            b.append(String.format(Locale.ROOT, " / %,d", total));
        }
        b.append(' ').append(unit);
        if (total > 0) {
            b.append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, done * 100 / total)));
        }
        if (last) {
            b.append(String.format(Locale.ROOT, " in %s", duration(seconds)));
        }
        if (seconds > 0 && done > 0) {
            double rate = done / seconds;
            b.append(String.format(Locale.ROOT, ", %,.0f %s/s", rate, unit));
            if (!last && total > done) {
                b.append(", ").append(duration((total - done) / rate)).append(" left");
            }
        }
        return b.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        return s < 3600 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** Prints the last line (if the meter ever started) and stops; further steps print nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (started && mode != Mode.OFF) {
            render(finishNanos != 0 ? finishNanos : nanoClock.getAsLong(), true);
        }
    }
}
