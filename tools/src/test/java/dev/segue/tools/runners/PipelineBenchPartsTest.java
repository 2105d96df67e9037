package dev.segue.tools.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of {@code segue bench pipeline} that read what a run left: progress lines, Spark's event log, Flink's REST answers, /proc. */
class PipelineBenchPartsTest {
    @TempDir
    Path dir;

    @Test
    void progressLinesFromTheCliAndFromAWorkerLogBecomePhases() {
        RunTimeline t = new RunTimeline();
        assertFalse(t.offer(1.0, "WARNING: Using incubator modules: jdk.incubator.vector"));
        assertTrue(t.offer(10.0, "[    8.1s] ingest: mpd.slice.0-999.json: 1,000 playlists, 0 malformed (1,000 playlists so far)"));
        assertTrue(t.offer(20.0, "[   18.0s] ingest-done: 10,000 playlists, 0 malformed"));
        // a Flink TaskManager's slf4j-simple line
        assertTrue(t.offer(25.0, "[Source: Impulse (1/2)#0] INFO dev.segue.progress - vocabulary: 5,000 distinct tracks"));
        for (int k = 1; k <= 4; k++) {
            assertTrue(t.offer(25.0 + 3 * k + (k == 1 ? 2 : 0), "[   30.0s] als: iteration " + k + " of 4: loss 1.0e+06"));
        }
        assertTrue(t.offer(45.0, "[   43.0s] store: wrote tracks 20261207T101500Z"));
        assertTrue(t.offer(50.0, "[   48.0s] store: wrote track_factors 20261207T101500Z"));
        assertTrue(t.offer(70.0, "[   68.0s] store: snapshot 20261207T101500Z"));
        Map<String, Double> p = t.phases(72.0);
        assertEquals(List.of("start+ingest", "vocabulary", "als (4 iterations)", "als per iteration (median of 2..n)",
                "writes", "artifact+snapshot+exit"), List.copyOf(p.keySet()));
        assertEquals(20.0, p.get("start+ingest"), 1e-9);
        assertEquals(5.0, p.get("vocabulary"), 1e-9);
        assertEquals(12.0, p.get("als (4 iterations)"), 1e-9); // 25 → 37
        assertEquals(3.0, p.get("als per iteration (median of 2..n)"), 1e-9);
        assertEquals(13.0, p.get("writes"), 1e-9); // 37 → 50
        assertEquals(22.0, p.get("artifact+snapshot+exit"), 1e-9);
        assertEquals(72.0, p.values().stream().mapToDouble(Double::doubleValue).sum()
                - p.get("als per iteration (median of 2..n)"), 1e-9, "the phases add up to the wall time");

        RunTimeline none = new RunTimeline();
        assertEquals(Map.of("whole run (no progress lines)", 9.0), none.phases(9.0));
    }

