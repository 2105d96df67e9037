package dev.segue.serving.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Request counters and latency histograms per method, plus work abandoned because the caller gave up. */
public final class ServerStats {
    private final ConcurrentHashMap<String, LatencyRecorder> methods = new ConcurrentHashMap<>();
    private final LongAdder abandoned = new LongAdder();
    private final long startedNanos = System.nanoTime();

    void record(String method, long nanos, boolean error) {
        methods.computeIfAbsent(method, LatencyRecorder::new).record(nanos, error);
    }

    void abandoned() {
        abandoned.increment();
    }

    /** Requests whose work stopped early because the caller cancelled or its deadline passed. */
    public long abandonedCount() {
        return abandoned.sum();
    }

    public long uptimeSeconds() {
        return (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }

    List<LatencyRecorder.Summary> summaries() {
        List<LatencyRecorder.Summary> out = new ArrayList<>();
        methods.values().forEach(r -> out.add(r.summary()));
        out.sort((a, b) -> a.method().compareTo(b.method()));
        return out;
    }
}
