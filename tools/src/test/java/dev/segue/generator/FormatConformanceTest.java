package dev.segue.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdFiles;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.PlaylistArrayReader;
import dev.segue.format.TruthPlaylist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every record of every generated file has MPD's field names and types and reads back with our readers. */
class FormatConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PLAYLIST_FIELDS = Set.of("name", "collaborative", "pid", "modified_at",
            "num_tracks", "num_albums", "num_followers", "num_edits", "duration_ms", "num_artists", "tracks");
    private static final Set<String> TRACK_FIELDS = Set.of("pos", "artist_name", "track_uri", "artist_uri",
            "track_name", "album_uri", "duration_ms", "album_name");
    private static final Pattern TRACK_URI = Pattern.compile("spotify:track:[0-9A-Za-z]{22}");
    private static final Pattern ARTIST_URI = Pattern.compile("spotify:artist:[0-9A-Za-z]{22}");
    private static final Pattern ALBUM_URI = Pattern.compile("spotify:album:[0-9A-Za-z]{22}");

    private final Path world = TestWorlds.shared();

    @Test
    void slicesHaveMpdFieldNamesAndTypes() throws IOException {
        List<Path> slices = MpdFiles.listSlices(world.resolve("mpd"));
        assertEquals(2, slices.size());
        assertEquals("mpd.slice.0-999.json", slices.get(0).getFileName().toString());
        assertEquals("mpd.slice.1000-1499.json", slices.get(1).getFileName().toString());
        long expectedPid = 0;
        for (Path slice : slices) {
            JsonNode root = JSON.readTree(slice.toFile());
            assertEquals(Set.of("info", "playlists"), names(root));
            assertEquals(Set.of("generated_on", "slice", "version"), names(root.get("info")));
            String range = root.get("info").get("slice").asText();
            assertTrue(slice.getFileName().toString().contains(range), range);
            for (JsonNode p : root.get("playlists")) {
                Set<String> fields = names(p);
                fields.remove("description");
                assertEquals(PLAYLIST_FIELDS, fields, "playlist " + p.get("pid"));
                assertTrue(p.get("name").isTextual());
                assertTrue(p.get("collaborative").isTextual(), "MPD writes collaborative as \"true\"/\"false\"");
                assertTrue(Set.of("true", "false").contains(p.get("collaborative").asText()));
                for (String f : List.of("pid", "modified_at", "num_tracks", "num_albums", "num_followers",
                        "num_edits", "duration_ms", "num_artists")) {
                    assertTrue(p.get(f).isIntegralNumber(), f);
                }
                if (p.has("description")) {
                    assertTrue(p.get("description").isTextual());
                }
                assertEquals(expectedPid++, p.get("pid").asLong(), "pids are contiguous");
                int pos = 0;
                for (JsonNode t : p.get("tracks")) {
                    assertEquals(TRACK_FIELDS, names(t));
                    assertEquals(pos++, t.get("pos").asInt());
                    assertTrue(t.get("duration_ms").isIntegralNumber());
                    assertTrue(TRACK_URI.matcher(t.get("track_uri").asText()).matches());
                    assertTrue(ARTIST_URI.matcher(t.get("artist_uri").asText()).matches());
                    assertTrue(ALBUM_URI.matcher(t.get("album_uri").asText()).matches());
                    for (String f : List.of("artist_name", "track_name", "album_name")) {
                        assertTrue(t.get(f).isTextual() && !t.get(f).asText().isEmpty(), f);
                    }
                }
                assertEquals(p.get("num_tracks").asInt(), pos);
            }
        }
        assertEquals(TestWorlds.SPEC.playlists(), expectedPid);
    }

    @Test
    void slicesReadBackWithTheMpdReaderAndCountsAreConsistent() throws IOException {
        int n = 0;
        for (Path slice : MpdFiles.listSlices(world.resolve("mpd"))) {
            try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(slice)) {
                for (MpdPlaylist p = r.next(); p != null; p = r.next()) {
                    n++;
                    Set<String> albums = new HashSet<>();
                    Set<String> artists = new HashSet<>();
                    Set<String> uris = new HashSet<>();
                    long duration = 0;
                    for (MpdTrack t : p.tracks()) {
                        albums.add(t.albumUri());
                        artists.add(t.artistUri());
                        uris.add(t.trackUri());
                        duration += t.durationMs();
                        assertTrue(t.durationMs() >= 60_000 && t.durationMs() <= 700_000, "track duration " + t.durationMs());
                    }
                    assertEquals(p.tracks().size(), uris.size(), "no track repeats in playlist " + p.pid());
                    assertEquals(albums.size(), p.numAlbums());
                    assertEquals(artists.size(), p.numArtists());
                    assertEquals(duration, p.durationMs());
                    assertTrue(p.numArtists() >= 3 && p.numAlbums() >= 2, "variety of " + p.pid());
                    assertTrue(p.numEdits() >= 1);
                    assertTrue(p.numFollowers() >= 1);
                    assertTrue(p.modifiedAt() >= 1262304000L && p.modifiedAt() <= 1509494400L, "2010-2017");
                    assertFalse(p.name().isBlank());
                }
            }
        }
        assertEquals(TestWorlds.SPEC.playlists(), n);
    }

    @Test
    void challengeAndTruthHaveTheChallengeFormat() throws IOException {
        JsonNode set = JSON.readTree(world.resolve("challenge/challenge_set.json").toFile());
        assertEquals(Set.of("date", "version", "playlists"), names(set));
        int withoutName = 0;
        for (JsonNode p : set.get("playlists")) {
            Set<String> fields = names(p);
            if (!fields.remove("name")) {
                withoutName++;
            }
            assertEquals(Set.of("pid", "num_holdouts", "num_samples", "num_tracks", "tracks"), fields);
            for (JsonNode t : p.get("tracks")) {
                assertEquals(TRACK_FIELDS, names(t));
            }
        }
        assertEquals(2 * TestWorlds.SPEC.challengePerCategory(), withoutName, "two no-title categories");
        JsonNode truth = JSON.readTree(world.resolve("challenge/truth.json").toFile());
        assertEquals(Set.of("version", "playlists"), names(truth));
        for (JsonNode p : truth.get("playlists")) {
            assertEquals(Set.of("pid", "category", "holdouts"), names(p));
            assertTrue(p.get("category").isIntegralNumber());
        }
        List<ChallengePlaylist> challenge = MpdFiles.readChallengeSet(world.resolve("challenge/challenge_set.json"));
        List<TruthPlaylist> truths = MpdFiles.readTruthFile(world.resolve("challenge/truth.json"));
        assertEquals(TestWorlds.SPEC.challengePlaylists(), challenge.size());
        assertEquals(challenge.size(), truths.size());
    }

    @Test
    void csvFilesHaveStudyLayouts() throws IOException {
        assertEquals("uid,device,song_id,song_type,song_name,singer,play_time,song_length,paid_flag,date",
                Files.readAllLines(world.resolve("logs/play.csv")).get(0));
        assertEquals("uid,device,song_id,song_name,singer,paid_flag,date",
                Files.readAllLines(world.resolve("logs/download.csv")).get(0));
        assertEquals("uid,device,time_stamp,search_query,date",
                Files.readAllLines(world.resolve("logs/search.csv")).get(0));
        assertEquals("Id,title,artist,year,bpm,nrgy,dnce,dB,live,val,dur,acous,spch,pop,top genre",
                Files.readAllLines(world.resolve("audio/tracks.csv")).get(0));
        int[] widths = {10, 7, 5};
        String[] files = {"logs/play.csv", "logs/download.csv", "logs/search.csv"};
        for (int i = 0; i < files.length; i++) {
            List<String> lines = Files.readAllLines(world.resolve(files[i]));
            assertTrue(lines.size() > 100, files[i]);
            for (String line : lines.subList(1, lines.size())) {
                assertEquals(widths[i], CsvSplit.split(line).size(), files[i] + ": " + line);
            }
        }
        for (String line : Files.readAllLines(world.resolve("audio/tracks.csv")).subList(1, 50)) {
            List<String> f = CsvSplit.split(line);
            assertEquals(15, f.size(), line);
            for (int k = 3; k <= 13; k++) {
                Integer.parseInt(f.get(k));
            }
        }
    }

    @Test
    void statsJsonHasMpdStatistics() throws IOException {
        JsonNode stats = JSON.readTree(world.resolve("stats.json").toFile());
        for (String f : List.of("playlists", "tracks", "unique_tracks", "unique_albums", "unique_artists",
                "unique_titles", "unique_normalized_titles", "avg_playlist_length", "length_percentiles",
                "top_normalized_titles", "challenge", "logs", "catalog", "world")) {
            assertNotNull(stats.get(f), f);
        }
        assertEquals(new TreeSet<>(List.of("min", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "max")),
                new TreeSet<>(names(stats.get("length_percentiles"))));
        // Recount from the files with the URI-based path: the generator's id-based counts agree.
        WorldStats recount = new WorldStats();
        for (Path slice : MpdFiles.listSlices(world.resolve("mpd"))) {
            try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(slice)) {
                for (MpdPlaylist p = r.next(); p != null; p = r.next()) {
                    recount.add(p);
                }
            }
        }
        assertEquals(JSON.readTree(JSON.writeValueAsString(recount.toJson())), withoutSections(stats));
    }

    private static JsonNode withoutSections(JsonNode stats) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = stats.deepCopy();
        copy.remove(List.of("challenge", "logs", "catalog", "world"));
        return copy;
    }

    static Set<String> names(JsonNode node) {
        Set<String> out = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
