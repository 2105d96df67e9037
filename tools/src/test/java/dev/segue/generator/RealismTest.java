package dev.segue.generator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segue.format.MpdFiles;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.PlaylistArrayReader;
import dev.segue.format.TitleNormalizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The realism properties of issue 2, measured on a generated world: statistics within MPD-like bands,
 * artist runs, order drift, popularity bias, and title/theme correlation.
 */
class RealismTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<MpdPlaylist> PLAYLISTS = new ArrayList<>();
    private static final Map<Long, JsonNode> THEMES = new HashMap<>();
    private static final Map<String, Integer> OCCURRENCES = new HashMap<>();

    @BeforeAll
    static void load() throws IOException {
        Path world = TestWorlds.shared();
        for (Path s : MpdFiles.listSlices(world.resolve("mpd"))) {
            try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(s)) {
                for (MpdPlaylist p = r.next(); p != null; p = r.next()) {
                    PLAYLISTS.add(p);
                    for (MpdTrack t : p.tracks()) {
                        OCCURRENCES.merge(t.trackUri(), 1, Integer::sum);
                    }
                }
            }
        }
        try (BufferedReader r = Files.newBufferedReader(world.resolve("truth/playlists.jsonl"))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode n = JSON.readTree(line);
                THEMES.put(n.get("pid").asLong(), n);
            }
        }
    }

    @Test
    void statisticsAreWithinMpdBands() {
        WorldStats stats = new WorldStats();
        PLAYLISTS.forEach(stats::add);
        assertBetween("mean length (MPD 66.3)", stats.meanLength(), 60, 72);
        assertBetween("median length (MPD 49)", stats.lengthPercentile(50), 44, 54);
        assertTrue(stats.minLength() >= 5 && stats.maxLength() <= 250, "lengths 5-250");
        assertTrue(stats.lengthPercentile(99) > 200, "a long tail of long playlists");
        assertBetween("followers <= 3", stats.shareFollowersAtMost3(), 0.8, 0.97);
        assertTrue(stats.uniqueNormalizedTitles() < stats.uniqueTitles(), "normalisation merges titles");
        assertBetween("normalised titles per playlist", stats.uniqueNormalizedTitles() / (double) stats.playlists(), 0.1, 0.6);
        assertTrue(stats.uniqueArtists() < stats.uniqueAlbums() && stats.uniqueAlbums() < stats.uniqueTracks());
    }

    @Test
    void titleHeadIsMpds() {
        WorldStats stats = new WorldStats();
        PLAYLISTS.forEach(stats::add);
        Set<String> top = new HashSet<>();
        stats.topTitles(12).forEach(e -> top.add(e.getKey()));
        Set<String> mpdHead = Set.of("country", "chill", "rap", "workout", "oldies", "christmas", "rock", "party");
        Set<String> common = new HashSet<>(mpdHead);
        common.retainAll(top);
        assertTrue(common.size() >= 6, "MPD's head titles in our top 12: " + top);
    }

    @Test
    void popularityIsHeavyTailed() {
        int[] counts = OCCURRENCES.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        long total = Arrays.stream(counts).asLongStream().sum();
        long top = 0;
        int onePercent = counts.length / 100;
        for (int i = counts.length - 1; i >= counts.length - onePercent; i--) {
            top += counts[i];
        }
        assertTrue(top > 0.05 * total, "top 1% of tracks hold >5x their share of occurrences: " + top / (double) total);
        long once = Arrays.stream(counts).filter(c -> c == 1).count();
        assertTrue(once > 0.05 * counts.length, "a long tail of tracks seen once");
    }

    @Test
    void artistsComeInRuns() {
        long adjacentSame = 0;
        long pairs = 0;
        double expected = 0;
        long artistOccurrences = 0;
        long repeated = 0;
        for (MpdPlaylist p : PLAYLISTS) {
            Map<String, Integer> perArtist = new HashMap<>();
            for (MpdTrack t : p.tracks()) {
                perArtist.merge(t.artistUri(), 1, Integer::sum);
            }
            int n = p.tracks().size();
            for (int i = 1; i < n; i++) {
                pairs++;
                if (p.tracks().get(i).artistUri().equals(p.tracks().get(i - 1).artistUri())) {
                    adjacentSame++;
                }
            }
            // Chance that two adjacent tracks share an artist if the order were random.
            double same = 0;
            for (int c : perArtist.values()) {
                same += c * (double) (c - 1);
                artistOccurrences += c;
                if (c > 1) {
                    repeated += c;
                }
            }
            expected += n > 1 ? same / n : 0;
        }
        double observed = adjacentSame / (double) pairs;
        double shuffled = expected / pairs;
        assertTrue(observed > 1.5 * shuffled, "runs: adjacent same-artist " + observed + " vs shuffled " + shuffled);
        assertTrue(repeated > 0.4 * artistOccurrences, "a track's artist usually has more tracks in the playlist: "
                + repeated / (double) artistOccurrences);
    }

    @Test
    void firstTracksDifferFromTheRest() {
        // Order drift: the first tracks are more popular than a random sample from the rest of the playlist.
        double head = 0;
        double rest = 0;
        int n = 0;
        for (MpdPlaylist p : PLAYLISTS) {
            if (p.tracks().size() < 30) {
                continue;
            }
            for (int i = 0; i < 5; i++) {
                head += Math.log(OCCURRENCES.get(p.tracks().get(i).trackUri()));
            }
            for (int i = 25; i < 30; i++) {
                rest += Math.log(OCCURRENCES.get(p.tracks().get(i).trackUri()));
            }
            n += 5;
        }
        assertTrue(head / n > rest / n + 0.15, "first tracks more popular: " + head / n + " vs " + rest / n);
    }

    @Test
    void titlesCarryTheTheme() {
        // Playlists of an occasion use its words far more than other playlists do.
        Map<String, String[]> words = Map.of(
                "workout", new String[] {"workout", "gym", "running", "lifting", "cardio", "pump", "beast", "run"},
                "christmas", new String[] {"christmas", "xmas", "holiday"},
                "sleep", new String[] {"sleep", "bedtime", "night", "calm"});
        for (Map.Entry<String, String[]> e : words.entrySet()) {
            int with = 0;
            int of = 0;
            int otherWith = 0;
            int others = 0;
            for (MpdPlaylist p : PLAYLISTS) {
                boolean hit = false;
                for (String token : TitleNormalizer.tokens(p.name())) {
                    for (String w : e.getValue()) {
                        hit |= token.startsWith(w);
                    }
                }
                if (THEMES.get(p.pid()).get("occasion").asText().equals(e.getKey())) {
                    of++;
                    with += hit ? 1 : 0;
                } else {
                    others++;
                    otherWith += hit ? 1 : 0;
                }
            }
            double inside = with / (double) of;
            double outside = otherWith / (double) others;
            assertTrue(inside > 0.4 && inside > 20 * outside, e.getKey() + ": " + inside + " vs " + outside);
        }
    }

    @Test
    void themesMixOneToThreeGenresAndOftenAnOccasion() {
        int[] sizes = new int[4];
        int withOccasion = 0;
        for (MpdPlaylist p : PLAYLISTS) {
            JsonNode theme = THEMES.get(p.pid());
            sizes[theme.get("genres").size()]++;
            withOccasion += theme.get("occasion").asText().equals("none") ? 0 : 1;
        }
        assertTrue(sizes[1] > 0 && sizes[2] > 0 && sizes[3] > 0 && sizes[0] == 0);
        assertBetween("share with an occasion", withOccasion / (double) PLAYLISTS.size(), 0.45, 0.65);
    }

    static void assertBetween(String what, double v, double lo, double hi) {
        assertTrue(v >= lo && v <= hi, what + " = " + v + " not in [" + lo + ", " + hi + "]");
    }
}
