package dev.segue.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdFiles;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.PlaylistArrayReader;
import dev.segue.format.Submission;
import dev.segue.format.SubmissionFiles;
import dev.segue.format.TruthPlaylist;
import dev.segue.generator.cli.GenerateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The second data shape ({@code --shape drift}) beside the theme model, and gradual churn beside abrupt churn:
 * drifting playlists wander from their first artists, the truth records the walk, the oracle ranks by it and
 * stays the ceiling, and "days since the last play" no longer nearly decides the churn label.
 */
class DriftWorldTest {
    /** The drifting world with gradual churn: same sizes as the shared theme world, another seed. */
    static final WorldSpec SPEC = new WorldSpec(8, 1500, 20, 600).with(WorldShape.DRIFT, ChurnStyle.GRADUAL);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path drift;
    private static Path theme;

    @BeforeAll
    static void worlds() {
        drift = TestWorlds.generate(SPEC, 2);
        theme = TestWorlds.shared();
    }

    @Test
    void worldFileNamesTheShapeAndTheChurnStyle() throws IOException {
        JsonNode w = JSON.readTree(drift.resolve("truth/world.json").toFile());
        assertEquals("drift", w.get("shape").asText());
        assertEquals("gradual", w.get("churn").asText());
        assertTrue(w.get("model").get("playlists").asText().contains("related artists"));
        assertEquals("theme", JSON.readTree(theme.resolve("truth/world.json").toFile()).get("shape").asText());
    }

    @Test
    void theWalkCoversEveryTrackAndLaterTracksWanderFromTheFirstArtists() throws IOException {
        Map<Long, Integer> walkLength = new HashMap<>();
        for (String line : Files.readAllLines(drift.resolve("truth/playlists.jsonl"))) {
            JsonNode node = JSON.readTree(line);
            int n = 0;
            for (JsonNode run : node.get("walk")) {
                assertTrue(run.get(0).asText().startsWith("spotify:artist:"), line);
                n += run.get(1).asInt();
            }
            walkLength.put(node.get("pid").asLong(), n);
        }
        List<MpdPlaylist> playlists = slices(drift);
        for (MpdPlaylist p : playlists) {
            assertEquals(p.numTracks(), walkLength.get(p.pid()), "walk of playlist " + p.pid());
        }
        double drifting = laterTracksByFirstArtists(playlists);
        double themed = laterTracksByFirstArtists(slices(theme));
        assertTrue(drifting < 0.6 * themed, "share of tracks 20+ by an artist of the first five: drift "
                + drifting + " vs theme " + themed);
    }

    @Test
    void titlesSayLessThanInTheThemeWorld() throws IOException {
        // In the theme world most titles name the theme's occasion or genre; in the drifting world three in
        // four are generic, so far fewer distinct normalised titles carry the playlists.
        double drifting = titleShareOfTopTen(slices(drift));
        double themed = titleShareOfTopTen(slices(theme));
        assertTrue(drifting > themed + 0.1, "share of playlists under the ten commonest titles: drift " + drifting
                + " vs theme " + themed);
    }

