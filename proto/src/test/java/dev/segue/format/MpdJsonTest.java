package dev.segue.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming MPD readers: MPD's leniency, and the reason given for each kind of bad content. */
class MpdJsonTest {
    private static final String TRACK = "{\"pos\": 0, \"artist_name\": \"A\", \"track_uri\": \"spotify:track:t\","
            + " \"artist_uri\": \"spotify:artist:a\", \"track_name\": \"T\", \"album_uri\": \"spotify:album:b\","
            + " \"duration_ms\": 1000, \"album_name\": \"B\"}";
    private static final MpdTrack T = new MpdTrack(0, "A", "spotify:track:t", "spotify:artist:a", "T",
            "spotify:album:b", 1000, "B");

    /** Converts one object and checks the converter read exactly through its end, also when it failed. */
    private static <T> T read(String json, PlaylistArrayReader.Converter<T> c) {
        try (JsonParser p = PlaylistArrayReader.MAPPER.getFactory().createParser(json + " \"after\"")) {
            p.nextToken();
            try {
                return c.convert(p);
            } finally {
                assertEquals(JsonToken.END_OBJECT, p.currentToken(), "left on the object's end");
                assertEquals(JsonToken.VALUE_STRING, p.nextToken());
                assertEquals("after", p.getText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String reason(String json, PlaylistArrayReader.Converter<?> c) {
        return assertThrows(IllegalArgumentException.class, () -> read(json, c)).getMessage();
    }

    @Test
    void readsFieldsInAnyOrderSkippingUnknownNestedValues() {
        String reversed = "{\"num_artists\": 1, \"duration_ms\": 1000, \"num_edits\": 2, \"unknown\": {\"a\": [1, {\"b\":"
                + " [[], {}]}], \"c\": null}, \"tracks\": [{\"album_name\": \"B\", \"duration_ms\": 1000,"
                + " \"album_uri\": \"spotify:album:b\", \"extra\": [[{\"x\": {\"y\": []}}], 2],"
                + " \"track_name\": \"T\", \"artist_uri\": \"spotify:artist:a\", \"track_uri\": \"spotify:track:t\","
                + " \"artist_name\": \"A\", \"obj\": {\"pos\": 99}, \"pos\": 0}], \"list\": [1, [2], {\"pid\": 3}],"
                + " \"description\": \"d\", \"num_followers\": 4, \"num_albums\": 1, \"num_tracks\": 1,"
                + " \"modified_at\": 9, \"pid\": 5, \"collaborative\": true, \"name\": \"N\"}";
        assertEquals(new MpdPlaylist("N", true, 5, 9, 1, 1, 4, 2, 1000, 1, "d", List.of(T)),
                read(reversed, MpdJson::playlist));
    }

    @Test
    void acceptsNumbersAsStringsAndIntegralDoublesAndTakesNullAsMissing() {
        String json = "{\"name\": \"N\", \"pid\": \" 12 \", \"modified_at\": 3.0, \"num_albums\": \"4\","
                + " \"num_tracks\": null, \"description\": null, \"collaborative\": null, \"num_followers\": 1e2,"
                + " \"tracks\": [{\"pos\": \"0\", \"track_uri\": \"spotify:track:t\", \"artist_uri\": 17,"
                + " \"album_uri\": \"spotify:album:b\", \"duration_ms\": \"1000\", \"artist_name\": null,"
                + " \"track_name\": {\"odd\": 1}}]}";
        MpdPlaylist p = read(json, MpdJson::playlist);
        assertEquals(12, p.pid());
        assertEquals(3, p.modifiedAt());
        assertEquals(4, p.numAlbums());
        assertEquals(100, p.numFollowers());
        assertEquals(1, p.numTracks(), "null num_tracks falls back to the track count");
        assertNull(p.description());
        assertFalse(p.collaborative());
        assertEquals(new MpdTrack(0, "", "spotify:track:t", "17", "", "spotify:album:b", 1000, ""),
                p.tracks().get(0));
    }

    @Test
    void collaborativeIsABooleanOrAString() {
        String base = "{\"name\": \"N\", \"pid\": 1, \"tracks\": [], \"collaborative\": ";
        assertTrue(read(base + "true}", MpdJson::playlist).collaborative());
        assertFalse(read(base + "false}", MpdJson::playlist).collaborative());
        assertTrue(read(base + "\" TRUE\"}", MpdJson::playlist).collaborative());
        assertFalse(read(base + "\"false\"}", MpdJson::playlist).collaborative());
        assertEquals("\"collaborative\" is neither true nor false: \"maybe\"",
                reason(base + "\"maybe\"}", MpdJson::playlist));
        assertEquals("\"collaborative\" is neither true nor false: {\"a\":[1]}",
                reason(base + "{\"a\": [1]}}", MpdJson::playlist));
    }

    @Test
    void namesTheProblemOfABadPlaylist() {
        assertEquals("missing field \"tracks\"", reason("{\"name\": \"N\", \"pid\": 1}", MpdJson::playlist));
        assertEquals("missing field \"name\"", reason("{\"pid\": 1, \"tracks\": []}", MpdJson::playlist));
        assertEquals("missing field \"pid\"", reason("{\"name\": \"N\", \"pid\": null, \"tracks\": []}",
                MpdJson::playlist));
        assertEquals("\"tracks\" is not an array", reason("{\"tracks\": {\"a\": [1]}, \"pid\": 1}", MpdJson::playlist));
        assertEquals("\"name\" is not a string", reason("{\"name\": [\"N\"], \"pid\": 1, \"tracks\": []}",
                MpdJson::playlist));
        assertEquals("\"pid\" is not an integer: \"two\"", reason("{\"name\": \"N\", \"pid\": \"two\", \"tracks\": []}",
                MpdJson::playlist));
        assertEquals("\"pid\" is not an integer: 1.5", reason("{\"name\": \"N\", \"pid\": 1.5, \"tracks\": []}",
                MpdJson::playlist));
        assertEquals("\"num_edits\" is not an integer: [1,{\"a\":2}]",
                reason("{\"name\": \"N\", \"pid\": 1, \"num_edits\": [1, {\"a\": 2}], \"tracks\": []}",
                        MpdJson::playlist));
        assertEquals("tracks[1]: track is not an object", reason("{\"name\": \"N\", \"pid\": 1, \"tracks\": ["
                + TRACK + ", [1, 2], " + TRACK + "]}", MpdJson::playlist));
        assertEquals("tracks[0]: \"pos\" is not an integer: true", reason("{\"name\": \"N\", \"pid\": 1, \"tracks\": ["
                + TRACK.replace("\"pos\": 0", "\"pos\": true") + "]}", MpdJson::playlist));
    }

    @Test
    void reportsTheFirstProblemInCheckOrderWhateverTheFieldOrder() {
        // Tracks are checked first, then name, pid...: the same reason whichever field comes first in the file.
        String badTrack = TRACK.replace("\"track_uri\": \"spotify:track:t\", ", "");
        assertEquals("tracks[0]: missing field \"track_uri\"", reason("{\"pid\": \"x\", \"tracks\": [" + badTrack
                + "]}", MpdJson::playlist));
        assertEquals("\"name\" is not a string", reason("{\"pid\": \"x\", \"name\": {}, \"tracks\": []}",
                MpdJson::playlist));
        // Within a track: pos before track_uri.
        assertEquals("tracks[0]: \"pos\" is not an integer: \"p\"", reason("{\"tracks\": [{\"track_uri\": [],"
                + " \"pos\": \"p\"}]}", MpdJson::playlist));
        // A field given twice counts with its last value.
        assertEquals(3, read("{\"name\": \"N\", \"pid\": \"x\", \"tracks\": [], \"pid\": 3}", MpdJson::playlist).pid());
    }

    @Test
    void checksChallengePlaylists() {
        String ok = "{\"name\": \"N\", \"num_holdouts\": 4, \"pid\": 9, \"num_tracks\": 5, \"tracks\": [" + TRACK
                + "], \"num_samples\": 1}";
        assertEquals(new ChallengePlaylist(9, "N", 4, 1, 5, List.of(T)), read(ok, MpdJson::challengePlaylist));
        assertNull(read(ok.replace("\"name\": \"N\", ", ""), MpdJson::challengePlaylist).name());
        assertEquals("num_samples is 2 but tracks has 1",
                reason(ok.replace("\"num_samples\": 1", "\"num_samples\": 2"), MpdJson::challengePlaylist));
        assertEquals("num_samples + num_holdouts != num_tracks",
                reason(ok.replace("\"num_tracks\": 5", "\"num_tracks\": \"6\""), MpdJson::challengePlaylist));
        assertEquals("missing field \"num_holdouts\"",
                reason(ok.replace("\"num_holdouts\": 4, ", ""), MpdJson::challengePlaylist));
    }

    @Test
    void readsTruthWithCategoryZeroWhenNotGiven() {
        String ok = "{\"pid\": 9, \"holdouts\": [" + TRACK + "]}";
        assertEquals(new TruthPlaylist(9, 0, List.of(T)), read(ok, MpdJson::truthPlaylist));
        assertEquals(3, read(ok.replace("\"pid\": 9", "\"category\": \"3\", \"pid\": 9"), MpdJson::truthPlaylist)
                .category());
        assertEquals(7, read(ok.replace("\"pid\": 9", "\"category\": 7, \"pid\": 9"), MpdJson::truthPlaylist)
                .category());
        assertEquals("holdouts[0]: missing field \"album_uri\"",
                reason(ok.replace("\"album_uri\": \"spotify:album:b\", ", ""), MpdJson::truthPlaylist));
        assertEquals("\"holdouts\" is not an array", reason("{\"pid\": 1, \"holdouts\": 3}", MpdJson::truthPlaylist));
    }
}
