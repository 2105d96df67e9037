package dev.segue.generator;

import static dev.segue.generator.RealismTest.assertBetween;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Listening logs (study 003) and audio features (study 004) of a generated world. */
class LogsAndAudioTest {
    private static final LocalDate LABEL_START = LogSimulator.FIRST_DAY.plusDays(LogSimulator.LABEL_WINDOW_START);
    private static final LocalDate LAST = LogSimulator.FIRST_DAY.plusDays(LogSimulator.DAYS - 1);
    private static List<List<String>> plays;
    private static Map<String, List<String>> users;
    private static Set<String> catalogIds;

    @BeforeAll
    static void load() throws IOException {
        Path world = TestWorlds.shared();
        plays = rows(world.resolve("logs/play.csv"));
        users = new HashMap<>();
        for (List<String> u : rows(world.resolve("truth/users.csv"))) {
            users.put(u.get(0), u);
        }
        catalogIds = new HashSet<>();
        for (List<String> a : rows(world.resolve("audio/tracks.csv"))) {
            catalogIds.add(a.get(0));
        }
    }

    static List<List<String>> rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<List<String>> out = new ArrayList<>(lines.size());
        for (String line : lines.subList(1, lines.size())) {
            out.add(CsvSplit.split(line));
        }
        return out;
    }

    @Test
    void everyListenerIsInTheTruthAndSongsAreCatalogTracks() {
        assertEquals(TestWorlds.SPEC.users(), users.size());
        for (List<String> p : plays) {
            assertTrue(users.containsKey(p.get(0)), "uid " + p.get(0));
            assertTrue(p.get(2).isEmpty() || catalogIds.contains(p.get(2)), "song_id " + p.get(2));
            LocalDate d = LocalDate.parse(p.get(9));
            assertTrue(!d.isBefore(LogSimulator.FIRST_DAY) && !d.isAfter(LAST), "44-day window: " + d);
            assertTrue(Set.of("ar", "ip").contains(p.get(1)));
        }
    }

    @Test
    void churnersFadeOutBeforeTheLabelWindowAndActiveListenersStay() {
        Map<String, LocalDate> last = new HashMap<>();
        for (List<String> p : plays) {
            LocalDate d = LocalDate.parse(p.get(9));
            last.merge(p.get(0), d, (a, b) -> a.isAfter(b) ? a : b);
        }
        int churners = 0;
        int active = 0;
        for (List<String> u : users.values()) {
            LocalDate l = last.get(u.get(0));
            if (u.get(1).equals("churner")) {
                churners++;
                assertTrue(l.isBefore(LABEL_START), "churner " + u.get(0) + " played on " + l);
                assertEquals("1", u.get(2));
            } else if (u.get(1).equals("active")) {
                active++;
                assertTrue(!l.isBefore(LABEL_START), "active listener " + u.get(0) + " last seen " + l);
                assertEquals("0", u.get(2));
            }
        }
        assertBetween("churn share among labelled", churners / (double) (churners + active), 0.45, 0.75);
        // Fading: churners play less in their last active week than in their first.
        long early = 0;
        long late = 0;
        Map<String, LocalDate> first = new HashMap<>();
        for (List<String> p : plays) {
            first.merge(p.get(0), LocalDate.parse(p.get(9)), (a, b) -> a.isBefore(b) ? a : b);
        }
        for (List<String> p : plays) {
            List<String> u = users.get(p.get(0));
            if (!u.get(1).equals("churner")) {
                continue;
            }
            LocalDate d = LocalDate.parse(p.get(9));
            LocalDate f = first.get(p.get(0));
            LocalDate l = last.get(p.get(0));
            if (l.toEpochDay() - f.toEpochDay() < 14) {
                continue;
            }
            if (d.toEpochDay() - f.toEpochDay() < 7) {
                early++;
            } else if (l.toEpochDay() - d.toEpochDay() < 7) {
                late++;
            }
        }
        assertTrue(late < 0.8 * early, "churners fade: last week " + late + " vs first week " + early);
    }

    @Test
    void logsCarryTheDirtStudy003Cleans() {
        Map<String, Integer> perUser = new HashMap<>();
        int missingAll = 0;
        int zeroLength = 0;
        int negativeLength = 0;
        int missingPlayTime = 0;
        int negativePlayTime = 0;
        int hugePlayTime = 0;
        for (List<String> p : plays) {
            perUser.merge(p.get(0), 1, Integer::sum);
            if (p.get(7).isEmpty()) {
                assertTrue(p.get(2).isEmpty() && p.get(6).isEmpty(), "missing song_length comes with missing id and play_time");
                missingAll++;
                continue;
            }
            int length = Integer.parseInt(p.get(7));
            zeroLength += length == 0 ? 1 : 0;
            negativeLength += length < 0 ? 1 : 0;
            if (p.get(6).isEmpty()) {
                missingPlayTime++;
            } else {
                double t = Double.parseDouble(p.get(6));
                negativePlayTime += t < 0 ? 1 : 0;
                hugePlayTime += t > 100_000 ? 1 : 0;
            }
        }
        assertTrue(missingAll > 0 && zeroLength > 0 && negativeLength > 0, "song_length dirt");
        assertTrue(missingPlayTime > 0 && negativePlayTime > 0 && hugePlayTime > 0, "play_time dirt");
        int[] counts = perUser.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        int median = counts[counts.length / 2];
        long bots = users.values().stream().filter(u -> u.get(1).equals("bot")).count();
        assertTrue(bots >= 1);
        for (List<String> u : users.values()) {
            if (u.get(1).equals("bot")) {
                assertTrue(perUser.get(u.get(0)) > 50 * median, "bot-like record count");
            }
        }
    }

    @Test
    void audioFeaturesAreDrawnPerGenre() throws IOException {
        List<List<String>> audio = rows(TestWorlds.shared().resolve("audio/tracks.csv"));
        List<List<String>> truth = rows(TestWorlds.shared().resolve("truth/tracks.csv"));
        assertEquals(audio.size(), truth.size());
        Set<String> labels = new HashSet<>();
        Map<String, String> broadOf = new HashMap<>();
        int unlabelled = 0;
        Map<String, double[]> acoustic = new HashMap<>();
        for (int i = 0; i < audio.size(); i++) {
            List<String> a = audio.get(i);
            List<String> t = truth.get(i);
            assertEquals(a.get(0), t.get(0));
            String label = a.get(14);
            if (label.isEmpty()) {
                unlabelled++;
            } else {
                labels.add(label);
                assertEquals(t.get(4), label, "top genre is the artist's genre");
            }
            broadOf.put(t.get(2), t.get(3));
            acoustic.computeIfAbsent(t.get(3), k -> new double[2]);
            acoustic.get(t.get(3))[0] += Integer.parseInt(a.get(11));
            acoustic.get(t.get(3))[1]++;
            int year = Integer.parseInt(a.get(3));
            assertTrue(year >= 1950 && year <= 2017);
            int pop = Integer.parseInt(a.get(13));
            assertTrue(pop >= 0 && pop <= 100);
        }
        assertTrue(labels.size() >= 40, "dozens of fine labels: " + labels.size());
        assertEquals(10, new HashSet<>(broadOf.values()).size(), "about ten broad genres");
        assertBetween("unlabelled share", unlabelled / (double) audio.size(), 0.07, 0.13);
        double standards = acoustic.get("adult standards")[0] / acoustic.get("adult standards")[1];
        double dance = acoustic.get("dance")[0] / acoustic.get("dance")[1];
        assertTrue(standards > dance + 30, "acousticness separates genres: " + standards + " vs " + dance);
    }
}
