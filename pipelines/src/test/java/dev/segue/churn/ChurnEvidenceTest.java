package dev.segue.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, parts 3 and 4 for the churn pipeline: a flood of physically absurd values is dead-lettered before
 * any statistic (thresholds, plan and features equal the flood-free run's), and a run that stops on bad input
 * still leaves its dead letters and a failed run report, no temporary file, and no feature set.
 */
class ChurnEvidenceTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * The flood-free run is {@link DefaultPlanRun}'s (default plan, so the plan is at stake too). The flood adds
     * 1% of the play lines again with {@code song_length=99999999999999999999}, 0.5% with a play time of 10²⁰ s,
     * and 1% of the search lines dated 9999-12-31. Without bounds the song-length flood alone is ten times the
     * lines above the 99.9th percentile, so it would become the percentile (and, as the "outliers" are dropped,
     * no real outlier would be); a date flood this size is a busy day, and would become the end of the logs.
     */
    @Test
    void aOnePercentFloodOfAbsurdValuesMovesNoThresholdAndNoFeature() throws Exception {
        DefaultPlanRun clean = DefaultPlanRun.get();
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        long flood = 0;
        for (String name : List.of("play.csv", "download.csv", "search.csv")) {
            List<String> lines = new ArrayList<>(Files.readAllLines(clean.logs.resolve(name)));
            List<String> extra = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                // fields counted from the end: a quoted song name may hold a comma
                String[] f = lines.get(i).split(",", -1);
                int n = f.length;
                if (name.equals("play.csv") && n >= 10 && !f[n - 3].isEmpty() && !f[0].isEmpty()) {
                    if (i % 100 == 0) {
                        f[n - 3] = "99999999999999999999"; // song_length
                        extra.add(String.join(",", f));
                    } else if (i % 200 == 50) {
                        f[n - 4] = "99999999999999999999"; // play_time
                        extra.add(String.join(",", f));
                    }
                } else if (name.equals("search.csv") && n == 5 && i % 100 == 0) {
                    f[4] = "9999-12-31";
                    extra.add(String.join(",", f));
                }
            }
            flood += extra.size();
            lines.addAll(extra);
            Files.write(logs.resolve(name), lines);
        }
        Path store = dir.resolve("store");
        Path report = dir.resolve("report");
        ChurnRunReport r = ChurnPipeline.run(PipelineOptionsFactory.fromArgs(ChurnPipelineTest.args("--logs=" + logs,
                "--store=" + store, "--userShards=3", "--reportDir=" + report)).as(ChurnOptions.class));

        Map<String, Long> c = r.counters();
        Map<String, Long> before = clean.result.counters();
        assertTrue(flood * 1000 > before.get("lines.read"), "at least 0.1% of the lines: " + flood);
        // TinyLogs' own few huge values (song lengths of ~10^5 s, play times of ~8e7 s) are implausible too
        long own = before.getOrDefault("deadletter.implausible", 0L);
        assertTrue(own > 0, before.toString());
        assertEquals(own + flood, c.get("deadletter.implausible"), c.toString());
        assertEquals(before.get("lines.read") + flood, c.get("lines.read"));
        assertEquals(r.events() + r.deadLetters(), c.get("lines.read"));
        for (Map.Entry<String, Long> e : before.entrySet()) {
            if (!e.getKey().equals("lines.read") && !e.getKey().equals("deadletter.implausible")) {
                assertEquals(e.getValue(), c.get(e.getKey()), e.getKey() + " moved by the flood");
            }
        }

        JsonNode want = JSON.readTree(clean.report.resolve("cleaning.json").toFile());
        JsonNode got = JSON.readTree(report.resolve("cleaning.json").toFile());
        assertEquals(want.get("snapshots"), got.get("snapshots"), "windows and thresholds");
        assertEquals(want.get("log_last_date"), got.get("log_last_date"));
        ChurnReference reference = ChurnReference.compute(clean.logs, List.of(TinyLogs.SNAPSHOT), 30, 14, true);
        assertTrue(ChurnPipelineTest.assertFeaturesEqual(store, reference) > 5_000);
        ChurnPipelineTest.assertLabelsEqual(ChurnPipelineTest.readAll(store, ChurnSchemas.LABELS), reference);

        List<String> dead = Files.readAllLines(report.resolve("dead-letters.csv"));
        assertEquals(r.deadLetters() + 1, dead.size());
        for (String reason : List.of("song_length 1.00000e+20 is above the plausible maximum 86400 s (one day)",
                "play_time 1.00000e+20 is above the plausible maximum 86400 s (one day)",
                "date 9999-12-31 is outside the plausible 2000-01-01..2099-12-31")) {
            assertTrue(dead.stream().anyMatch(l -> l.contains(",IMPLAUSIBLE,") && l.contains(reason)), reason);
        }
        assertEquals("ok", JSON.readTree(report.resolve("report.json").toFile()).get("status").asText());
    }

    /** All-garbage logs with the default plan: today's empty report folder becomes the full evidence. */
    @Test
    void allGarbageLogsStopWithTheirDeadLettersAndAFailedReport() throws Exception {
        Path logs = dir.resolve("garbage");
        Files.createDirectories(logs);
        Files.write(logs.resolve("play.csv"), List.of(
                "uid,device,song_id,song_type,song_name,singer,play_time,song_length,paid_flag,date",
                "this is not a log line",
                "1,ar,s,0,n,x,100,200,0,2017-13-45",
                "1,ar,s,0,n,x,100,200,0,9999-12-31",
                "1,ar,s,0,n,x,100,200,0"));
        Path store = dir.resolve("store");
        Path report = dir.resolve("report");
        ChurnOptions o = PipelineOptionsFactory.fromArgs(ChurnPipelineTest.args("--logs=" + logs, "--store=" + store,
                "--userShards=2", "--reportDir=" + report)).as(ChurnOptions.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChurnPipeline.run(o));
        assertEquals("the logs hold no line with a valid and plausible date; every line is a dead letter (dead letters: "
                + "4; run report: " + report.resolve("report.json") + ")", e.getMessage());
        assertEvidence(report, store, e.getMessage().substring(0, e.getMessage().indexOf(" (dead letters")),
                Map.of("deadletter.malformed_line", 2L, "deadletter.bad_date", 1L, "deadletter.implausible", 1L));
        List<String> dead = Files.readAllLines(report.resolve("dead-letters.csv"));
        assertTrue(dead.get(0).equals(DeadLetter.HEADER) && dead.size() == 5, dead.toString());
        assertTrue(dead.stream().anyMatch(l -> l.contains(",4,IMPLAUSIBLE,") && l.contains("9999-12-31")), dead.toString());
    }

    /** Explicit snapshots, logs with no event in any feature window: refused, nothing committed (was: empty sets). */
    @Test
    void noEventInAnyWindowCommitsNothing() throws Exception {
        Path logs = dir.resolve("elsewhere");
        Files.createDirectories(logs);
        Files.write(logs.resolve("search.csv"), List.of("uid,device,time_stamp,search_query,date",
                "1,ar,1,q,2017-04-01", "2,ar,1,q,2017-04-02", "3,ar,1,q,2017-04-03"));
        Path store = dir.resolve("store");
        Path report = dir.resolve("report");
        ChurnOptions o = PipelineOptionsFactory.fromArgs(ChurnPipelineTest.args("--logs=" + logs, "--store=" + store,
                "--userShards=2", "--reportDir=" + report, "--snapshots=2018-01-31")).as(ChurnOptions.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChurnPipeline.run(o));
        assertTrue(e.getMessage().startsWith("no usable event in any feature window (features 2018-01-02..2018-01-31"),
                e.getMessage());
        assertEvidence(report, store, e.getMessage().substring(0, e.getMessage().indexOf(" (dead letters: 3")),
                Map.of("deadletter.outside_windows", 3L));
    }

    /** report.json says failed with the error and the dead letters by reason; nothing else is left; no set. */
    static void assertEvidence(Path report, Path store, String error, Map<String, Long> counters) throws Exception {
        assertFalse(error.contains("java.") || error.contains("Exception"), error);
        JsonNode doc = JSON.readTree(report.resolve("report.json").toFile());
        assertEquals("failed", doc.get("status").asText());
        assertEquals(error, doc.get("error").asText());
        assertEquals(counters, JSON.convertValue(doc.get("counters"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Long>>() {}));
        try (Stream<Path> s = Files.list(report)) {
            assertEquals(List.of("dead-letters.csv", "report.json"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary folder or file left");
        }
        if (Files.exists(store)) {
            assertEquals(List.of(), dev.segue.store.FeatureStore.open(store).list(), "no feature set committed");
        }
    }
}
