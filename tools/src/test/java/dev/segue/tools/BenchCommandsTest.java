package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's benchmark commands run end to end at toy sizes through {@code segue} and print their headline
 * figures (the real figures come from the same commands at their default sizes); bad arguments get one clear
 * line and a nonzero exit code.
 */
class BenchCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void storeBenchmarkReportsEverySection() {
        String out = Segue.ok("bench", "store", "--rows", "20000", "--join-rows", "20000", "--join-keys", "2000",
                "--reps", "1", "--lookups", "100", "--dir", tmp.resolve("store").toString());
        for (String section : new String[] {"write zstd", "scan  none", "open + load key index", "random lookups",
            "point-in-time join"}) {
            assertTrue(out.contains(section), "missing '" + section + "' in:\n" + out);
        }
    }

    @Test
    void annBenchmarkReportsRecallAndSpeedAgainstTheExactScan() {
        String out = Segue.ok("bench", "ann", "--synthetic", "3000", "--queries", "20", "--ef", "50", "--ef-factor",
                "1", "--passes", "1");
        assertTrue(out.contains("recall@500") && out.contains("x exact"), out);
    }

    @Test
    void generateBenchmarkReportsTheMedian() {
        String out = Segue.ok("bench", "generate", "--playlists", "300", "--runs", "1", "--dir", tmp.resolve("gen").toString());
        assertTrue(out.contains("median"), out);
    }

    private static final Pattern LOAD = Pattern.compile("completed (\\d+) \\(([\\d.]+) req/s\\), errors (\\d+); "
            + "latency ms p50 ([\\d.]+)  p95 ([\\d.]+)  p99 ([\\d.]+)  max ([\\d.]+)");

    @Test
    void serveBenchmarkReportsThroughputAndOrderedPercentilesForBothCalls() {
        String out = Segue.ok("bench", "serve", "--synthetic", "500", "--dim", "8", "--m", "8", "--ef-construction",
                "40", "--seconds", "0.5", "--warmup", "0.5", "--rate", "20", "--similar-rate", "40", "--k", "20",
                "--seeds", "3", "--closed-loop", "--index-cache", tmp.resolve("cache").toString());
        assertTrue(out.contains("500 tracks x 8 dims"), out);
        assertTrue(out.contains("Continue k=20 (3 seeds") && out.contains("SimilarTracks k=10 alone")
                && out.contains("SimilarTracks k=10 while Continue") && out.contains("back to back (capacity)")
                && out.contains("transport floor: health Check"), out);
        Matcher m = LOAD.matcher(out);
        int runs = 0;
        while (m.find()) {
            runs++;
            assertTrue(Long.parseLong(m.group(1)) > 0, "no completed calls: " + m.group());
            assertEquals("0", m.group(3), "errors: " + m.group());
            double p50 = Double.parseDouble(m.group(4));
            double p95 = Double.parseDouble(m.group(5));
            double p99 = Double.parseDouble(m.group(6));
            double max = Double.parseDouble(m.group(7));
            assertTrue(p50 > 0 && p50 <= p95 && p95 <= p99 && p99 <= max, "percentiles out of order: " + m.group());
        }
        // Continue; SimilarTracks alone; the transport floor; SimilarTracks under Continue load, with that
        // Continue's own line; capacity.
        assertEquals(6, runs, "expected Continue, SimilarTracks (alone and mixed), floor and capacity runs in:\n" + out);
        assertTrue(out.contains("server-side ") && out.contains("handler ms p50"), out);

        Segue.Result both = Segue.run("bench", "serve", "--synthetic", "500", "--store", tmp.toString());
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("give either --store DIR or --synthetic N"), both.err());
        Segue.Result noCallers = Segue.run("bench", "serve", "--synthetic", "500", "--callers", "0");
        assertEquals(2, noCallers.code(), noCallers.err());
        assertTrue(noCallers.err().contains("--callers"), noCallers.err());
        Segue.Result noFactors = Segue.run("bench", "serve", "--store", tmp.resolve("nowhere").toString());
        assertTrue(noFactors.code() != 0, noFactors.out());
        assertOneLine(noFactors.err());
    }

    private static final Pattern RATE = Pattern.compile("median ([\\d,]+) playlists/s  \\(runs: ([\\d, ]+)\\)");

    @Test
    void evaluateBenchmarkReportsScoringAndEndToEndRatesOnASubmissionAndABaseline() {
        Path oracle = tmp.resolve("oracle.csv");
        Segue.ok("oracle", "--world", TinyWorld.path(), "--out", oracle.toString(), "-q");
        String challenge = TinyWorld.path("challenge", "challenge_set.json");
        String truth = TinyWorld.path("challenge", "truth.json");
        int playlists = TinyWorld.SPEC.challengePlaylists();

        String out = Segue.ok("bench", "evaluate", "--challenge", challenge, "--truth", truth, "--submission",
                oracle.toString(), "--repeat", "2", "--warmup", "0");
        assertTrue(out.contains("set: " + playlists + " playlists, k = 500"), out);
        assertRates(out, 2);

        out = Segue.ok("bench", "evaluate", "--challenge", challenge, "--truth", truth, "--baseline", "popular",
                "--mpd", TinyWorld.path("mpd"), "--repeat", "1", "--warmup", "0", "--k", "100");
        assertTrue(out.contains("k = 100") && out.contains("end to end (popular"), out);
        assertRates(out, 1);

        Segue.Result two = Segue.run("bench", "evaluate", "--challenge", challenge, "--truth", truth,
                "--submission", oracle.toString(), "--baseline", "popular");
        assertEquals(2, two.code(), two.err());
        assertTrue(two.err().contains("give exactly one of --submission, --baseline, --server"), two.err());
        assertOneLine(two.err());
        Segue.Result missing = Segue.run("bench", "evaluate", "--challenge", tmp.resolve("none.json").toString(),
                "--truth", truth, "--submission", oracle.toString());
        assertTrue(missing.code() != 0, missing.out());
        assertTrue(missing.err().contains("none.json"), missing.err());
        assertOneLine(missing.err());
    }

    private static void assertRates(String out, int runs) {
        Matcher m = RATE.matcher(out);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group());
            double median = Double.parseDouble(m.group(1).replace(",", ""));
            assertTrue(median > 0, m.group());
            assertEquals(runs, m.group(2).split(", ").length, m.group());
        }
        assertEquals(2, found.size(), "expected scoring and end-to-end rates in:\n" + out);
        assertTrue(out.contains("metric scoring only") && out.contains("machine: "), out);
    }

    private static final Pattern CHURN = Pattern.compile("churn pipeline: ([\\d,]+) events \\(([\\d,]+) lines, "
            + "([\\d,]+) dead letters\\), median ([\\d.]+) s over (\\d+) run\\(s\\), ([\\d,]+) events/s");

    @Test
    void churnBenchmarkReportsEventsAndRate() {
        String out = Segue.ok("bench", "churn", "--logs", TinyWorld.path("logs"), "--runs", "1", "--userShards=1", "--work",
                tmp.resolve("work").toString());
        Matcher m = CHURN.matcher(out);
        assertTrue(m.find(), out);
        long events = Long.parseLong(m.group(1).replace(",", ""));
        long lines = Long.parseLong(m.group(2).replace(",", ""));
        long dead = Long.parseLong(m.group(3).replace(",", ""));
        assertTrue(events > 100 && events <= lines && dead >= 0, m.group());
        assertTrue(Double.parseDouble(m.group(4)) > 0 && Long.parseLong(m.group(6).replace(",", "")) > 0, m.group());
        assertEquals("1", m.group(5));
        assertTrue(out.contains("run 1: "), out);

        Segue.Result noRuns = Segue.run("bench", "churn", "--logs", TinyWorld.path("logs"), "--runs", "0");
        assertEquals(2, noRuns.code(), noRuns.err());
        assertTrue(noRuns.err().contains("--runs must be at least 1"), noRuns.err());
        Segue.Result noLogs = Segue.run("bench", "churn", "--logs", tmp.resolve("nowhere").toString());
        assertEquals(2, noLogs.code(), noLogs.err());
        assertTrue(noLogs.err().contains("nowhere"), noLogs.err());
        assertOneLine(noLogs.err());
    }

    /** A user error is one line (no stack trace). */
    static void assertOneLine(String err) {
        String[] lines = err.strip().split("\n");
        assertFalse(err.isBlank(), "no error message");
        assertTrue(lines.length <= 2 && !err.contains("\tat "), "expected a short message, got:\n" + err);
    }
}
