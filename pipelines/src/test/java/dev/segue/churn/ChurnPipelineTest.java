package dev.segue.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the churn pipeline on the DirectRunner over small dirty logs and checks every output against the
 * plain-Java {@link ChurnReference}: counts, labels and devices exactly, real-valued features to within
 * 1e-9 relative (sums may be added in a different order), cleaning thresholds exactly.
 */
class ChurnPipelineTest {
    static final double TOLERANCE = 1e-9;
    static final List<LocalDate> SNAPSHOTS = List.of(LocalDate.of(2017, 4, 21), TinyLogs.SNAPSHOT);

    @TempDir
    static Path dir;
    static ChurnRunReport report;
    static ChurnReference ref;
    static Path store;

    @BeforeAll
    static void run() throws Exception {
        Path logs = dir.resolve("logs");
        TinyLogs.write(logs, 1200, 7);
        store = dir.resolve("store");
        ChurnOptions o = PipelineOptionsFactory.fromArgs(args("--logs=" + logs, "--store=" + store,
                "--snapshots=2017-04-21,2017-04-28", "--userShards=5", "--splitBytes=65536",
                "--reportDir=" + dir.resolve("report"))).as(ChurnOptions.class);
        long t0 = System.nanoTime();
        report = ChurnPipeline.run(o);
        long t1 = System.nanoTime();
        ref = ChurnReference.compute(logs, SNAPSHOTS, 30, 14);
        System.out.printf("pipeline %.1f s, reference %.1f s%n", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
    }

    @Test
    void featuresEqualTheReference() throws Exception {
        assertTrue(assertFeaturesEqual(store, ref) > 30_000);
    }

    /** Every feature row equals the reference's; returns the number of values compared. */
    static int assertFeaturesEqual(Path store, ChurnReference ref) {
        Table t = readAll(store, ChurnSchemas.FEATURES);
        assertEquals(ref.features.size(), t.rows(), "feature rows");
        long[] uid = t.longs(ChurnSchemas.UID);
        String[] dates = t.strings(ChurnSchemas.WINDOW_END_DATE);
        long[] stamps = t.timestamps(ChurnSchemas.WINDOW_END);
        String[] device = t.strings(ChurnSchemas.DEVICE);
        int checked = 0;
        for (int r = 0; r < t.rows(); r++) {
            String key = uid[r] + "@" + dates[r];
            ChurnReference.Features want = ref.features.get(key);
            assertNotNull(want, "unexpected feature row " + key);
            assertEquals(LogDates.closeMicros((int) LocalDate.parse(dates[r]).toEpochDay()), stamps[r]);
            assertEquals(want.device(), device[r], key + " device");
            for (int f = 0; f < ChurnFeatures.COUNT; f++) {
                String name = ChurnFeatures.NAMES.get(f);
                double got = ChurnFeatures.isCount(f) ? t.ints(name)[r] : t.doubles(name)[r];
                double w = want.values()[f];
                assertTrue(Math.abs(got - w) <= TOLERANCE * Math.max(1, Math.abs(w)),
                        key + " " + name + ": pipeline " + got + ", reference " + w);
                checked++;
            }
        }
        return checked;
    }

    @Test
    void labelsEqualTheReference() throws Exception {
        Table t = readAll(ChurnSchemas.LABELS);
        assertLabelsEqual(t, ref);
        int churned = 0;
        for (int v : t.ints(ChurnSchemas.CHURN)) {
            churned += v;
        }
        assertTrue(churned > 100 && churned < t.rows() - 100, "both classes present: " + churned + "/" + t.rows());
    }

    static void assertLabelsEqual(Table t, ChurnReference ref) {
        assertEquals(ref.labels.size(), t.rows());
        long[] uid = t.longs(ChurnSchemas.UID);
        String[] dates = t.strings(ChurnSchemas.WINDOW_END_DATE);
        int[] churn = t.ints(ChurnSchemas.CHURN);
        long[] labelTime = t.timestamps(ChurnSchemas.LABEL_TIME);
        for (int r = 0; r < t.rows(); r++) {
            String key = uid[r] + "@" + dates[r];
            assertEquals(ref.labels.get(key), churn[r], key);
            int end = (int) LocalDate.parse(dates[r]).toEpochDay();
            assertEquals(LogDates.closeMicros(end + 14), labelTime[r]);
        }
    }

    @Test
    void ratingsEqualTheReference() throws Exception {
        Table t = readAll(ChurnSchemas.RATINGS);
        assertEquals(ref.ratings.size(), t.rows());
        long[] uid = t.longs(ChurnSchemas.UID);
        String[] song = t.strings(ChurnSchemas.SONG_ID);
        double[] rating = t.doubles(ChurnSchemas.RATING);
        int[] plays = t.ints(ChurnSchemas.PLAYS);
        boolean[] dl = t.bools(ChurnSchemas.DOWNLOADED);
        for (int r = 0; r < t.rows(); r++) {
            ChurnReference.Rating want = ref.ratings.get(uid[r] + "|" + song[r]);
            assertNotNull(want, uid[r] + "|" + song[r]);
            assertEquals(want.rating(), rating[r], TOLERANCE);
            assertEquals(want.plays(), plays[r]);
            assertEquals(want.downloaded(), dl[r]);
        }
    }

    @Test
    void cleaningThresholdsAndCountsEqualTheReference() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(dir.resolve("report/cleaning.json").toFile());
        JsonNode snaps = doc.get("snapshots");
        assertEquals(2, snaps.size());
        for (JsonNode s : snaps) {
            LocalDate t = LocalDate.parse(s.get("window_end").asText());
            ChurnReference.Thresholds want = ref.thresholds.get(t);
            assertEquals(Long.toString(want.maxRecords()), s.get("bot_max_records").asText());
            assertEquals(want.songLengthMax(), Double.parseDouble(s.get("song_length_p999").asText()));
            assertEquals(want.songLengthMean(), Double.parseDouble(s.get("song_length_mean").asText()));
            assertEquals(want.playTimeMax(), Double.parseDouble(s.get("play_time_p999").asText()));
            assertEquals(want.playTimeMean(), Double.parseDouble(s.get("play_time_mean").asText()));
            assertEquals(ref.bots.get(t), report.counters().getOrDefault("clean.bot_users@" + t, 0L));
        }
        Map<String, Long> c = report.counters();
        assertEquals(1L, c.get("clean.bot_users@2017-04-28"), "the planted bot");
        for (String rule : List.of("clean.song_length_missing_dropped", "clean.song_length_outlier_dropped",
                "clean.song_length_nonpositive_replaced", "clean.play_time_missing_replaced",
                "clean.play_time_negative_replaced", "clean.play_time_outlier_dropped")) {
            assertTrue(c.getOrDefault(rule + "@2017-04-28", 0L) > 0, rule + " had an effect: " + c);
        }
    }

