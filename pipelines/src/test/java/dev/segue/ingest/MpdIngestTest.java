package dev.segue.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.vocab.TrackPartial;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.segue.pipelines.testing.TestPipelines;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MpdIngestTest {
    @TempDir
    Path tmp;

    static String track(int pos, String uri) {
        return "{\"pos\": " + pos + ", \"artist_name\": \"A\", \"track_uri\": \"" + uri + "\", \"artist_uri\": "
                + "\"spotify:artist:1\", \"track_name\": \"T\", \"album_uri\": \"spotify:album:1\", \"duration_ms\": 1000, "
                + "\"album_name\": \"B\"}";
    }

    static String playlist(int pid, String collaborative, String... uris) {
        StringBuilder tracks = new StringBuilder();
        for (int i = 0; i < uris.length; i++) {
            tracks.append(i == 0 ? "" : ", ").append(track(i, uris[i]));
        }
        return "{\"name\": \"Mix " + pid + "\", \"collaborative\": " + collaborative + ", \"pid\": " + pid
                + ", \"modified_at\": 1, \"num_tracks\": " + uris.length + ", \"tracks\": [" + tracks + "]}";
    }

    static Path slice(Path dir, String name, String... playlists) throws Exception {
        Files.createDirectories(dir);
        Path f = dir.resolve(name);
        Files.writeString(f, "{\"info\": {\"slice\": \"x\"}, \"playlists\": [\n" + String.join(",\n", playlists) + "\n]}\n");
        return f;
    }

    private static TestPipeline pipeline() {
        return TestPipelines.directUnchecked();
    }

    private static <T> List<T> sorted(Iterable<T> items, Comparator<? super T> order) {
        List<T> out = new ArrayList<>();
        items.forEach(out::add);
        out.sort(order);
        return out;
    }

    @Test
    void malformedRecordsGoToDeadLettersAndGoodOnesThrough() throws Exception {
        Path dir = tmp.resolve("mpd");
        slice(dir, "mpd.slice.0-3.json",
                playlist(0, "\"true\"", "spotify:track:a", "spotify:track:b", "spotify:track:a"),
                playlist(1, "false", "spotify:track:b"),
                "{\"name\": \"no pid\", \"tracks\": []}",
                playlist(3, "\"maybe\"", "spotify:track:c"));
        slice(dir, "mpd.slice.4-4.json", playlist(4, "false", "spotify:track:c", "spotify:track:d"));
        TestPipeline p = pipeline();
        MpdIngest.Result r = p.apply(MpdIngest.from(dir.toString()).withBlockRows(2).withMaxErrorRate(0.5));
        PAssert.that(r.deadLetters()).satisfies(letters -> {
            List<DeadLetter> dead = sorted(letters, Comparator.comparingLong(DeadLetter::index));
            assertEquals(2, dead.size(), dead.toString());
            assertTrue(dead.get(0).file().endsWith("mpd.slice.0-3.json"));
            assertEquals(2, dead.get(0).index());
            assertEquals(4, dead.get(0).line());
            assertTrue(dead.get(0).reason().contains("pid"), dead.get(0).reason());
            assertTrue(dead.get(1).reason().contains("collaborative"), dead.get(1).reason());
            assertTrue(dead.get(0).toJson().contains("\"index\":2"), dead.get(0).toJson());
            return null;
        });
        PAssert.that(r.blocks()).satisfies(blocks -> {
            List<PlaylistBlock> all = sorted(blocks, Comparator.comparing(PlaylistBlock::orderKey));
            assertEquals(3, all.stream().mapToInt(PlaylistBlock::playlists).sum());
            assertEquals(2, all.stream().filter(b -> b.source().equals("mpd.slice.0-3.json")).findFirst().orElseThrow()
                    .playlists());
            return null;
        });
        PAssert.that(r.tracks()).satisfies(partials -> {
            long trackEntries = 0;
            for (TrackPartial t : partials) {
                for (int i = 0; i < t.size(); i++) {
                    trackEntries += t.occurrences(i);
                }
            }
            assertEquals(6, trackEntries);
            return null;
        });
        PAssert.thatSingleton(r.totals()).satisfies(totals -> {
            assertEquals(new IngestTotals(2, 3, 2, 6, totals.firstError()), totals);
            assertTrue(totals.firstError().file().endsWith("mpd.slice.0-3.json"), totals.firstError().file());
            assertEquals(2, totals.firstError().index(), "the first malformed record in file order");
            assertTrue(totals.firstError().reason().contains("pid"), totals.firstError().reason());
            return null;
        });
        p.run().waitUntilFinish();
    }

    @Test
    void blocksRunOnAcrossTheFilesOfAGroup() throws Exception {
        Path dir = tmp.resolve("spanning");
        slice(dir, "mpd.slice.0-2.json", playlist(0, "false", "spotify:track:a"),
                playlist(1, "false", "spotify:track:b"), playlist(2, "false", "spotify:track:a"));
        slice(dir, "mpd.slice.3-4.json", playlist(3, "false", "spotify:track:c"),
                playlist(4, "false", "spotify:track:a"));
        TestPipeline p = pipeline();
        MpdIngest.Result r = p.apply(MpdIngest.from(dir.toString()).withBlockRows(2).withShards(1));
        PAssert.that(r.blocks()).satisfies(blocks -> {
            List<PlaylistBlock> all = sorted(blocks, Comparator.comparing(PlaylistBlock::orderKey));
            // Blocks of 2 over 5 playlists in one group: [0,1], [2,3] (spanning both files, named after the first), [4].
            assertEquals(List.of(2, 2, 1), all.stream().map(PlaylistBlock::playlists).toList());
            assertEquals(List.of("mpd.slice.0-2.json", "mpd.slice.0-2.json", "mpd.slice.3-4.json"),
                    all.stream().map(PlaylistBlock::source).toList());
            return null;
        });
        // One track aggregate for the group, counting playlists across both files.
        PAssert.thatSingleton(r.tracks()).satisfies(t -> {
            boolean seen = false;
            for (int i = 0; i < t.size(); i++) {
                if (t.uri(i).equals("spotify:track:a")) {
                    assertEquals(3, t.occurrences(i));
                    seen = true;
                }
            }
            assertTrue(seen, "spotify:track:a is in the aggregate");
            return null;
        });
        p.run().waitUntilFinish();
    }

    @Test
    void tooManyMalformedRecordsFailTheRunWithCounts() throws Exception {
        Path dir = tmp.resolve("bad");
        slice(dir, "mpd.slice.0-2.json", playlist(0, "false", "spotify:track:a"),
                "{\"name\": \"x\", \"pid\": 1, \"tracks\": [{\"pos\": 0}]}",
                playlist(2, "false", "spotify:track:b"));
        TestPipeline p = pipeline();
        p.apply(MpdIngest.from(dir.toString()).withMaxErrorRate(0.1));
        Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
        String message = messageOf(e, IngestException.class);
        assertTrue(message.contains("1 of 3 playlist records (33.33%) are malformed"), message);
        assertTrue(message.contains("--maxErrorRate=0.1"), message);
        assertTrue(message.contains("mpd.slice.0-2.json:3:"), message);
        assertTrue(message.contains("track_uri"), message);
    }

    @Test
    void unreadableSliceFailsWithFileAndPosition() throws Exception {
        Path dir = tmp.resolve("truncated");
        Path f = slice(dir, "mpd.slice.0-1.json", playlist(0, "false", "spotify:track:a"), playlist(1, "false", "spotify:track:b"));
        String text = Files.readString(f);
        Files.writeString(f, text.substring(0, text.length() - 40));
        TestPipeline p = pipeline();
        p.apply(MpdIngest.from(dir.toString()));
        Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
        String message = messageOf(e, IngestException.class);
        assertTrue(message.startsWith("cannot read MPD slice "), message);
        assertTrue(message.contains("mpd.slice.0-1.json:3:"), message);
    }

    private static String messageOf(Throwable e, Class<?> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t.getMessage();
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + e, e);
    }
}