    @Test
    void theOracleRanksByTheWalkAndBeatsPopularity() throws IOException {
        Path submission = drift.resolveSibling("oracle.csv");
        assertEquals(SPEC.challengePlaylists(), Oracle.run(drift, submission, 2, false));
        Map<String, Integer> popularity = new HashMap<>();
        for (MpdPlaylist p : slices(drift)) {
            for (MpdTrack t : p.tracks()) {
                popularity.merge(t.trackUri(), 1, Integer::sum);
            }
        }
        List<String> byPopularity = new ArrayList<>(popularity.keySet());
        byPopularity.sort((a, b) -> popularity.get(b) - popularity.get(a) != 0 ? popularity.get(b) - popularity.get(a)
                : a.compareTo(b));
        Map<Long, TruthPlaylist> truth = new HashMap<>();
        for (TruthPlaylist t : MpdFiles.readTruthFile(drift.resolve("challenge/truth.json"))) {
            truth.put(t.pid(), t);
        }
        Map<Long, List<String>> oracle = new HashMap<>();
        try (SubmissionFiles.Reader r = SubmissionFiles.read(submission)) {
            for (Submission s = r.next(); s != null; s = r.next()) {
                oracle.put(s.pid(), s.trackUris());
            }
        }
        double oracleFound = 0;
        double popularFound = 0;
        List<ChallengePlaylist> challenge = MpdFiles.readChallengeSet(drift.resolve("challenge/challenge_set.json"));
        for (ChallengePlaylist c : challenge) {
            Set<String> held = new HashSet<>();
            truth.get(c.pid()).holdouts().forEach(h -> held.add(h.trackUri()));
            Set<String> seeds = new HashSet<>();
            c.tracks().forEach(s -> seeds.add(s.trackUri()));
            List<String> list = oracle.get(c.pid());
            assertEquals(Oracle.LIST_LENGTH, new HashSet<>(list).size(), "500 distinct tracks");
            assertTrue(list.stream().noneMatch(seeds::contains), "seeds excluded");
            oracleFound += found(list, held);
            popularFound += found(byPopularity.stream().filter(t -> !seeds.contains(t)).toList(), held);
        }
        assertTrue(oracleFound > 3 * popularFound, "held-out tracks in the first |holdouts|: oracle "
                + oracleFound / challenge.size() + " vs most popular " + popularFound / challenge.size());
    }

    @Test
    void gradualChurnIsFarHarderToTellFromTheLastPlayThanAbruptChurn() throws IOException {
        double abrupt = daysSinceLastPlayAuroc(theme);
        double gradual = daysSinceLastPlayAuroc(drift);
        assertTrue(abrupt > 0.95, "abrupt churn: AUROC of days since the last play " + abrupt);
        assertTrue(gradual < abrupt - 0.08 && gradual > 0.6, "gradual churn: AUROC of days since the last play "
                + gradual + " (abrupt " + abrupt + ")");
    }

    @Test
    void gradualChurnersStillStopBeforeTheLabelWindowAndActivesStillPlayInIt() throws IOException {
        LocalDate labelStart = LogSimulator.FIRST_DAY.plusDays(LogSimulator.LABEL_WINDOW_START);
        Map<String, LocalDate> last = lastPlay(drift);
        int paused = 0;
        for (List<String> u : LogsAndAudioTest.rows(drift.resolve("truth/users.csv"))) {
            LocalDate l = last.get(u.get(0));
            if (u.get(1).equals("churner")) {
                assertTrue(l.isBefore(labelStart), "churner " + u.get(0) + " played on " + l);
            } else if (u.get(1).equals("active")) {
                assertTrue(!l.isBefore(labelStart), "active listener " + u.get(0) + " last seen " + l);
            }
        }
        // active listeners who pause: no play in the last week of the feature window
        Map<String, Boolean> playedLastWeek = new HashMap<>();
        for (List<String> p : LogsAndAudioTest.rows(drift.resolve("logs/play.csv"))) {
            long day = LocalDate.parse(p.get(9)).toEpochDay() - labelStart.toEpochDay();
            playedLastWeek.merge(p.get(0), day >= -7 && day < 0, Boolean::logicalOr);
        }
        int actives = 0;
        for (List<String> u : LogsAndAudioTest.rows(drift.resolve("truth/users.csv"))) {
            if (u.get(1).equals("active")) {
                actives++;
                paused += playedLastWeek.getOrDefault(u.get(0), false) ? 0 : 1;
            }
        }
        assertTrue(paused > 0.15 * actives, paused + " of " + actives + " active listeners paused in the last week");
    }