    @Test
    void everyLineIsAnEventOrADeadLetter() throws Exception {
        Map<String, Long> c = report.counters();
        assertEquals(c.get("lines.read"), report.events() + report.deadLetters());
        Map<DeadLetter.Reason, Long> want = new HashMap<>(ref.dead);
        assertEquals(TinyLogs.MALFORMED, want.get(DeadLetter.Reason.MALFORMED_LINE));
        assertEquals(TinyLogs.BAD_NUMBER, want.get(DeadLetter.Reason.BAD_NUMBER));
        assertEquals(TinyLogs.BAD_DATE, want.get(DeadLetter.Reason.BAD_DATE));
        assertEquals(TinyLogs.MISSING, want.get(DeadLetter.Reason.MISSING_FIELD));
        assertEquals(TinyLogs.OUTSIDE, want.get(DeadLetter.Reason.OUTSIDE_WINDOWS));
        for (DeadLetter.Reason r : DeadLetter.Reason.values()) {
            assertEquals(want.getOrDefault(r, 0L), c.getOrDefault(r.counterName(), 0L), r.name());
        }
        List<String> lines = Files.readAllLines(dir.resolve("report/dead-letters.csv"));
        assertEquals(DeadLetter.HEADER, lines.get(0));
        assertEquals(report.deadLetters(), lines.size() - 1);
        assertTrue(lines.stream().anyMatch(l -> l.contains("play.csv") && l.contains("BAD_NUMBER")
                && l.contains("play_time") && l.contains("abc")), String.join("\n", lines));
        assertEquals(ref.events.size(), report.events());
    }

    @Test
    void edgeCaseUsers() throws Exception {
        Map<String, Integer> rows = new HashMap<>();
        Table t = readAll(ChurnSchemas.FEATURES);
        long[] uid = t.longs(ChurnSchemas.UID);
        String[] dates = t.strings(ChurnSchemas.WINDOW_END_DATE);
        for (int r = 0; r < t.rows(); r++) {
            rows.put(uid[r] + "@" + dates[r], r);
        }
        // only searches: no plays, so A1/B are 0 and the P and D recency is the window length
        int s = rows.get("200000001@2017-04-28");
        assertEquals(0.0, t.doubles("time_pct_0_20")[s]);
        assertEquals(0.0, t.doubles("avg_play_time")[s]);
        assertEquals(30, t.ints("days_since_last_P")[s]);
        assertEquals(1, t.ints("days_since_last_S")[s]);
        assertEquals(2, t.ints("freq_S_last_14")[s]);
        assertEquals(1, t.ints("freq_S_last_7")[s]);
        assertEquals(0.5, t.doubles("S_7d_over_30d")[s]);
        assertEquals(0.0, t.doubles("P_7d_over_30d")[s]);
        assertEquals("ip", t.strings(ChurnSchemas.DEVICE)[s]);
        // active only on the window end date
        int e = rows.get("200000002@2017-04-28");
        assertEquals(0, t.ints("days_since_last_P")[e]);
        assertEquals(1, t.ints("freq_P_last_1")[e]);
        assertEquals(1, t.ints("freq_D_last_1")[e]);
        assertEquals(1.0, t.doubles("P_7d_over_30d")[e]);
        assertEquals(1.0, t.doubles("time_pct_60_80")[e]);
        assertEquals(150.0, t.doubles("total_play_time")[e]);
        assertFalse(rows.containsKey("200000002@2017-04-21"), "no events in the earlier window");
        // active only in the label window: ignored
        assertFalse(rows.containsKey("200000003@2017-04-28"));
        // one ar and one ip event (the third has no device): the tie goes to ip
        assertEquals("ip", t.strings(ChurnSchemas.DEVICE)[rows.get("200000004@2017-04-28")]);
    }

