package dev.segue.serving.grpc;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lock-free latency histogram of one method: log-spaced buckets 4% wide from 1 µs to ~20 minutes, so
 * percentiles are within 4% and recording is two atomic increments.
 */
final class LatencyRecorder {
    private static final double GROWTH = 1.04;
    private static final double LOG_GROWTH = Math.log(GROWTH);
    private static final int BUCKETS = 720;

    private final String method;
    private final LongAdder count = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final AtomicLong maxNanos = new AtomicLong();

    LatencyRecorder(String method) {
        this.method = method;
    }

    void record(long nanos, boolean error) {
        count.increment();
        if (error) {
            errors.increment();
        }
        buckets.incrementAndGet(bucket(nanos));
        maxNanos.accumulateAndGet(nanos, Math::max);
    }

    private static int bucket(long nanos) {
        double micros = nanos / 1000.0;
        if (micros <= 1) {
            return 0;
        }
        return (int) Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(micros) / LOG_GROWTH));
    }

    /** Upper edge of a bucket in milliseconds. */
    private static double upperMillis(int bucket) {
        return Math.pow(GROWTH, bucket) / 1000.0;
    }

    record Summary(String method, long count, long errors, double p50, double p95, double p99, double max) {}

    Summary summary() {
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = buckets.get(i);
            total += snapshot[i];
        }
        double max = maxNanos.get() / 1e6;
        return new Summary(method, count.sum(), errors.sum(), percentile(snapshot, total, 0.50, max),
                percentile(snapshot, total, 0.95, max), percentile(snapshot, total, 0.99, max), max);
    }

    private static double percentile(long[] buckets, long total, double q, double max) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return Math.min(upperMillis(i), max);
            }
        }
        return max;
    }
}
