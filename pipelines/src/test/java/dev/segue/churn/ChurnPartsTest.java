package dev.segue.churn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.churn.cli.ChurnPipelineCommand;
import dev.segue.math.ScoreHeap;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The building blocks of the churn pipeline, without Beam. */
class ChurnPartsTest {
    @TempDir
    Path dir;

    @Test
    void csvFieldsHandleQuotesMissingValuesAndBadNumbers() {
        CsvFields f = new CsvFields(8);
        assertEquals(4, f.split("1,\"a, \"\"b\"\"\",nan, 12.5 "));
        assertEquals("a, \"b\"", f.text(1));
        assertTrue(f.isMissing(2));
        assertTrue(Double.isNaN(f.number(2)));
        assertEquals(12.5, f.number(3));
        assertEquals(3, f.split("-7,,x"));
        assertEquals(-7.0, f.number(0));
        assertTrue(f.isMissing(1));
        assertThrows(NumberFormatException.class, () -> f.number(2));
        assertEquals(1, f.split("Infinity"));
        assertThrows(NumberFormatException.class, () -> f.number(0));
        assertEquals(-1, f.split("a,\"open"));
        assertTrue(f.error().contains("unterminated"));
        assertEquals(-1, f.split("\"a\"b,c"));
    }

    @Test
    void datesParseBothStudyFormatsAndRejectNonDates() {
        assertEquals(LocalDate.of(2017, 3, 30).toEpochDay(), LogDates.parse("2017-03-30"));
        assertEquals(LocalDate.of(2017, 3, 30).toEpochDay(), LogDates.parse("20170330"));
        assertThrows(DateTimeException.class, () -> LogDates.parse("2017-02-30"));
        assertThrows(DateTimeException.class, () -> LogDates.parse("30/03/2017"));
        int d = LogDates.parse("2017-04-28");
        assertEquals(d, LogDates.dayClosedAt(LogDates.closeMicros(d)));
    }

    @Test
    void topKGivesTheExactNearestRankPercentile() {
        Random rnd = new Random(5);
        for (int n : new int[] {1, 999, 1000, 1001, 2500, 10_007}) {
            List<Double> values = new ArrayList<>();
            ScoreHeap[] parts = {ScoreHeap.topK(Percentile.topCount999(n)), ScoreHeap.topK(Percentile.topCount999(n))};
            for (int i = 0; i < n; i++) {
                double v = rnd.nextInt(500) + (rnd.nextBoolean() ? 0.25 : 0);
                values.add(v);
                parts[i % 2].offer(0, v);
            }
            parts[0].addAll(parts[1]);
            Collections.sort(values);
            int rank = (int) Math.ceil(new BigDecimal("0.999").multiply(BigDecimal.valueOf(n)).doubleValue());
            assertEquals(values.get(rank - 1), Percentile.kthLargest(parts[0]), "n=" + n);
        }
    }

