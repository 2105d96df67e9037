package dev.segue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private void advanceSeconds(double s) {
        clock.addAndGet((long) (s * 1e9));
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private ProgressMeter meter(ProgressMeter.Mode mode, long total) {
        return new ProgressMeter("playlists", total, "playlists", out, mode, clock::get,
                mode == ProgressMeter.Mode.LOG ? TimeUnit.SECONDS.toNanos(5) : TimeUnit.MILLISECONDS.toNanos(500));
    }

    @Test
    void logModePrintsALineEveryIntervalAndALastLine() {
        try (ProgressMeter m = meter(ProgressMeter.Mode.LOG, 1000)) {
            m.step(100);                 // t = 0: nothing yet, the first line waits one interval
            assertEquals("", printed());
            advanceSeconds(4.9);
            m.step(100);
            assertEquals("", printed());
            advanceSeconds(0.1);         // t = 5 s: 200 done
            m.step(50);
            advanceSeconds(1);
            m.step(50);                  // t = 6 s: within the interval, no line
            advanceSeconds(4);
            m.step(100);                 // t = 10 s: 400 done
        }
        List<String> lines = printed().lines().toList();
        assertEquals(3, lines.size(), printed());
        assertEquals("playlists: 250 / 1,000 playlists (25%), 50 playlists/s, 15.0 s left", lines.get(0));
        assertEquals("playlists: 400 / 1,000 playlists (40%), 40 playlists/s, 15.0 s left", lines.get(1));
        assertEquals("playlists: 400 / 1,000 playlists (40%) in 10.0 s, 40 playlists/s", lines.get(2));
        assertFalse(printed().contains("\r"), "log lines never use carriage returns");
    }

    @Test
    void theLastLineTimesTheWorkNotTheWaitBeforeClose() {
        try (ProgressMeter m = meter(ProgressMeter.Mode.LOG, 1000)) {
            m.update(500, 1000);
            advanceSeconds(10);
            m.update(1000, 1000);        // done at t = 10 s
            advanceSeconds(170);         // the caller goes on with other work before closing the meter
        }
        List<String> lines = printed().lines().toList();
        assertEquals("playlists: 1,000 / 1,000 playlists (100%) in 10.0 s, 100 playlists/s",
                lines.get(lines.size() - 1), printed());
    }

    @Test
    void terminalModeRewritesOneLineAndEndsItOnClose() {
        try (ProgressMeter m = meter(ProgressMeter.Mode.TERMINAL, 0)) {
            m.step(10);
            advanceSeconds(0.1);
            m.step(10);                  // within 500 ms: no render
            advanceSeconds(0.5);
            m.step(10);
        }
        String s = printed();
        assertEquals(3, s.chars().filter(c -> c == '\r').count(), s);
        assertTrue(s.endsWith("\n") && s.indexOf('\n') == s.length() - 1, s);
        assertTrue(s.contains("\rplaylists: 30 playlists in 0.6 s, 50 playlists/s"), s);
    }

    @Test
    void silentUntilTheFirstStepAndWhenOff() {
        meter(ProgressMeter.Mode.LOG, 10).close();
        meter(ProgressMeter.Mode.TERMINAL, 10).close();
        try (ProgressMeter m = meter(ProgressMeter.Mode.LOG, 10)) {
            m.update(10, 10);            // a graph loaded from disk: finished before it started
        }
        try (ProgressMeter m = meter(ProgressMeter.Mode.OFF, 10)) {
            m.step(5);
            advanceSeconds(60);
            m.step(5);
        }
        assertEquals("", printed());
    }

    @Test
    void updateTakesTheHighestCountAndTheTotal() {
        try (ProgressMeter m = meter(ProgressMeter.Mode.LOG, 0)) {
            m.update(10, 200);
            advanceSeconds(5);
            m.update(120, 200);
            m.update(100, 200);          // a slower builder thread reports late: the count never goes back
            advanceSeconds(5);
            m.update(200, 200);
        }
        List<String> lines = printed().lines().toList();
        assertEquals("playlists: 120 / 200 playlists (60%), 24 playlists/s, 3.3 s left", lines.get(0));
        assertEquals("playlists: 200 / 200 playlists (100%), 20 playlists/s", lines.get(1));
        assertEquals("playlists: 200 / 200 playlists (100%) in 10.0 s, 20 playlists/s", lines.get(2));
    }

    @Test
    void durations() {
        assertEquals("59.0 s", ProgressMeter.duration(59));
        assertEquals("2 min 05 s", ProgressMeter.duration(125));
        assertEquals("1 h 01 min", ProgressMeter.duration(3660));
    }
}
