package dev.segue.serving.grpc;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.SimilarTracksRequest;
import io.grpc.Status;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per call through SLF4J (logger {@value #LOGGER}), its fields as key-value pairs so the
 * configured layout writes them as {@code key=value} text or as JSON (see {@code LogSetup} in the CLI).
 */
final class AccessLog {
    static final String LOGGER = "segue.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private AccessLog() {}

    /** What one call did, filled in as its messages pass through {@link CallTelemetry}. */
    static final class Entry {
        final String requestId;
        final String peer;
        int k = -1;
        int seeds = -1;
        boolean title;
        int requests;
        int errors;
        String strategy;

        Entry(String requestId, String peer) {
            this.requestId = requestId;
            this.peer = peer;
        }

        void request(Object message) {
            requests++;
            if (message instanceof ContinueRequest c) {
                k = c.getK();
                seeds = c.getSeedTrackUrisCount();
                title = c.hasTitle() && !c.getTitle().isEmpty();
            } else if (message instanceof SimilarTracksRequest s) {
                k = s.getK();
            }
        }

        void response(Object message) {
            if (message instanceof ContinueResponse c) {
                if (c.hasError()) {
                    errors++;
                } else {
                    strategy = c.getStrategy().name();
                }
            }
        }
    }

    static void write(String method, Status status, long nanos, Entry e) {
        LoggingEventBuilder b = LOG.atInfo().setMessage("call")
                .addKeyValue("method", method)
                .addKeyValue("status", status.getCode().name())
                .addKeyValue("latency_ms", String.format(Locale.ROOT, "%.3f", nanos / 1e6));
        boolean stream = e.requests > 1 || method.equals("ContinueBatch");
        if (stream) {
            // A batch stream is one call of many requests: their count and failures, not one request's fields.
            b = b.addKeyValue("requests", e.requests).addKeyValue("errors", e.errors);
        } else {
            if (e.k >= 0) {
                b = b.addKeyValue("k", e.k);
            }
            if (e.seeds >= 0) {
                b = b.addKeyValue("seeds", e.seeds).addKeyValue("title", e.title);
            }
            if (e.strategy != null) {
                b = b.addKeyValue("strategy", e.strategy);
            }
        }
        b.addKeyValue("peer", e.peer).addKeyValue("request_id", e.requestId).log();
    }

    static boolean enabled() {
        return LOG.isInfoEnabled();
    }
}