    @Test
    void badShapeOrChurnStyleIsAUsageError() {
        Path out = drift.resolveSibling("bad");
        CommandLineTest.Run r = CommandLineTest.run(new GenerateCommand(), "--out", out.toString(), "--shape", "wander");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown playlist shape 'wander' (choose theme or drift)"), r.err());
        r = CommandLineTest.run(new GenerateCommand(), "--out", out.toString(), "--churn", "slow");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown churn style 'slow' (choose abrupt or gradual)"), r.err());
        assertTrue(!Files.exists(out), "nothing written on a usage error");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    static List<MpdPlaylist> slices(Path world) throws IOException {
        List<MpdPlaylist> out = new ArrayList<>();
        for (Path s : MpdFiles.listSlices(world.resolve("mpd"))) {
            try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(s)) {
                for (MpdPlaylist p = r.next(); p != null; p = r.next()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Among playlists of 30+ tracks: the share of tracks at positions 20+ by an artist of the first five. */
    private static double laterTracksByFirstArtists(List<MpdPlaylist> playlists) {
        long later = 0;
        long same = 0;
        for (MpdPlaylist p : playlists) {
            if (p.tracks().size() < 30) {
                continue;
            }
            Set<String> first = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                first.add(p.tracks().get(i).artistUri());
            }
            for (int i = 20; i < p.tracks().size(); i++) {
                later++;
                same += first.contains(p.tracks().get(i).artistUri()) ? 1 : 0;
            }
        }
        return same / (double) later;
    }

    private static double titleShareOfTopTen(List<MpdPlaylist> playlists) {
        Map<String, Integer> counts = new HashMap<>();
        for (MpdPlaylist p : playlists) {
            counts.merge(dev.segue.format.TitleNormalizer.normalize(p.name()), 1, Integer::sum);
        }
        return counts.values().stream().sorted((a, b) -> b - a).limit(10).mapToInt(Integer::intValue).sum()
                / (double) playlists.size();
    }

    private static double found(List<String> list, Set<String> held) {
        int hits = 0;
        for (String u : list.subList(0, Math.min(held.size(), list.size()))) {
            hits += held.contains(u) ? 1 : 0;
        }
        return hits / (double) held.size();
    }

    private static Map<String, LocalDate> lastPlay(Path world) throws IOException {
        Map<String, LocalDate> last = new HashMap<>();
        for (List<String> p : LogsAndAudioTest.rows(world.resolve("logs/play.csv"))) {
            last.merge(p.get(0), LocalDate.parse(p.get(9)), (a, b) -> a.isAfter(b) ? a : b);
        }
        return last;
    }

    /**
     * AUROC of "days since the last play before the label window" for the churn label (churners against active
     * listeners), counting ties as half: the single feature study 003's models lean on.
     */
    private static double daysSinceLastPlayAuroc(Path world) throws IOException {
        LocalDate labelStart = LogSimulator.FIRST_DAY.plusDays(LogSimulator.LABEL_WINDOW_START);
        Map<String, LocalDate> lastBefore = new HashMap<>();
        for (List<String> p : LogsAndAudioTest.rows(world.resolve("logs/play.csv"))) {
            LocalDate d = LocalDate.parse(p.get(9));
            if (d.isBefore(labelStart)) {
                lastBefore.merge(p.get(0), d, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        List<Long> churners = new ArrayList<>();
        List<Long> actives = new ArrayList<>();
        for (List<String> u : LogsAndAudioTest.rows(world.resolve("truth/users.csv"))) {
            LocalDate l = lastBefore.get(u.get(0));
            if (l == null) {
                continue;
            }
            long days = labelStart.toEpochDay() - l.toEpochDay();
            if (u.get(1).equals("churner")) {
                churners.add(days);
            } else if (u.get(1).equals("active")) {
                actives.add(days);
            }
        }
        double wins = 0;
        for (long c : churners) {
            for (long a : actives) {
                wins += c > a ? 1 : c == a ? 0.5 : 0;
            }
        }
        return wins / ((double) churners.size() * actives.size());
    }
}
