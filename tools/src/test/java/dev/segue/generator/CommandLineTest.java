package dev.segue.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdFiles;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.PlaylistArrayReader;
import dev.segue.format.Submission;
import dev.segue.format.SubmissionFiles;
import dev.segue.format.TruthPlaylist;
import dev.segue.generator.cli.ChallengeCommand;
import dev.segue.generator.cli.GenerateCommand;
import dev.segue.generator.cli.OracleCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The generate, oracle and challenge commands: happy paths and every error path exit with a clear message. */
class CommandLineTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void generateRejectsBadOptionsWithExitCode2() {
        Path out = tmp.resolve("w");
        Run r = run(new GenerateCommand(), "--out", out.toString(), "--preset", "huge");
        assertEquals(2, r.code());
        assertTrue(r.err().lines().findFirst().orElse("").contains("unknown --preset 'huge'"), r.err());
        r = run(new GenerateCommand(), "--out", out.toString(), "--playlists", "5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--playlists must be between 100"), r.err());
        r = run(new GenerateCommand(), "--out", out.toString(), "--playlists", "many");
        assertEquals(2, r.code());
        r = run(new GenerateCommand(), "--preset", "tiny");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--out"), r.err());
        r = run(new GenerateCommand(), "--out", out.toString(), "--playlists", "300", "--per-category", "0");
        assertEquals(2, r.code());
        assertFalse(Files.exists(out), "nothing written on a usage error");
    }

    @Test
    void generateRefusesANonEmptyFolderUnlessForced() throws IOException {
        Path out = tmp.resolve("w");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "keep me");
        Run r = run(new GenerateCommand(), "--out", out.toString(), "--playlists", "200", "--users", "50", "-q");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not empty (use --force"), r.err());
        assertFalse(Files.exists(out.resolve("mpd")));
        Files.createDirectories(out.resolve("mpd"));
        Files.writeString(out.resolve("mpd/mpd.slice.5000-5999.json"), "{}");
        r = run(new GenerateCommand(), "--out", out.toString(), "--playlists", "200", "--users", "50", "--force", "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("mpd.slice.0-199.json"), names(out.resolve("mpd")), "stale slices removed");
        assertEquals("keep me", Files.readString(out.resolve("notes.txt")), "other files are left alone");
        assertTrue(Files.exists(out.resolve("stats.json")));
    }

    @Test
    void generatePrintsStatistics() throws IOException {
        Path out = tmp.resolve("w");
        Run r = run(new GenerateCommand(), "--out", out.toString(), "--playlists", "200", "--users", "50",
                "--per-category", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"unique_normalized_titles\""), r.out());
        assertTrue(r.err().contains("wrote 200 playlists + 20 challenge playlists"), r.err());
        assertEquals(Files.readString(out.resolve("stats.json")).trim(), r.out().trim());
    }

    @Test
    void interruptedRunLeavesNoCompleteLookingFile() throws Exception {
        Path out = tmp.resolve("w");
        WorldSpec spec = new WorldSpec(3, 3000, 5, 100);
        Thread worker = new Thread(() -> {
            try {
                WorldGenerator.generate(new WorldGenerator.Options(out, spec, 1, false, false));
            } catch (IOException | RuntimeException expected) {
                // interrupted on purpose
            }
        });
        worker.start();
        Path mpd = out.resolve("mpd");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && (!Files.isDirectory(mpd) || names(mpd).stream().noneMatch(n -> n.startsWith("mpd.slice")))) {
            Thread.sleep(5);
        }
        worker.interrupt();
        worker.join();
        assertFalse(Files.exists(out.resolve("stats.json")), "the run was interrupted before the end");
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(f.getFileName().toString().endsWith(".tmp"), "temporary file left: " + f);
                if (f.getFileName().toString().endsWith(".json")) {
                    try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(f)) {
                        int n = 0;
                        while (r.next() != null) {
                            n++;
                        }
                        assertEquals(1000, n, "a slice on disk is complete: " + f);
                    }
                }
            }
        }
    }

    @Test
    void challengeBuildsFromSlicesAndKeepsTheRestForTraining() throws IOException {
        Path world = TestWorlds.shared();
        Path out = tmp.resolve("c");
        Run r = run(new ChallengeCommand(), "--mpd", world.resolve("mpd").toString(), "--out", out.toString(),
                "--per-category", "30", "--seed", "5", "-q");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("challenge: 300 playlists"), r.out());
        List<ChallengePlaylist> set = MpdFiles.readChallengeSet(out.resolve("challenge/challenge_set.json"));
        Map<Long, TruthPlaylist> truth = new HashMap<>();
        for (TruthPlaylist t : MpdFiles.readTruthFile(out.resolve("challenge/truth.json"))) {
            truth.put(t.pid(), t);
        }
        assertEquals(300, set.size());
        Set<Long> challengePids = new HashSet<>();
        int[] perCategory = new int[11];
        for (ChallengePlaylist c : set) {
            challengePids.add(c.pid());
            TruthPlaylist t = truth.get(c.pid());
            perCategory[t.category()]++;
            assertEquals(c.category().id(), t.category());
            assertEquals(c.numTracks(), c.numSamples() + c.numHoldouts());
            assertEquals(c.numSamples(), c.tracks().size());
            assertEquals(c.numHoldouts(), t.holdouts().size());
            assertTrue(ChallengeRules.eligible(c.category(), c.numTracks()));
        }
        for (int c = 1; c <= 10; c++) {
            assertEquals(30, perCategory[c]);
        }
        Set<Long> training = new HashSet<>();
        for (Path s : MpdFiles.listSlices(out.resolve("mpd"))) {
            try (PlaylistArrayReader<MpdPlaylist> reader = MpdFiles.readSlice(s)) {
                for (MpdPlaylist p = reader.next(); p != null; p = reader.next()) {
                    assertFalse(challengePids.contains(p.pid()), "challenge playlists left the training slices");
                    training.add(p.pid());
                }
            }
        }
        assertEquals(TestWorlds.SPEC.playlists() - 300, training.size());
        assertEquals(names(world.resolve("mpd")), names(out.resolve("mpd")));
        // Same seed, same selection.
        Path again = tmp.resolve("c2");
        assertEquals(0, run(new ChallengeCommand(), "--mpd", world.resolve("mpd").toString(), "--out", again.toString(),
                "--per-category", "30", "--seed", "5", "-q").code());
        assertEquals(Files.readString(out.resolve("challenge/truth.json")), Files.readString(again.resolve("challenge/truth.json")));
        // The oracle ranks a challenge built from the world's slices too.
        Path submission = tmp.resolve("oracle.csv");
        r = run(new OracleCommand(), "--world", world.toString(), "--challenge", out.resolve("challenge").toString(),
                "--out", submission.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        int lines = 0;
        try (SubmissionFiles.Reader reader = SubmissionFiles.read(submission)) {
            for (Submission s = reader.next(); s != null; s = reader.next()) {
                assertTrue(challengePids.contains(s.pid()));
                assertEquals(Oracle.LIST_LENGTH, s.trackUris().size());
                lines++;
            }
        }
        assertEquals(300, lines);
    }

    @Test
    void challengeNamesTheFileAndPositionOfAMalformedSlice() throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        Path source = TestWorlds.shared().resolve("mpd/mpd.slice.0-999.json");
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        // Line 3 holds the third playlist record (pid 2): break its pid.
        String broken = lines.get(2).replaceFirst("\"pid\":2,", "\"pid\":\"two\",");
        assertFalse(broken.equals(lines.get(2)));
        lines.set(2, broken);
        Files.write(in.resolve("mpd.slice.0-999.json"), lines, StandardCharsets.UTF_8);
        Run r = run(new ChallengeCommand(), "--mpd", in.toString(), "--out", tmp.resolve("o1").toString(),
                "--per-category", "1", "-q");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("mpd.slice.0-999.json:3:"), r.err());
        assertTrue(r.err().contains("pid"), r.err());
        assertFalse(Files.exists(tmp.resolve("o1/challenge/challenge_set.json")));

        String whole = Files.readString(source);
        Files.writeString(in.resolve("mpd.slice.0-999.json"), whole.substring(0, whole.length() / 2));
        r = run(new ChallengeCommand(), "--mpd", in.toString(), "--out", tmp.resolve("o2").toString(),
                "--per-category", "1", "-q");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("mpd.slice.0-999.json:"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void challengeRejectsImpossibleRequests() throws IOException {
        Path world = TestWorlds.shared();
        Run r = run(new ChallengeCommand(), "--mpd", world.resolve("mpd").toString(), "--out",
                tmp.resolve("o").toString(), "--per-category", "5000", "-q");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("qualify for category"), r.err());
        r = run(new ChallengeCommand(), "--mpd", tmp.toString(), "--out", tmp.resolve("o").toString(), "-q");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no mpd.slice"), r.err());
        Path busy = tmp.resolve("busy");
        Files.createDirectories(busy);
        Files.writeString(busy.resolve("x"), "x");
        r = run(new ChallengeCommand(), "--mpd", world.resolve("mpd").toString(), "--out", busy.toString(),
                "--per-category", "2", "-q");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not empty"), r.err());
    }

    @Test
    void oracleRefusesWhatIsNotItsWorld() throws IOException {
        Run r = run(new OracleCommand(), "--world", tmp.toString(), "--out", tmp.resolve("s.csv").toString(), "-q");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a generated world"), r.err());
        Path existing = tmp.resolve("exists.csv");
        Files.writeString(existing, "x");
        r = run(new OracleCommand(), "--world", TestWorlds.shared().toString(), "--out", existing.toString(), "-q");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("exists (use --force"), r.err());
        Path fake = tmp.resolve("fake");
        Files.createDirectories(fake.resolve("truth"));
        String world = Files.readString(TestWorlds.shared().resolve("truth/world.json"));
        Files.writeString(fake.resolve("truth/world.json"), world.replaceFirst("\"seed\" : 7", "\"seed\" : 8"));
        Files.createDirectories(fake.resolve("challenge"));
        for (String f : List.of("challenge_set.json", "truth.json")) {
            Files.copy(TestWorlds.shared().resolve("challenge").resolve(f), fake.resolve("challenge").resolve(f));
        }
        r = run(new OracleCommand(), "--world", fake.toString(), "--out", tmp.resolve("s.csv").toString(), "-q");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("does not match the world"), r.err());
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
