package dev.segue.serving.grpc;

/**
 * Per-request bounds. A request beyond one is rejected with a message naming the limit and its flag.
 *
 * @param defaultK            k used when a Continue request leaves it 0
 * @param defaultSimilarK     k used when a SimilarTracks request leaves it 0
 * @param maxK                largest k accepted
 * @param maxSeeds            most seed URIs in one request
 * @param maxTitleChars       longest title
 * @param maxFilterUris       most URIs across a request's filter lists
 * @param maxMessageBytes     largest inbound message (enforced by gRPC: RESOURCE_EXHAUSTED)
 * @param maxConcurrentQueries queries searching at once; searches are CPU-bound, so more than the core
 *                            count only adds contention — extra queries wait for a slot, where their
 *                            deadline is honoured
 * @param maxQueueMillis      longest a query waits for a search slot before RESOURCE_EXHAUSTED
 * @param batchWindow         requests of one ContinueBatch stream processed at once
 */
public record Limits(int defaultK, int defaultSimilarK, int maxK, int maxSeeds, int maxTitleChars,
                     int maxFilterUris, int maxMessageBytes, int maxConcurrentQueries, long maxQueueMillis,
                     int batchWindow) {
    public Limits {
        positive("default k", defaultK);
        positive("default similar k", defaultSimilarK);
        positive("max k", maxK);
        positive("max seeds", maxSeeds);
        positive("max title chars", maxTitleChars);
        positive("max filter URIs", maxFilterUris);
        positive("max message bytes", maxMessageBytes);
        positive("max concurrent queries", maxConcurrentQueries);
        positive("max queue millis", maxQueueMillis);
        positive("batch window", batchWindow);
        if (defaultK > maxK || defaultSimilarK > maxK) {
            throw new IllegalArgumentException("default k (" + defaultK + "/" + defaultSimilarK
                    + ") exceeds max k " + maxK);
        }
    }

    public static Limits defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new Limits(500, 10, 1000, 1000, 256, 10_000, 4 << 20, cores, 2000, 2 * cores);
    }

    public Limits withMaxConcurrentQueries(int n) {
        return new Limits(defaultK, defaultSimilarK, maxK, maxSeeds, maxTitleChars, maxFilterUris, maxMessageBytes,
                n, maxQueueMillis, batchWindow);
    }

    public Limits withMaxQueueMillis(long millis) {
        return new Limits(defaultK, defaultSimilarK, maxK, maxSeeds, maxTitleChars, maxFilterUris, maxMessageBytes,
                maxConcurrentQueries, millis, batchWindow);
    }

    private static void positive(String name, long v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }
}
