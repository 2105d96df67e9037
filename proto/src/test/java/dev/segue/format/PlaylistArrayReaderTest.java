package dev.segue.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaylistArrayReaderTest {
    @TempDir
    Path dir;

    private static final String TRACK = "{\"pos\": %d, \"artist_name\": \"A\", \"track_uri\": \"spotify:track:%s\","
            + " \"artist_uri\": \"spotify:artist:a\", \"track_name\": \"T\", \"album_uri\": \"spotify:album:b\","
            + " \"duration_ms\": 1000, \"album_name\": \"B\"}";

    private static String track(int pos, String id) {
        return TRACK.formatted(pos, id);
    }

    private static String playlist(long pid, String tracks) {
        return "{\"name\": \"p" + pid + "\", \"collaborative\": \"false\", \"pid\": " + pid
                + ", \"modified_at\": 5, \"num_tracks\": 3, \"num_albums\": 1, \"num_followers\": 1,"
                + " \"tracks\": [" + tracks + "], \"num_edits\": 1, \"duration_ms\": 3000, \"num_artists\": 1}";
    }

    private static String goodPlaylist(long pid) {
        return playlist(pid, track(0, "x") + ", " + track(1, "y") + ", " + track(2, "z"));
    }

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("slice.json"), json);
    }

    /** Reads every record, turning malformed ones into "malformed #i line L: reason" entries. */
    private static List<String> readAll(PlaylistArrayReader<MpdPlaylist> r) throws IOException {
        List<String> out = new ArrayList<>();
        while (true) {
            try {
                MpdPlaylist p = r.next();
                if (p == null) {
                    return out;
                }
                out.add("pid " + p.pid() + " tracks " + p.tracks().size());
            } catch (MalformedRecordException e) {
                out.add("malformed #" + e.index() + " line " + e.line() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void aRecordBadDeepInsideIsSkippedAndTheNextOneStillRead() throws IOException {
        // tracks[2] lacks track_uri; nested unknown fields and more tracks follow the error inside the record.
        String badTrack = "{\"pos\": 2, \"extra\": {\"deep\": [1, [2, {\"x\": 3}]]}, \"artist_uri\": \"a\","
                + " \"album_uri\": \"b\", \"more\": [{\"y\": []}]}";
        String bad = playlist(1, track(0, "x") + ", " + track(1, "y") + ", " + badTrack + ", " + track(3, "w")
                + ", {\"pos\": 4, \"nested\": {\"a\": {\"b\": [[[]]]}}}");
        Path f = write("{\"info\": {\"slice\": \"0-2\"},\n\"playlists\": [\n" + goodPlaylist(0) + ",\n" + bad + ",\n"
                + goodPlaylist(2) + "\n], \"after\": [1, {\"z\": 2}]}");
        try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(f)) {
            List<String> got = readAll(r);
            assertEquals(3, got.size(), got.toString());
            assertEquals("pid 0 tracks 3", got.get(0));
            assertEquals("malformed #1 line 4: " + f + ":4:1: playlist #1: tracks[2]: missing field \"track_uri\"",
                    got.get(1));
            assertEquals("pid 2 tracks 3", got.get(2));
            assertEquals("0-2", r.header().get("info").get("slice").asText());
            assertEquals(2, r.header().get("after").get(1).get("z").asInt(), "fields after the array are kept");
        }
    }

    @Test
    void aConverterGivingUpAtAnyDepthLeavesTheReaderOnTheNextRecord() throws IOException {
        // Throws as soon as it meets field "stop", wherever that is: the reader skips the rest of the record.
        PlaylistArrayReader.Converter<String> stopper = p -> {
            StringBuilder seen = new StringBuilder();
            int depth = 0;
            do {
                JsonToken t = p.currentToken();
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("stop")) {
                    throw new IllegalArgumentException("stopped at depth " + depth);
                }
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("npe")) {
                    throw new NullPointerException();
                }
                if (t == JsonToken.VALUE_STRING) {
                    seen.append(p.getText());
                }
                depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
            } while (depth > 0 && p.nextToken() != null);
            return seen.toString();
        };
        String json = "{\"playlists\": [{\"a\": \"1\"}, {\"x\": [{\"y\": {\"stop\": 1, \"z\": [2]}}, 3], \"w\": {}},"
                + " {\"b\": \"2\"}, {\"stop\": [[{}]]}, {\"c\": [{\"npe\": 0}]}, {\"d\": [\"3\"]}]}";
        try (PlaylistArrayReader<String> r = PlaylistArrayReader.open(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), Path.of("s.json"), stopper)) {
            assertEquals("1", r.next());
            MalformedRecordException e = assertThrows(MalformedRecordException.class, r::next);
            assertEquals(1, e.index());
            assertTrue(e.getMessage().endsWith("playlist #1: stopped at depth 4"), e.getMessage());
            assertEquals("2", r.next());
            e = assertThrows(MalformedRecordException.class, r::next);
            assertTrue(e.getMessage().endsWith("playlist #3: stopped at depth 1"), e.getMessage());
            e = assertThrows(MalformedRecordException.class, r::next);
            assertTrue(e.getMessage().contains("playlist #4: java.lang.NullPointerException"), e.getMessage());
            assertEquals("3", r.next());
            assertNull(r.next());
        }
    }

    @Test
    void aConverterThatStopsShortOfTheRecordEndIsAProgrammingError() throws IOException {
        String json = "{\"playlists\": [{\"a\": 1}]}";
        try (PlaylistArrayReader<String> r = PlaylistArrayReader.open(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), Path.of("s.json"), p -> "lazy")) {
            assertThrows(IllegalStateException.class, r::next);
        }
    }

    @Test
    void aRecordThatIsNotAnObjectIsReportedAndSkipped() throws IOException {
        Path f = write("{\"playlists\": [" + goodPlaylist(0) + ", [1, {\"pid\": 2}], 7, \"s\", " + goodPlaylist(3) + "]}");
        try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(f)) {
            List<String> got = readAll(r);
            assertEquals(5, got.size(), got.toString());
            assertTrue(got.get(1).startsWith("malformed #1 line 1:"), got.get(1));
            assertTrue(got.get(1).endsWith("playlist #1: expected an object, found ["), got.get(1));
            assertTrue(got.get(2).endsWith("playlist #2: expected an object, found 7"), got.get(2));
            assertTrue(got.get(3).endsWith("playlist #3: expected an object, found a string"), got.get(3));
            assertEquals("pid 3 tracks 3", got.get(4));
        }
    }

    @Test
    void aFileTruncatedInsideARecordIsFatal() throws IOException {
        String whole = "{\"playlists\": [\n" + goodPlaylist(0) + ",\n" + goodPlaylist(1) + "]}";
        Path f = write(whole.substring(0, whole.lastIndexOf("\"track_uri\"")));
        try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(f)) {
            assertEquals(0, r.next().pid());
            FormatException e = assertThrows(FormatException.class, r::next);
            assertFalse(e instanceof MalformedRecordException, e.getMessage());
            assertTrue(e.getMessage().startsWith(f + ":3:"), e.getMessage());
            assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
            assertNull(r.next(), "nothing more after a fatal error");
        }
    }

    @Test
    void aSyntaxErrorInsideARecordIsFatalEvenAfterAContentError() throws IOException {
        // The converter has already found the bad pid when the syntax error comes: still a FormatException.
        Path f = write("{\"playlists\": [\n{\"pid\": \"two\", \"tracks\": [{\"pos\": 0,, }]}\n]}");
        try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(f)) {
            FormatException e = assertThrows(FormatException.class, r::next);
            assertFalse(e instanceof MalformedRecordException, e.getMessage());
            assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
        }
    }

    @Test
    void slicesRoundTripThroughTheWriter() throws IOException {
        MpdTrack t0 = new MpdTrack(0, "Art \"q\"", "spotify:track:1", "spotify:artist:1", "Tr é", "spotify:album:1",
                1234, "Alb");
        MpdTrack t1 = new MpdTrack(1, "", "spotify:track:2", "spotify:artist:2", "", "spotify:album:2", 0, "");
        MpdPlaylist a = new MpdPlaylist("Name", true, 7, 1500000000L, 2, 2, 3, 4, 5678, 2, "desc", List.of(t0, t1));
        MpdPlaylist b = new MpdPlaylist("Other", false, 8, 0, 1, 1, 1, 1, 1234, 1, null, List.of(t0));
        Path f = dir.resolve(MpdFiles.sliceName(7, 8));
        try (PlaylistFileWriter<MpdPlaylist> w = MpdFiles.writeSlice(f, new SliceInfo("now", "7-8", "v1"))) {
            w.write(a);
            w.write(b);
            w.commit();
        }
        List<MpdPlaylist> back = new ArrayList<>();
        try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(f)) {
            for (MpdPlaylist p = r.next(); p != null; p = r.next()) {
                back.add(p);
            }
            assertEquals("7-8", r.header().get("info").get("slice").asText());
        }
        assertEquals(List.of(a, b), back);
    }
}