    @Test
    void sparkEventLogGivesJobsStagesAndTheLongestStages() throws Exception {
        Path log = dir.resolve("local-1");
        Files.writeString(log, String.join("\n",
                "{\"Event\":\"SparkListenerApplicationStart\",\"Timestamp\":1000}",
                "{\"Event\":\"SparkListenerJobStart\",\"Job ID\":0,\"Submission Time\":2000}",
                "{\"Event\":\"SparkListenerJobStart\",\"Job ID\":1,\"Submission Time\":3000}",
                "{\"Event\":\"SparkListenerStageCompleted\",\"Stage Info\":{\"Stage Name\":\"mapToPair at A.java:1\","
                        + "\"Number of Tasks\":2,\"Submission Time\":2000,\"Completion Time\":2500}}",
                "{\"Event\":\"SparkListenerStageCompleted\",\"Stage Info\":{\"Stage Name\":\"collect at B.java:2\","
                        + "\"Number of Tasks\":4,\"Submission Time\":3000,\"Completion Time\":6000}}",
                "{\"Event\":\"SparkListenerTaskEnd\",\"Task Info\":{\"Launch Time\":2000,\"Finish Time\":2400}}",
                "{\"Event\":\"SparkListenerTaskEnd\",\"Task Info\":{\"Launch Time\":3000,\"Finish Time\":5000}}",
                "{\"Event\":\"SparkListenerJobEnd\",\"Job ID\":0,\"Completion Time\":4000}",
                "{\"Event\":\"SparkListenerJobEnd\",\"Job ID\":1,\"Completion Time\":6000}",
                "{\"Event\":\"SparkListenerJobStart\",\"Job ID\":2,\"Submission Time\":8000}",
                "{\"Event\":\"SparkListenerJobEnd\",\"Job ID\":2,\"Completion Time\":9000}",
                "{\"Event\":\"SparkListenerApplicationEnd\",\"Timestamp\":11000}", ""));
        EngineReport.Summary s = EngineReport.sparkEventLog(log, 1);
        assertEquals("spark: application 10.0 s, 3 jobs (some job running 5.0 s), 2 stages, task time 2.4 s; "
                + "longest stages:", s.headline());
        assertEquals(1, s.top().size());
        assertEquals("collect at B.java:2", s.top().get(0).name());
        assertEquals(3.0, s.top().get(0).seconds(), 1e-9);
    }

    @Test
    void flinkJobDetailsSumBusyTimeByTransform() throws Exception {
        String job = "{\"jid\":\"j1\",\"name\":\"continuation\",\"state\":\"FINISHED\",\"start-time\":15000,"
                + "\"duration\":120000,\"vertices\":["
                + "{\"name\":\"Source: Impulse\",\"metrics\":{\"accumulated-busy-time\":\"NaN\"}},"
                + "{\"name\":\"Ingest/Read -> Ingest/Parse\",\"metrics\":{\"accumulated-busy-time\":30000,"
                + "\"accumulated-backpressured-time\":1000}},"
                + "{\"name\":\"ALS/Iteration 1/Users -> ALS/Iteration 1/Gram\",\"metrics\":{\"accumulated-busy-time\":50000}},"
                + "{\"name\":\"(ALS/Iteration 2/Items, WriteTracks/Write)\",\"metrics\":{\"accumulated-busy-time\":40000}}]}";
        EngineReport.Summary s = EngineReport.flinkJob(job, 10000, 5);
        assertEquals("flink: job FINISHED started 5.0 s after the client, ran 120.0 s, 4 vertices, busy 120.0 s in all "
                + "(2 slots: at most 240.0 s); busy time by transform:", s.headline());
        assertEquals(List.of("ALS", "Ingest", "Impulse"), s.top().stream().map(EngineReport.Item::name).toList());
        assertEquals(90.0, s.top().get(0).seconds(), 1e-9);
        assertEquals(0.0, s.top().get(2).seconds(), 1e-9);
        assertTrue(s.lines().get(2).contains("back-pressured 1.0 s"), s.lines().toString());
        assertEquals(List.of("b", "a"), EngineReport.flinkJobIds(
                "{\"jobs\":[{\"jid\":\"a\",\"start-time\":20},{\"jid\":\"b\",\"start-time\":10}]}"));
    }

    @Test
    void unionOfIntervalsCountsOverlapsOnce() {
        assertEquals(0, EngineReport.union(List.of()));
        assertEquals(7, EngineReport.union(List.of(new long[] {0, 5}, new long[] {3, 6}, new long[] {10, 11})));
    }

    @Test
    void procGivesThisJvmsPeakRssAndCpu() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux only");
        ProcessWatch.Usage u = ProcessWatch.read(ProcessHandle.current().pid());
        assertTrue(u != null && u.peakRss() > 10_000_000 && u.cpuSeconds() > 0, String.valueOf(u));
        try (ProcessWatch w = new ProcessWatch(() -> Map.of("me", ProcessHandle.current()), 10_000)) {
            w.poll();
            assertTrue(w.usage(List.of("me", "absent")).keySet().equals(java.util.Set.of("me")));
        }
    }
}
