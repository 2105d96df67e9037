package dev.segue.client;

import java.time.Duration;

/**
 * How {@link SegueClient#continueAllAsync} spreads work: {@code streams} parallel ContinueBatch streams, each
 * with at most {@code window} requests awaiting an answer (so memory and server queues stay bounded). A
 * stream that has unanswered requests but receives nothing for {@code stallTimeout} is cancelled and its
 * requests fail with {@code DEADLINE_EXCEEDED}, so a hung server cannot hang a bulk run.
 */
public record BatchOptions(int streams, int window, Duration stallTimeout) {
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    public BatchOptions {
        if (streams < 1 || streams > 256) {
            throw new IllegalArgumentException("streams must be within 1..256, got " + streams);
        }
        if (window < 1 || window > 10_000) {
            throw new IllegalArgumentException("window must be within 1..10000, got " + window);
        }
        if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stallTimeout must be positive");
        }
    }

    public BatchOptions(int streams, int window) {
        this(streams, window, DEFAULT_STALL_TIMEOUT);
    }

    public static BatchOptions defaults() {
        return new BatchOptions(2, 32);
    }
}
