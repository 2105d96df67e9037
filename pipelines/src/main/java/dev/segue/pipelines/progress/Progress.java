package dev.segue.pipelines.progress;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a running pipeline: every event is logged through slf4j (visible on any runner, in the
 * worker logs on a cluster) and handed to the listeners registered in this JVM (the CLI and the benchmark,
 * which run the pipeline in-process on the DirectRunner or an embedded Flink).
 *
 * <p>These are discrete stage events (a file ingested, an ALS iteration's loss, a set written), raised on workers,
 * and every one is a line as it comes, on a terminal or in a log alike. A count of work done in this JVM
 * (playlists generated, graph items inserted) is shown with {@link dev.segue.cli.ProgressMeter} instead.
 */
public final class Progress {
    private static final Logger LOG = LoggerFactory.getLogger("dev.segue.progress");
    private static final List<Listener> LISTENERS = new CopyOnWriteArrayList<>();

    /** One progress event: a stage ({@code ingest}, {@code als}, …), a counter within it and a message. */
    public record Event(String stage, long step, long total, double value, String message, long nanoTime) {}

    @FunctionalInterface
    public interface Listener {
        void onEvent(Event event);
    }

    private Progress() {}

    /** Registers a listener; close the handle to remove it. */
    public static AutoCloseable listen(Listener listener) {
        LISTENERS.add(listener);
        return () -> LISTENERS.remove(listener);
    }

    /** Logs the event (at debug level when an in-process listener shows it instead) and notifies listeners. */
    public static void report(String stage, long step, long total, double value, String message) {
        if (LISTENERS.isEmpty()) {
            LOG.info("{}: {}", stage, message);
        } else {
            LOG.debug("{}: {}", stage, message);
            Event e = new Event(stage, step, total, value, message, System.nanoTime());
            for (Listener l : LISTENERS) {
                l.onEvent(e);
            }
        }
    }
}
