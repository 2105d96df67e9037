package dev.segue.tools.runners;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The continuation pipeline's progress events as one benchmark run saw them, each stamped with the seconds since the
 * run's JVM was started: from the CLI's own lines ({@code [  12.3s] als: iteration 3 of 15: …}, DirectRunner and
 * Spark {@code local[2]}, whose workers run in the CLI's JVM) or from a worker's log ({@code … dev.segue.progress -
 * als: …}, a Flink TaskManager). {@link #phases} turns them into where the time went.
 */
final class RunTimeline {
    /** The CLI's progress line (ContinuationCommand.printEvent). */
    private static final Pattern CLI = Pattern.compile("^\\[\\s*[0-9.]+s\\] ([a-z-]+): (.*)$");
    /** A worker's log line of the dev.segue.progress logger, whatever the log format before it. */
    private static final Pattern LOG = Pattern.compile("dev\\.segue\\.progress\\W+([a-z-]+): (.*)$");
    private static final Pattern ITERATION = Pattern.compile("iteration (\\d+) of (\\d+)");

    /** One progress event: its stage ({@code ingest-done}, {@code als}, …), its message and when it was seen. */
    record Event(double seconds, String stage, String message) {}

    private final List<Event> events = new ArrayList<>();

    /** Adds the line if it is a progress line; returns whether it was. */
    synchronized boolean offer(double seconds, String line) {
        Matcher m = CLI.matcher(line);
        if (!m.find()) {
            m = LOG.matcher(line);
            if (!m.find()) {
                return false;
            }
        }
        events.add(new Event(seconds, m.group(1), m.group(2).trim()));
        return true;
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /**
     * Where the time went, as consecutive phases ending at the first event of each kind (missing ones are left
     * out): JVM start + graph + ingest (to {@code ingest-done}), vocabulary, the ALS iterations, the writes after the
     * last iteration, and what follows the last write until the process ended (the HNSW artifact, the snapshot, the
     * JVM's exit). Also {@code als per iteration} (median of the gaps between iterations 2..n).
     */
    synchronized Map<String, Double> phases(double end) {
        double ingest = first("ingest-done");
        double vocabulary = first("vocabulary");
        List<Double> iterations = new ArrayList<>();
        double lastWrite = Double.NaN;
        for (Event e : events) {
            if (e.stage().equals("als") && ITERATION.matcher(e.message()).find()) {
                iterations.add(e.seconds());
            }
            if (e.stage().equals("store") && e.message().startsWith("wrote ")) {
                lastWrite = Double.isNaN(lastWrite) ? e.seconds() : Math.max(lastWrite, e.seconds());
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        double at = 0;
        if (!Double.isNaN(ingest)) {
            out.put("start+ingest", ingest);
            at = ingest;
        }
        if (!Double.isNaN(vocabulary) && vocabulary >= at) {
            out.put("vocabulary", vocabulary - at);
            at = vocabulary;
        }
        if (!iterations.isEmpty()) {
            double last = iterations.get(iterations.size() - 1);
            out.put("als (" + iterations.size() + " iterations)", last - at);
            at = last;
            if (iterations.size() > 2) {
                double[] gaps = new double[iterations.size() - 1];
                for (int i = 1; i < iterations.size(); i++) {
                    gaps[i - 1] = iterations.get(i) - iterations.get(i - 1);
                }
                out.put("als per iteration (median of 2..n)", dev.segue.tools.als.AlsBenchCommand.median(gaps));
            }
        }
        if (!Double.isNaN(lastWrite) && lastWrite >= at) {
            out.put("writes", lastWrite - at);
            at = lastWrite;
        }
        out.put(at > 0 ? "artifact+snapshot+exit" : "whole run (no progress lines)", end - at);
        return out;
    }

    private double first(String stage) {
        for (Event e : events) {
            if (e.stage().equals(stage)) {
                return e.seconds();
            }
        }
        return Double.NaN;
    }

    static String format(Map<String, Double> phases) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Double> p : phases.entrySet()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(p.getKey()).append(' ').append(String.format(Locale.ROOT, "%.1f s", p.getValue()));
        }
        return b.toString();
    }
}
