package dev.segue.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.eval.cli.SubmissionCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SubmissionValidatorTest {
    @TempDir
    Path dir;
    TinyWorld world;

    @BeforeEach
    void world() throws Exception {
        world = new TinyWorld(dir.resolve("w"));
    }

    private List<String> lines(int n) {
        List<String> out = new ArrayList<>();
        out.add("team_info,my team,me@example.com");
        for (int i = 0; i < world.challenge.size(); i++) {
            out.add(world.challenge.get(i).pid() + ", " + String.join(", ", world.oracleList(i, n)));
        }
        return out;
    }

    private Path write(List<String> lines) throws Exception {
        Path f = dir.resolve("sub" + lines.hashCode() + ".csv");
        Files.write(f, lines);
        return f;
    }

    @Test
    void aCorrectSubmissionIsValid() throws Exception {
        SubmissionValidator.Result r = new SubmissionValidator().validate(write(lines(500)), world.challenge);
        assertTrue(r.valid(), r.violations().toString());
        assertEquals(20, r.playlistLines());
    }

    @Test
    void everyViolationIsReportedWithItsLine() throws Exception {
        List<String> lines = lines(500);
        String seed = world.challenge.get(2).tracks().get(0).trackUri();
        // line 2 (pid 1000): 499 tracks
        lines.set(1, lines.get(1).substring(0, lines.get(1).lastIndexOf(',')));
        // line 4 (pid 1002): a seed track replaces the last one
        lines.set(3, lines.get(3).substring(0, lines.get(3).lastIndexOf(',')) + ", " + seed);
        // line 5 (pid 1003): a repeated track
        String l5 = lines.get(4);
        String first = l5.split(", ")[1];
        lines.set(4, l5.substring(0, l5.lastIndexOf(',')) + ", " + first);
        // line 6: pid not in the challenge; line 7: pid 1006 instead of 1005, so line 8 repeats it
        lines.set(5, lines.get(5).replaceFirst("^1004", "77"));
        lines.set(6, lines.get(7));
        lines.add(8, "abc, spotify:track:x");
        lines.add(9, "1019, not-a-uri");
        SubmissionValidator.Result r = new SubmissionValidator().validate(write(lines), world.challenge);
        List<String> v = r.violations().stream().map(Object::toString).toList();
        assertTrue(v.contains("line 2: pid 1000 has 499 distinct tracks (499 listed); exactly 500 are required"),
                v.toString());
        assertTrue(v.contains("line 4: pid 1002 includes 1 seed track(s) of the playlist: " + seed), v.toString());
        assertTrue(v.stream().anyMatch(s -> s.startsWith("line 5: pid 1003 repeats 1 track(s): " + first)), v.toString());
        assertTrue(v.contains("line 6: pid 77 is not in the challenge set"), v.toString());
        assertTrue(v.contains("line 8: pid 1006 was already listed on line 7"), v.toString());
        assertTrue(v.contains("line 9: pid is not a number: 'abc'"), v.toString());
        assertTrue(v.contains("line 10: pid 1019 has 1 value(s) that are not track URIs (spotify:track:…): "
                + "not-a-uri"), v.toString());
        assertTrue(v.contains("line 23: pid 1019 was already listed on line 10"), v.toString());
        assertTrue(v.contains("challenge pid 1004 has no line"), v.toString());
        assertTrue(v.contains("challenge pid 1005 has no line"), v.toString());
    }

    @Test
    void missingTeamInfoStopsWithOneViolation() throws Exception {
        List<String> lines = lines(500);
        lines.remove(0);
        SubmissionValidator.Result r = new SubmissionValidator().validate(write(lines), world.challenge);
        assertEquals(1, r.violations().size());
        assertTrue(r.violations().get(0).toString().startsWith("line 1: the first line must be 'team_info"));
    }

    @Test
    void commandPrintsViolationsAndExitCodes() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SubmissionCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        Path good = write(lines(500));
        assertEquals(0, cli.execute("validate", good.toString(), "--challenge", world.challengeFile.toString()));
        assertTrue(out.toString().contains("valid (20 playlists, 500 tracks each)"), out.toString());

        List<String> bad = lines(500);
        bad.remove(3);
        Path badFile = write(bad);
        out.getBuffer().setLength(0);
        assertEquals(1, cli.execute("validate", badFile.toString(), "--challenge", world.challengeFile.toString()));
        assertTrue(out.toString().contains(badFile + ": challenge pid 1002 has no line"), out.toString());
        assertTrue(out.toString().contains("1 violation(s) in 19 playlist line(s)"), out.toString());

        assertEquals(2, cli.execute("validate", dir.resolve("none.csv").toString(), "--challenge",
                world.challengeFile.toString()));
        assertTrue(err.toString().contains("none.csv"), err.toString());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"playlists\": [");
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("validate", good.toString(), "--challenge", broken.toString()));
        assertTrue(err.toString().startsWith("segue submission validate: " + broken + ":1:"), err.toString());
    }
}
