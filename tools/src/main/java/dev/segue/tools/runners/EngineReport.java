package dev.segue.tools.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where an engine spent a run, from the engine's own records: Spark's event log (jobs, stages and their
 * durations) and Flink's REST API ({@code /jobs/<id>}: the job's duration and each vertex's accumulated busy,
 * back-pressured and idle time). Lines for the benchmark's report.
 */
final class EngineReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineReport() {}

    /** One timed unit of work (a Spark stage, a Flink vertex) with its seconds. */
    record Item(String name, double seconds, String detail) {}

    /** What the engine's records say about one run. */
    record Summary(String headline, List<Item> top) {
        List<String> lines() {
            List<String> l = new ArrayList<>();
            l.add(headline);
            for (Item i : top) {
                l.add(String.format(Locale.ROOT, "  %8.1f s  %s%s", i.seconds(), shorten(i.name(), 90),
                        i.detail().isEmpty() ? "" : " (" + i.detail() + ")"));
            }
            return l;
        }
    }

    /**
     * Spark's event log (one JSON event a line, {@code spark.eventLog.enabled}): the application's span, its jobs
     * (count, time with at least one job running), its stages (count, summed task time) and the {@code top} longest
     * stages.
     */
    static Summary sparkEventLog(Path log, int top) throws IOException {
        long appStart = -1;
        long appEnd = -1;
        Map<Long, Long> jobStart = new HashMap<>();
        List<long[]> jobs = new ArrayList<>();
        List<Item> stages = new ArrayList<>();
        double taskSeconds = 0;
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode e = JSON.readTree(line);
                switch (e.path("Event").asText()) {
                    case "SparkListenerApplicationStart" -> appStart = e.path("Timestamp").asLong();
                    case "SparkListenerApplicationEnd" -> appEnd = e.path("Timestamp").asLong();
                    case "SparkListenerJobStart" -> jobStart.put(e.path("Job ID").asLong(), e.path("Submission Time").asLong());
                    case "SparkListenerJobEnd" -> {
                        Long s = jobStart.get(e.path("Job ID").asLong());
                        if (s != null) {
                            jobs.add(new long[] {s, e.path("Completion Time").asLong()});
                        }
                    }
                    case "SparkListenerStageCompleted" -> {
                        JsonNode s = e.path("Stage Info");
                        long sub = s.path("Submission Time").asLong(-1);
                        long done = s.path("Completion Time").asLong(-1);
                        if (sub >= 0 && done >= sub) {
                            stages.add(new Item(s.path("Stage Name").asText(), (done - sub) / 1e3,
                                    s.path("Number of Tasks").asInt() + " tasks"));
                        }
                    }
                    case "SparkListenerTaskEnd" -> taskSeconds += e.path("Task Info").path("Finish Time").asLong()
                            - e.path("Task Info").path("Launch Time").asLong();
                    default -> { }
                }
            }
        }
        double busy = union(jobs) / 1e3;
        String app = appStart > 0 && appEnd >= appStart ? String.format(Locale.ROOT, "%.1f s", (appEnd - appStart) / 1e3) : "?";
        String headline = String.format(Locale.ROOT, "spark: application %s, %d jobs (some job running %.1f s), %d stages, "
                + "task time %.1f s; longest stages:", app, jobs.size(), busy, stages.size(), taskSeconds / 1e3);
        stages.sort(Comparator.comparingDouble(Item::seconds).reversed());
        return new Summary(headline, stages.subList(0, Math.min(top, stages.size())));
    }

    /**
     * Flink's {@code /jobs/<id>} answer: the job's duration, when it started after the client did ({@code clientStart},
     * epoch ms; client JVM start, graph translation, jar upload) and its vertices' accumulated busy time (summed over
     * subtasks; with {@code --streaming=true} every vertex lives for the whole job, so durations say nothing and busy
     * time is what each one cost), summed by the pipeline's top-level transform (the first name of a vertex's chain:
     * {@code ALS}, {@code Ingest}, {@code Neighbours}, {@code WriteTracks}, …), the {@code top} largest. Flink reports
     * NaN for vertices that measure no busy time (sources); they count as 0.
     */
    static Summary flinkJob(String jobJson, long clientStart, int top) throws IOException {
        JsonNode job = JSON.readTree(jobJson);
        Map<String, double[]> groups = new java.util.LinkedHashMap<>();
        double busyTotal = 0;
        int vertices = 0;
        for (JsonNode v : job.path("vertices")) {
            vertices++;
            JsonNode m = v.path("metrics");
            double busy = finite(m.path("accumulated-busy-time").asDouble(0)) / 1e3;
            double back = finite(m.path("accumulated-backpressured-time").asDouble(0)) / 1e3;
            busyTotal += busy;
            double[] g = groups.computeIfAbsent(transform(v.path("name").asText()), k -> new double[3]);
            g[0] += busy;
            g[1] += back;
            g[2]++;
        }
        List<Item> items = new ArrayList<>();
        for (Map.Entry<String, double[]> g : groups.entrySet()) {
            items.add(new Item(g.getKey(), g.getValue()[0], String.format(Locale.ROOT, "busy, %d vertices; back-pressured %.1f s",
                    (int) g.getValue()[2], g.getValue()[1])));
        }
        long started = job.path("start-time").asLong(-1);
        String submitted = clientStart > 0 && started >= clientStart
                ? String.format(Locale.ROOT, " started %.1f s after the client", (started - clientStart) / 1e3) : "";
        String headline = String.format(Locale.ROOT, "flink: job %s%s, ran %.1f s, %d vertices, busy %.1f s in all (2 slots: "
                        + "at most %.1f s); busy time by transform:", job.path("state").asText(), submitted,
                job.path("duration").asLong() / 1e3, vertices, busyTotal, 2 * job.path("duration").asLong() / 1e3);
        items.sort(Comparator.comparingDouble(Item::seconds).reversed());
        return new Summary(headline, items.subList(0, Math.min(top, items.size())));
    }

    /** The pipeline's top-level transform a vertex belongs to: the first path segment of its chain's first operator. */
    static String transform(String vertexName) {
        String first = vertexName.split(" -> ")[0].replaceFirst("^\\(", "").replaceFirst("^Source: ", "").trim();
        int slash = first.indexOf('/');
        return slash > 0 ? first.substring(0, slash) : first;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    /** The job ids of Flink's {@code /jobs/overview} answer, oldest first. */
    static List<String> flinkJobIds(String overviewJson) throws IOException {
        List<JsonNode> jobs = new ArrayList<>();
        JSON.readTree(overviewJson).path("jobs").forEach(jobs::add);
        jobs.sort(Comparator.comparingLong(j -> j.path("start-time").asLong()));
        return jobs.stream().map(j -> j.path("jid").asText()).toList();
    }

    /** Total length of the union of [start, end] intervals (ms). */
    static long union(List<long[]> intervals) {
        List<long[]> s = new ArrayList<>(intervals);
        s.sort(Comparator.comparingLong(a -> a[0]));
        long total = 0;
        long from = Long.MIN_VALUE;
        long to = Long.MIN_VALUE;
        for (long[] i : s) {
            if (i[0] > to) {
                total += to - from;
                from = i[0];
                to = i[1];
            } else {
                to = Math.max(to, i[1]);
            }
        }
        return total + (to - from);
    }

    private static String shorten(String s, int max) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }
}
