package dev.segue.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    @Test
    void percentilesAreWithinTheBucketWidth() {
        LatencyRecorder r = new LatencyRecorder("Continue");
        for (int ms = 1; ms <= 1000; ms++) {
            r.record(ms * 1_000_000L, ms % 100 == 0);
        }
        LatencyRecorder.Summary s = r.summary();
        assertEquals(1000, s.count());
        assertEquals(10, s.errors());
        assertEquals(500, s.p50(), 500 * 0.04 + 1e-9);
        assertEquals(950, s.p95(), 950 * 0.04 + 1e-9);
        assertEquals(990, s.p99(), 990 * 0.04 + 1e-9);
        assertEquals(1000, s.max(), 1e-9);
        assertTrue(s.p50() <= s.p95() && s.p95() <= s.p99() && s.p99() <= s.max());
        LatencyRecorder.Summary empty = new LatencyRecorder("x").summary();
        assertEquals(0, empty.count());
        assertEquals(0, empty.p99());
    }

    @Test
    void limitsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(500, 10, 100, 1, 1, 1, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withMaxConcurrentQueries(0));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withPort(70000));
    }
}