    @Test
    void trainingOnThePipelineOutputRecoversChurn() throws Exception {
        Path out = dir.resolve("train");
        ChurnTraining.Result r = ChurnTraining.run(new ChurnTraining.Options(store, LocalDate.of(2017, 5, 12), 0.3, 1,
                10, 20, out));
        assertEquals(ref.labels.size(), r.examples(), "users x label dates of both snapshots");
        assertEquals(List.of("2017-04-21", "2017-04-28"), r.labelDates());
        assertEquals(0, r.unmatched());
        for (ChurnTraining.ModelResult m : r.models()) {
            assertTrue(m.metrics().get("auroc") >= 0.85, m.model() + " " + m.metrics());
            assertEquals(10, m.topFeatures().size());
        }
        assertEquals(List.of("logistic_regression", "random_forest", "gradient_boosted_trees"),
                r.models().stream().map(ChurnTraining.ModelResult::model).toList());
        assertTrue(Files.readString(out.resolve("churn-summary.md")).contains("gradient_boosted_trees"));
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("churn-metrics.json").toFile());
        assertEquals(3, metrics.get("models").size());
        // a label is known only once its label window closed: as of 2017-05-05 only the first snapshot counts
        ChurnTraining.Result early = ChurnTraining.run(new ChurnTraining.Options(store, LocalDate.of(2017, 5, 5), 0.3, 1,
                5, 5, dir.resolve("train-early")));
        assertEquals(List.of("2017-04-21"), early.labelDates());
        IllegalArgumentException none = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ChurnTraining.run(new ChurnTraining.Options(store, LocalDate.of(2017, 5, 4), 0.3, 1, 5, 5,
                        dir.resolve("train-none"))));
        assertTrue(none.getMessage().contains("2017-04-21"), none.getMessage());
    }

    /**
     * No --snapshots: one stray far-future line (2017-07-01, seven weeks after the logs end on 2017-05-12) must
     * not move the default window. The snapshot is the real one, 2017-04-28 (label window ending 2017-05-12),
     * features and labels equal the reference's for it, and that line is the only AFTER_LAST_WINDOW dead letter.
     */
    @Test
    void defaultSnapshotIgnoresAStrayFarFutureDate() throws Exception {
        DefaultPlanRun run = DefaultPlanRun.get();
        Path st = run.store;
        ChurnRunReport r = run.result;
        ChurnReference want = ChurnReference.compute(run.logs, List.of(TinyLogs.SNAPSHOT), 30, 14, true);

        JsonNode cleaning = new ObjectMapper().readTree(run.report.resolve("cleaning.json").toFile());
        assertEquals(1, cleaning.get("snapshots").size());
        assertEquals(TinyLogs.SNAPSHOT.toString(), cleaning.get("snapshots").get(0).get("window_end").asText());
        assertEquals("2017-07-01", cleaning.get("log_last_date").asText());
        assertTrue(cleaning.get("plan").asText().contains("ends on 2017-05-12"), cleaning.toString());

        assertTrue(assertFeaturesEqual(st, want) > 5_000);
        assertLabelsEqual(readAll(st, ChurnSchemas.LABELS), want);
        Map<String, Long> c = r.counters();
        assertEquals(1L, c.get("deadletter.after_last_window"), c.toString());
        assertEquals(1L, c.get("deadletter.outside_windows"), "the 2016-01-01 line: " + c);
        for (DeadLetter.Reason reason : DeadLetter.Reason.values()) {
            assertEquals(want.dead.getOrDefault(reason, 0L), c.getOrDefault(reason.counterName(), 0L), reason.name());
        }
        assertEquals(c.get("lines.read"), r.events() + r.deadLetters());
        List<String> late = Files.readAllLines(run.report.resolve("dead-letters.csv")).stream()
                .filter(l -> l.contains(",AFTER_LAST_WINDOW,")).toList();
        assertEquals(1, late.size(), late.toString());
        assertTrue(late.get(0).contains(TinyLogs.STRAY_LATE) && late.get(0).contains("after the last window"),
                late.get(0));
    }

    /** Pipeline arguments plus the DirectRunner settings every test uses (two workers, no per-element checks). */
    static String[] args(String... own) {
        List<String> a = new java.util.ArrayList<>(List.of(own));
        a.addAll(List.of("--targetParallelism=2", "--enforceImmutability=false", "--enforceEncodability=false"));
        return a.toArray(new String[0]);
    }

    static Table readAll(String name) {
        return readAll(store, name);
    }

    static Table readAll(Path store, String name) {
        try (FeatureSetReader r = FeatureStore.open(store).read(name)) {
            return r.readAll(List.of());
        }
    }
}