    @Test
    void exactSumDoesNotDependOnOrder() {
        Random rnd = new Random(9);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            values.add(rnd.nextDouble() * 1e6 - 3e5);
            values.add((double) rnd.nextInt(1000));
        }
        ExactSum a = new ExactSum();
        values.forEach(a::add);
        Collections.shuffle(values, rnd);
        ExactSum b = new ExactSum();
        ExactSum c = new ExactSum();
        for (int i = 0; i < values.size(); i++) {
            (i % 3 == 0 ? b : c).add(values.get(i));
        }
        b.addAll(c);
        assertEquals(0, a.value().compareTo(b.value()));
        assertEquals(ExactSum.mean(a.value(), values.size()), ExactSum.mean(b.value(), values.size()));
        ExactSum big = new ExactSum();
        big.add(8.9e15);
        big.add(8.9e15);
        assertEquals(0, new BigDecimal("1.78E16").compareTo(big.value()));
    }

    @Test
    void eventBlocksSurviveTheirCoder() throws Exception {
        EventBlock b = EventBlock.builder()
                .add("7", LogKind.PLAY, "ar", "s1", 17000, 12.5, Double.NaN)
                .add("8", LogKind.SEARCH, null, null, 17001, Double.NaN, Double.NaN)
                .add("7", LogKind.DOWNLOAD, "ip", "s1", 17002, Double.NaN, Double.NaN)
                .build();
        EventBlock c = org.apache.beam.sdk.util.CoderUtils.clone(EventBlockCoder.of(), b);
        UserEvents x = UserEvents.assemble(List.of(b));
        UserEvents y = UserEvents.assemble(List.of(c));
        assertArrayEquals(x.users, y.users);
        assertArrayEquals(x.kind, y.kind);
        assertArrayEquals(x.date, y.date);
        assertArrayEquals(x.playTime, y.playTime);
        assertArrayEquals(x.songLength, y.songLength);
        assertArrayEquals(x.device, y.device);
        assertArrayEquals(x.devices, y.devices);
        assertArrayEquals(x.song, y.song);
    }

    @Test
    void windowPlanCoversFeatureAndLabelWindows() {
        int t = LogDates.parse("2017-04-28");
        WindowPlan p = new WindowPlan(new int[] {t}, 30, 14);
        assertTrue(p.covers(LogDates.parse("2017-03-30")));
        assertFalse(p.covers(LogDates.parse("2017-03-29")));
        assertTrue(p.covers(LogDates.parse("2017-05-12")));
        assertFalse(p.covers(LogDates.parse("2017-05-13")));
        assertEquals(p, WindowPlan.endingAt(LogDates.parse("2017-05-12"), 30, 14));
        assertThrows(IllegalArgumentException.class, () -> new WindowPlan(new int[] {t, t}, 30, 14));
    }

    @Test
    void theDefaultPlanEndsOnTheLastBusyDayNotOnAStrayDate() {
        int first = LogDates.parse("2017-03-30");
        java.util.Map<Integer, Long> perDay = new java.util.HashMap<>();
        for (int d = 0; d < 44; d++) {
            perDay.put(first + d, d < 30 ? 500L : 300L); // churners stop: later days are quieter
        }
        perDay.put(first + 43, 60L);                       // a partly logged last day: 60 >= 10% of 500
        for (int d = 60; d < 100; d++) {
            perDay.put(first + d, 1L);                     // forty sparse stray days after the logs
        }
        perDay.put(first - 400, 3L);                       // and an early one
        DailyCounts counts = DailyCounts.merge(List.of(DailyCounts.of(perDay), DailyCounts.EMPTY));
        assertEquals(500, counts.typicalDailyCount(), "the stray days do not lower the typical count");
        assertEquals(first + 99, counts.lastDay());
        assertEquals(first + 43, counts.lastBusyDay());
        WindowPlan plan = WindowPlan.fromLogs(counts, 30, 14);
        assertEquals(first + 43 - 14, plan.snapshot(0));
        assertTrue(plan.derived());
        assertTrue(plan.derivation().contains("ends on 2017-05-12"), plan.derivation());
        assertFalse(new WindowPlan(new int[] {first}, 30, 14).derived());
        // the plan's parser: after the last window is its own reason, before the first stays outside
        LogLayout search = LogLayout.fromHeader("search.csv", "uid,device,time_stamp,search_query,date");
        LogLineParser p = new LogLineParser(search, plan);
        assertEquals(DeadLetter.Reason.AFTER_LAST_WINDOW, p.parse("1,ar,1,q,2017-05-13").reason());
        assertEquals(DeadLetter.Reason.OUTSIDE_WINDOWS, p.parse("1,ar,1,q,2017-03-29").reason());
        assertEquals(null, p.parse("1,ar,1,q,2017-05-12"));
        // with explicit snapshots a late date is still OUTSIDE_WINDOWS
        LogLineParser explicit = new LogLineParser(search, new WindowPlan(new int[] {plan.snapshot(0)}, 30, 14));
        assertEquals(DeadLetter.Reason.OUTSIDE_WINDOWS, explicit.parse("1,ar,1,q,2017-05-13").reason());
        // one day only: it is its own typical day; no day at all is a clear error
        assertEquals(first, DailyCounts.of(java.util.Map.of(first, 1L)).lastBusyDay());
        // no day at all: a plan without snapshots, under which every dated line is a dead letter (the cleaning
        // statistics refuse the run once parsing is done)
        WindowPlan none = WindowPlan.fromLogs(DailyCounts.EMPTY, 30, 14);
        assertEquals(0, none.size());
        assertTrue(none.derivation().contains("no line with a valid and plausible date"), none.derivation());
        assertEquals(DeadLetter.Reason.OUTSIDE_WINDOWS, new LogLineParser(search, none).parse("1,ar,1,q,2017-05-12")
                .reason());
    }

    /** Physical bounds are checked when a line is parsed, before windows, percentiles and means. */
    @Test
    void implausibleValuesAreDeadLettersWithTheirReason() {
        int first = (int) java.time.LocalDate.of(2017, 3, 30).toEpochDay();
        WindowPlan plan = new WindowPlan(new int[] {first + 29}, 30, 14);
        LogLineParser search = new LogLineParser(LogLayout.fromHeader("search.csv",
                "uid,device,time_stamp,search_query,date"), plan);
        for (String date : List.of("9999-12-31", "1970-01-01", "0001-01-01", "2100-01-01", "1999-12-31")) {
            LogLineParser.Rejection r = search.parse("1,ar,1,q," + date);
            assertEquals(DeadLetter.Reason.IMPLAUSIBLE, r.reason(), date);
            assertEquals("date " + date + " is outside the plausible 2000-01-01..2099-12-31", r.detail());
            assertFalse(search.dateValid, "an implausible date enters no date range: " + date);
        }
        LogLineParser play = new LogLineParser(LogLayout.fromHeader("play.csv",
                "uid,device,song_id,song_type,song_name,singer,play_time,song_length,paid_flag,date"), plan);
        LogLineParser.Rejection huge = play.parse("1,ar,s,0,n,x,100,99999999999999999999,0,2017-04-10");
        assertEquals(DeadLetter.Reason.IMPLAUSIBLE, huge.reason());
        assertEquals("song_length 1.00000e+20 is above the plausible maximum 86400 s (one day)", huge.detail());
        assertEquals("play_time 86401 is above the plausible maximum 86400 s (one day)",
                play.parse("1,ar,s,0,n,x,86401,200,0,2017-04-10").detail());
        // the bound itself is plausible; zero, negative and missing values stay study 003's cleaning's business
        for (String ok : List.of("86400,86400", "-0.01,200", "100,-1", "100,0", "nan,200", "100,")) {
            assertEquals(null, play.parse("1,ar,s,0,n,x," + ok + ",0,2017-04-10"), ok);
        }
        // a bad number is still a bad number, and a plausible date outside the windows still outside
        assertEquals(DeadLetter.Reason.BAD_NUMBER, play.parse("1,ar,s,0,n,x,1e999,200,0,2017-04-10").reason());
        assertEquals(DeadLetter.Reason.OUTSIDE_WINDOWS, search.parse("1,ar,1,q,2016-01-01").reason());
    }

    @Test
    void ratingsMatrixIsCsrOnBothSides() {
        RatingsMatrix m = RatingsMatrix.of(new long[] {7, 3, 7, 3}, new String[] {"b", "a", "a", "c"},
                new double[] {5, 2, 3.5, 1});
        assertArrayEquals(new long[] {3, 7}, m.userIds());
        assertArrayEquals(new String[] {"a", "b", "c"}, m.songIds());
        assertArrayEquals(new int[] {0, 2, 4}, m.users().rowStart());
        assertArrayEquals(new int[] {0, 2, 0, 1}, m.users().cols());
        assertArrayEquals(new float[] {2, 1, 3.5f, 5}, m.users().values());
        assertArrayEquals(new int[] {0, 2, 3, 4}, m.items().rowStart());
        assertArrayEquals(new int[] {0, 1, 1, 0}, m.items().cols());
        assertThrows(IllegalArgumentException.class,
                () -> RatingsMatrix.of(new long[] {1, 1}, new String[] {"a", "a"}, new double[] {1, 2}));
    }

    @Test
    void binaryMetricsFromScores() {
        String[] y = {"churn", "churn", "active", "active", "churn"};
        double[] score = {0.9, 0.4, 0.6, 0.1, 0.7};
        java.util.Map<String, Double> m = Classifiers.binaryMetrics(y, score, "churn");
        // predicted churn: rows 0, 2, 4 -> tp 2, fp 1, fn 1, tn 1
        assertEquals(3.0 / 5, m.get("accuracy"), 1e-12);
        assertEquals(2.0 / 3, m.get("precision"), 1e-12);
        assertEquals(2.0 / 3, m.get("recall"), 1e-12);
        assertEquals(2.0 / 3, m.get("f1"), 1e-12);
        // pairs (pos, neg) ranked right: (0.9 > 0.6, 0.1), (0.4 > 0.1), (0.7 > 0.6, 0.1) = 5 of 6
        assertEquals(5.0 / 6, m.get("auroc"), 1e-12);
        assertEquals(0.0, Classifiers.binaryMetrics(y, new double[5], "churn").get("precision"));
    }

    @Test
    void boostedTreesLearnAnInteractionALinearModelCannot() {
        // label = x0 XOR x1 (plus a noise column): trees split on both, a linear score cannot rank it
        Random rnd = new Random(3);
        int n = 2000;
        double[][] rows = new double[n][];
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            double a = rnd.nextDouble();
            double b = rnd.nextDouble();
            rows[i] = new double[] {a, b, rnd.nextGaussian()};
            labels[i] = (a > 0.5) ^ (b > 0.5) ? "churn" : "active";
        }
        Classifiers.Matrix all = new Classifiers.Matrix(new String[] {"x0", "x1", "noise"}, rows, labels);
        int[] trainIdx = java.util.stream.IntStream.range(0, 1500).toArray();
        int[] testIdx = java.util.stream.IntStream.range(1500, n).toArray();
        Classifiers.Matrix train = all.subset(trainIdx);
        Classifiers.Matrix test = all.subset(testIdx);
        try (BoostedTrees model = BoostedTrees.train(train, "churn", BoostedTrees.Params.defaults(50, 1))) {
            double[] s = model.scores(test);
            assertEquals(test.size(), s.length);
            assertTrue(Classifiers.binaryMetrics(test.labels(), s, "churn").get("auroc") > 0.95);
            List<java.util.Map.Entry<String, Double>> top = Classifiers.permutationImportance(test,
                    m -> Classifiers.binaryMetrics(m.labels(), model.scores(m), "churn").get("auroc"), 1);
            assertEquals("noise", top.get(2).getKey(), top.toString());
            assertThrows(IllegalArgumentException.class,
                    () -> model.scores(test.columns(new int[] {0, 1})));
        }
        assertThrows(IllegalArgumentException.class, () -> BoostedTrees.Params.defaults(0, 1));
    }

    @Test
    void ratingsAlsOptionsTakeTheCommandValuesAndBeamPassThrough() {
        RatingsAlsOptions o = ChurnPipelineCommand.ratingsOptions(dir, 12, 3, 2.5, 0.5,
                List.of("--userShards=4", "--targetParallelism=2"));
        assertEquals(dir.toAbsolutePath().toString(), o.getStore());
        assertEquals(12, o.getRatingsFactors());
        assertEquals(3, o.getRatingsIterations());
        assertEquals(2.5, o.getRatingsAlpha());
        assertEquals(0.5, o.getRatingsRegularization());
        dev.segue.als.beam.AlsConfig c = RatingsAls.config(o);
        assertEquals(1 + 2.5 * 4, c.wrmf().confidence(4), 1e-12);
        // a 3-row side cut into blocks of 2 keeps global offsets, keys and confidences
        RatingsMatrix m = RatingsMatrix.of(new long[] {7, 3, 7, 9}, new String[] {"b", "a", "a", "c"},
                new double[] {5, 2, 3, 1});
        List<dev.segue.als.beam.RowBlock> blocks = RatingsAls.blocks(m.users(), m.userIds(), 2, c.wrmf());
        assertEquals(2, blocks.size());
        assertEquals(2, blocks.get(1).rowOffset());
        assertArrayEquals(new long[] {9}, blocks.get(1).keys());
        assertArrayEquals(new int[] {0, 1, 3}, blocks.get(0).rowStart());
        assertArrayEquals(new int[] {0, 0, 1}, blocks.get(0).cols());
        assertArrayEquals(new float[] {6, 8.5f, 13.5f}, blocks.get(0).conf());
        assertArrayEquals(new int[] {2}, blocks.get(1).cols());
    }

    @Test
    void theCommandRejectsBadLogFoldersBeforeRunning() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ChurnPipelineCommand.checkLogs(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("not a folder"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChurnPipelineCommand.checkLogs(dir))
                .getMessage().contains("no *.csv"));
        Files.writeString(dir.resolve("odd.csv"), "a,b,c\n1,2,3\n");
        IllegalArgumentException header = assertThrows(IllegalArgumentException.class,
                () -> ChurnPipelineCommand.checkLogs(dir));
        assertTrue(header.getMessage().contains("odd.csv:1"), header.getMessage());
        Files.writeString(dir.resolve("odd.csv"), "uid,device,song_id,play_time,date\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChurnPipelineCommand.checkLogs(dir))
                .getMessage().contains("lacks column 'song_length'"));
    }
}
