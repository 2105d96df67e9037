package dev.segue.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.eval.report.EvaluationReport;
import dev.segue.eval.report.ReportComparison;
import dev.segue.eval.report.ReportFiles;
import dev.segue.format.Submission;
import dev.segue.format.SubmissionFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationRunTest {
    @TempDir
    Path dir;
    TinyWorld world;

    @BeforeEach
    void world() throws Exception {
        world = new TinyWorld(dir.resolve("world"));
    }

    EvaluationRun.Spec spec(List<String> baselines, List<Path> submissions, Path oracle, Path out, int k) {
        return spec(baselines, submissions, oracle, out, k, false);
    }

    EvaluationRun.Spec spec(List<String> baselines, List<Path> submissions, Path oracle, Path out, int k,
                            boolean charts) {
        return new EvaluationRun.Spec(world.challengeFile, world.truthFile, null, baselines, submissions, oracle,
                world.mpd, null, 5.0, k, 2, 0, Duration.ZERO, out, charts, true, null, null);
    }

    @Test
    void baselinesAndOracleInOneCombinedReport() throws Exception {
        Path oracle = world.writeOracle(dir.resolve("oracle.csv"), 100);
        Path out = dir.resolve("report");
        EvaluationRun.Outcome outcome = EvaluationRun.run(spec(List.of("all"), List.of(), oracle, out, 100, true));
        assertTrue(outcome.complete());
        EvaluationReport r = outcome.report();
        assertEquals(List.of("popular", "similar-playlist", "popular-artist", "artist-popularity", "oracle"),
                r.methods().stream().map(EvaluationReport.MethodReport::name).toList());
        assertEquals("oracle", r.oracle());
        EvaluationReport.MethodReport o = r.method("oracle");
        // the oracle lists every held-out track first: perfect scores
        assertEquals(1.0, o.overall().get("r_precision"), 1e-12);
        assertEquals(1.0, o.overall().get("ndcg"), 1e-12);
        assertEquals(0.0, o.overall().get("clicks"), 1e-12);
        assertEquals(1.0, o.ratioToOracle().get("ndcg"), 1e-12);
        EvaluationReport.MethodReport popular = r.method("popular");
        double ndcg = popular.overall().get("ndcg");
        assertTrue(ndcg > 0 && ndcg < 1, "popular NDCG " + ndcg);
        assertEquals(ndcg, popular.ratioToOracle().get("ndcg"), 1e-12);
        assertEquals(2, popular.category(1).playlists());
        assertEquals(20, popular.playlists());
        // files: json, md, charts, one submission per method
        for (String f : List.of("report.json", "report.md", "by-category-ndcg.png", "by-category-clicks.png",
                "metric-vs-k.png", "submissions/popular.csv", "submissions/oracle.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("### 1. title only (2 playlists)"), md);
        assertTrue(md.contains("| popular |"));
        assertTrue(md.contains("NDCG ÷ oracle"));
        // the written submission is exactly what was scored
        try (SubmissionFiles.Reader reader = SubmissionFiles.read(out.resolve("submissions/oracle.csv"))) {
            int lines = 0;
            for (Submission s = reader.next(); s != null; s = reader.next()) {
                int i = (int) (s.pid() - 1000);
                assertEquals(world.oracleList(i, 100), s.trackUris());
                lines++;
            }
            assertEquals(20, lines);
        }
        // report.json reads back
        EvaluationReport back = ReportFiles.read(out);
        assertEquals(r.methods().size(), back.methods().size());
        assertEquals(ndcg, back.method("popular").overall().get("ndcg"), 1e-12);
        assertEquals(List.of(10, 50, 100), back.ks());
    }

    @Test
    void submissionScoredAgainstAnEarlierOracleReport() throws Exception {
        Path oracleCsv = world.writeOracle(dir.resolve("oracle.csv"), 50);
        Path first = dir.resolve("first");
        EvaluationRun.run(spec(List.of("popular"), List.of(), oracleCsv, first, 50));
        Path mine = dir.resolve("mine.csv");
        Files.copy(first.resolve("submissions/popular.csv"), mine);
        Path second = dir.resolve("second");
        EvaluationRun.Outcome o = EvaluationRun.run(spec(List.of(), List.of(mine), first.resolve("report.json"),
                second, 50));
        EvaluationReport r = o.report();
        assertEquals(List.of("mine", "oracle"), r.methods().stream().map(EvaluationReport.MethodReport::name).toList());
        EvaluationReport firstReport = ReportFiles.read(first);
        // the same lists give the same numbers and the same ratio to the oracle
        assertEquals(firstReport.method("popular").overall().get("ndcg"), r.method("mine").overall().get("ndcg"), 1e-12);
        assertEquals(firstReport.method("popular").ratioToOracle().get("ndcg"),
                r.method("mine").ratioToOracle().get("ndcg"), 1e-12);

        ReportComparison cmp = ReportComparison.load(List.of(first, second));
        String md = cmp.markdown();
        assertTrue(md.contains("| first/popular |"), md);
        assertTrue(md.contains("| second/mine |"), md);
        assertThrows(IllegalArgumentException.class, () -> cmp.write(dir.resolve("cmp2"), "nonsense"));

        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new dev.segue.eval.cli.EvaluateCommand());
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(err));
        assertEquals(0, cli.execute("compare", first.toString(), second.toString()), err.toString());
        assertTrue(out.toString().contains("| second/oracle |"), out.toString());
        assertEquals(2, cli.execute("compare", dir.resolve("nowhere").toString()));
        assertTrue(err.toString().contains("nowhere"), err.toString());
        Files.writeString(dir.resolve("bogus.json"), "{\"format\": \"other\"}");
        assertEquals(2, cli.execute("compare", dir.resolve("bogus.json").toString()));
        assertTrue(err.toString().contains("not an evaluation report"), err.toString());
    }

    @Test
    void perPlaylistScoresBordaRankingAndPairedTests() throws Exception {
        Path oracle = world.writeOracle(dir.resolve("oracle.csv"), 50);
        Path a = dir.resolve("a");
        EvaluationReport r = EvaluationRun.run(spec(List.of("popular", "popular-artist"), List.of(), oracle, a, 50))
                .report();
        // one file per method, in the challenge's order, averaging to the report's means
        PlaylistScores popular = PlaylistScores.read(a.resolve("playlists/popular.csv"), "popular");
        assertEquals(20, popular.size());
        assertEquals(1000, popular.pids()[0]);
        for (String key : List.of("r_precision", "ndcg", "clicks", "ndcg_rules", "rp_artist@10")) {
            double mean = java.util.Arrays.stream(popular.column(key)).average().orElseThrow();
            assertEquals(r.method("popular").overall().get(key), mean, 1e-12, key);
        }
        assertTrue(Files.exists(a.resolve("playlists/oracle.csv")));
        // the file round trip keeps every value exactly
        popular.write(dir.resolve("copy.csv"));
        PlaylistScores back = PlaylistScores.read(dir.resolve("copy.csv"), "popular");
        assertArrayEquals(popular.pids(), back.pids());
        assertArrayEquals(popular.categories(), back.categories());
        for (int k = 0; k < popular.keys().size(); k++) {
            assertArrayEquals(popular.values()[k], back.values()[k], popular.keys().get(k));
        }
        String md = Files.readString(a.resolve("report.md"));
        assertTrue(md.contains("## Borda ranking (RecSys Challenge 2018)"), md);
        assertTrue(md.contains("popular vs popular-artist | r_precision | 20 |"), md);
        assertTrue(!md.contains("vs oracle"), "the oracle is no competitor");

        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new dev.segue.eval.cli.EvaluateCommand());
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(err));
        assertEquals(0, cli.execute("compare", a.toString(), "--pair", "popular-artist", "popular", "--resamples",
                "500"), err.toString());
        assertTrue(out.toString().contains("## Paired significance test: popular-artist vs popular"), out.toString());
        assertTrue(out.toString().contains("| 1. title only | ndcg | 2 |"), out.toString());
        assertTrue(out.toString().contains("| 2 | popular"), out.toString());
        assertEquals(2, cli.execute("compare", a.toString(), "--pair", "popular", "nope"));
        assertTrue(err.toString().contains("no method 'nope' in these reports; the methods are: popular, "
                + "popular-artist, oracle"), err.toString());

        // another report whose playlists differ: a paired test is refused, naming the playlists
        Path b = dir.resolve("b");
        EvaluationRun.run(spec(List.of("popular"), List.of(), oracle, b, 50));
        Path csv = b.resolve("playlists/popular.csv");
        Files.writeString(csv, Files.readString(csv).replace("\n1000,", "\n9999,"));
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("compare", a.toString(), b.toString(), "--pair", "a/popular", "b/popular"));
        assertTrue(err.toString().contains("a/popular and b/popular were not scored on the same playlists: 1 only in "
                + "a/popular (pid 1000), 1 only in b/popular (pid 9999)"), err.toString());
        // and a malformed file is named with its line
        Files.writeString(csv, Files.readString(csv).replace("\n9999,", "\nx,"));
        BadInputException e = assertThrows(BadInputException.class, () -> PlaylistScores.read(csv, "popular"));
        assertTrue(e.getMessage().startsWith(csv + ":2: not a number"), e.getMessage());
    }

    @Test
    void compareTellsReportFoldersWithTheSameNameApart() throws Exception {
        Path oracle = world.writeOracle(dir.resolve("oracle.csv"), 50);
        Path a = dir.resolve("a/report");
        Path b = dir.resolve("b/report");
        EvaluationRun.run(spec(List.of("popular"), List.of(), oracle, a, 50));
        EvaluationRun.run(spec(List.of("popular-artist"), List.of(), oracle, b, 50));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new dev.segue.eval.cli.EvaluateCommand());
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(err));
        // the chart's series were named report/popular ... twice: XChart refused the second series
        assertEquals(0, cli.execute("compare", a.toString(), b.toString(), "--out", dir.resolve("cmp").toString()),
                err.toString());
        assertTrue(out.toString().contains("| a/report/popular |"), out.toString());
        assertTrue(out.toString().contains("| b/report/oracle |"), out.toString());
        assertTrue(Files.size(dir.resolve("cmp/compare.png")) > 0);
        // the same folder twice is numbered
        String twice = ReportComparison.load(List.of(a, a)).markdown();
        assertTrue(twice.contains("| report/popular |") && twice.contains("| report#2/popular |"), twice);
    }

    @Test
    void reportShowsStandardErrorsAndClicksAgainstTheOracle() throws Exception {
        Path oracle = world.writeOracle(dir.resolve("oracle.csv"), 100);
        Path out = dir.resolve("report");
        EvaluationReport r = EvaluationRun.run(spec(List.of("popular"), List.of(), oracle, out, 100)).report();
        EvaluationReport.MethodReport popular = r.method("popular");
        // clicks get no ratio to the oracle (its clicks are 0 here, so any ratio is 0): a difference instead
        assertNull(popular.ratioToOracle().get("clicks"));
        double clicks = popular.overall().get("clicks");
        EvaluationReport.CategoryResult title = popular.category(1);
        assertTrue(title.stderr().get("ndcg") >= 0, "per-category standard error");
        assertTrue(popular.overallStderr().get("ndcg") > 0);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("clicks − oracle"), md);
        assertFalse(md.contains("clicks ÷ oracle"), md);
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "%.2f ± %.2f | 0.", clicks,
                popular.overallStderr().get("clicks"))), md);
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "%+.2f |", clicks)), md);
        // per-category standard errors survive report.json
        assertEquals(title.stderr().get("ndcg"), ReportFiles.read(out).method("popular").category(1).stderr()
                .get("ndcg"), 1e-12);
    }

    @Test
    void theMetricDefinitionsTheReportPointsToAreInTheRepository() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent(); // tests run in client/
        assertTrue(Files.isRegularFile(root.resolve(dev.segue.eval.report.MarkdownReport.METRICS_DOC)),
                root.resolve(dev.segue.eval.report.MarkdownReport.METRICS_DOC) + " is missing");
        // every relative link of the client README resolves
        String readme = Files.readString(root.resolve("client/README.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\]\\(([^)#:]+)(#[^)]*)?\\)").matcher(readme);
        int links = 0;
        while (m.find()) {
            assertTrue(Files.exists(root.resolve("client").resolve(m.group(1)).normalize()),
                    "client/README.md links to " + m.group(1) + ", which does not exist");
            links++;
        }
        assertTrue(links > 0);
    }

    @Test
    void submissionMissingPlaylistsIsIncompleteAndListsThem() throws Exception {
        Path partial = dir.resolve("partial.csv");
        try (SubmissionFiles.Writer w = SubmissionFiles.write(partial, "t", "e")) {
            for (int i = 0; i < 18; i++) {
                w.write(world.challenge.get(i).pid(), world.oracleList(i, 10));
            }
            w.commit();
        }
        java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
        EvaluationRun.Spec s = spec(List.of(), List.of(partial), null, dir.resolve("r"), 10);
        EvaluationRun.Outcome o = EvaluationRun.run(new EvaluationRun.Spec(s.challenge(), s.truth(), null,
                s.baselines(), s.submissions(), null, null, null, 5.0, 10, 1, 0, Duration.ZERO, s.out(), false, false,
                new java.io.PrintStream(progress, true), null));
        assertTrue(progress.toString().contains("20 / 20 playlists"), progress.toString());
        assertFalse(o.complete());
        EvaluationReport.MethodReport m = o.report().method("partial");
        assertEquals(2, m.failed());
        assertEquals(List.of(1018L, 1019L), m.failures().stream().map(EvaluationReport.Failure::pid).toList());
        // failed playlists count as empty lists: 18 perfect + 2 zero
        assertEquals(18.0 / 20, m.overall().get("ndcg"), 1e-12);
        assertEquals((18 * 0 + 2 * 51) / 20.0, m.overall().get("clicks"), 1e-12);
        assertNull(m.ratioToOracle());
        assertTrue(Files.readString(dir.resolve("r/report.md")).contains("- pid 1018: pid 1018 is not in partial.csv"));
    }

    @Test
    void submissionForAnotherChallengeIsRejectedWithItsLine() throws Exception {
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "team_info,x,y\n" + world.challenge.get(0).pid() + ", spotify:track:a0t0\n"
                + "99999, spotify:track:a0t1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationRun.run(spec(List.of(), List.of(other), null, dir.resolve("r"), 10)));
        assertTrue(e.getMessage().contains("other.csv:3: pid 99999 is not in the challenge set"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("r/report.json")));
    }

    @Test
    void nothingToEvaluateAndUnknownBaselineAreBadInput() {
        assertThrows(BadInputException.class, () -> EvaluationRun.run(spec(List.of(), List.of(), null, dir, 10)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationRun.run(spec(List.of("populr"), List.of(), null, dir, 10)));
        assertTrue(e.getMessage().contains("unknown baseline 'populr'"), e.getMessage());
        assertTrue(e.getMessage().contains("similar-playlist"));
    }

    @Test
    void commandLineBadInputIsOneLineAndExitCode2() throws Exception {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new dev.segue.eval.cli.EvaluateCommand());
        cli.setErr(new java.io.PrintWriter(err));
        cli.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
        Path badTruth = dir.resolve("truth-bad.json");
        Files.writeString(badTruth, "{\"playlists\": [\n {\"pid\": 1000, \"holdouts\": [\n  {\"pos\": oops}]}]}");
        String[] common = {"--challenge", world.challengeFile.toString(), "--baseline", "popular",
                "--mpd", world.mpd.toString(), "--out", dir.resolve("r").toString(), "--no-progress"};
        assertEquals(2, cli.execute(concat(common, "--truth", badTruth.toString())));
        assertTrue(err.toString().startsWith("segue evaluate: " + badTruth + ":3:"), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute(concat(common, "--truth", dir.resolve("missing.json").toString())));
        assertTrue(err.toString().contains("missing.json: truth file not found"), err.toString());

        err.getBuffer().setLength(0);
        Path badCsv = dir.resolve("bad.csv");
        Files.writeString(badCsv, "team_info,a,b\n1000, spotify:track:x\nnot-a-pid, spotify:track:y\n");
        assertEquals(2, cli.execute("--challenge", world.challengeFile.toString(), "--truth",
                world.truthFile.toString(), "--submission", badCsv.toString(), "--out", dir.resolve("r").toString(),
                "--no-progress"));
        assertTrue(err.toString().startsWith("segue evaluate: " + badCsv + ":3:1: pid is not a number"),
                err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute(concat(common, "--truth", world.truthFile.toString(), "--baseline", "nope")));
        assertTrue(err.toString().contains("unknown baseline 'nope'"), err.toString());
        assertFalse(Files.exists(dir.resolve("r/report.json")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void baselineWithoutItsInputSaysWhatIsMissing() {
        EvaluationRun.Spec noMpd = new EvaluationRun.Spec(world.challengeFile, world.truthFile, null,
                List.of("popular"), List.of(), null, null, null, 5.0, 10, 1, 0, Duration.ZERO, dir.resolve("r"), false,
                false, null, null);
        Exception e = assertThrows(IllegalArgumentException.class, () -> EvaluationRun.run(noMpd));
        assertTrue(e.getMessage().contains("baseline popular needs --mpd DIR"), e.getMessage());
        EvaluationRun.Spec oracleOnly = new EvaluationRun.Spec(world.challengeFile, world.truthFile, null,
                List.of("oracle"), List.of(), null, null, null, 5.0, 10, 1, 0, Duration.ZERO, dir.resolve("r"), false,
                false, null, null);
        e = assertThrows(IllegalArgumentException.class, () -> EvaluationRun.run(oracleOnly));
        assertTrue(e.getMessage().contains("--oracle"), e.getMessage());
        assertNotNull(e);
    }
}
