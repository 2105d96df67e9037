package dev.segue.pipelines.continuation;

import dev.segue.pipelines.progress.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the continuation pipeline in this JVM while timing it from its progress events: ingest, each ALS
 * iteration (from one loss report to the next; the first from the vocabulary), and the whole run.
 */
public final class ContinuationRun {
    /** What a run did and how long it took. */
    public record Summary(long playlists, long malformed, long tracks, double ingestSeconds,
            double[] iterationSeconds, double[] losses, double totalSeconds, Map<String, String> versions) {

        /** Median of the iteration times after the first (which includes encoding and start-up), or the first. */
        public double medianIterationSeconds() {
            if (iterationSeconds.length == 0) {
                return Double.NaN;
            }
            double[] rest = iterationSeconds.length > 1
                    ? java.util.Arrays.copyOfRange(iterationSeconds, 1, iterationSeconds.length)
                    : iterationSeconds.clone();
            java.util.Arrays.sort(rest);
            int n = rest.length;
            return n % 2 == 1 ? rest[n / 2] : (rest[n / 2 - 1] + rest[n / 2]) / 2;
        }
    }

    private ContinuationRun() {}

    /** Runs to completion; {@code onEvent} sees every progress event as it happens (may be null). */
    public static Summary run(ContinuationOptions options, Consumer<Progress.Event> onEvent) throws Exception {
        List<Progress.Event> events = new ArrayList<>();
        long start = System.nanoTime();
        try (AutoCloseable l = Progress.listen(e -> {
            synchronized (events) {
                events.add(e);
            }
            if (onEvent != null) {
                onEvent.accept(e);
            }
        })) {
            ContinuationPipeline.run(options);
        }
        long end = System.nanoTime();
        return summarize(events, start, end, options.getIterations());
    }

    static Summary summarize(List<Progress.Event> events, long start, long end, int iterations) {
        long ingestDone = -1;
        long vocabulary = -1;
        long playlists = 0;
        long malformed = 0;
        long tracks = 0;
        long[] iterationAt = new long[iterations + 1];
        double[] losses = new double[iterations];
        Map<String, String> versions = new LinkedHashMap<>();
        for (Progress.Event e : events) {
            switch (e.stage()) {
                case "ingest-done" -> {
                    ingestDone = e.nanoTime();
                    playlists = e.step();
                    malformed = e.total();
                }
                case "vocabulary" -> {
                    vocabulary = e.nanoTime();
                    tracks = e.step();
                }
                case "als" -> {
                    int k = (int) e.step();
                    if (k >= 1 && k <= iterations) {
                        iterationAt[k] = e.nanoTime();
                        losses[k - 1] = e.value();
                    }
                }
                case "store" -> {
                    String[] parts = e.message().split(" ");
                    if (parts.length == 3 && parts[0].equals("wrote")) {
                        versions.put(parts[1], parts[2]);
                    }
                }
                default -> { }
            }
        }
        iterationAt[0] = vocabulary > 0 ? vocabulary : start;
        double[] perIteration = new double[iterations];
        for (int k = 1; k <= iterations; k++) {
            perIteration[k - 1] = (iterationAt[k] - iterationAt[k - 1]) / 1e9;
        }
        return new Summary(playlists, malformed, tracks, ingestDone < 0 ? Double.NaN : (ingestDone - start) / 1e9,
                perIteration, losses, (end - start) / 1e9, versions);
    }
}
