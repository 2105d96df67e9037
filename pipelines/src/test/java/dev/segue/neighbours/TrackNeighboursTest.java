package dev.segue.neighbours;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.ingest.MpdIngest;
import dev.segue.pipelines.testing.TestPipelines;
import dev.segue.pipelines.testing.TinyMpd;
import dev.segue.vocab.BuildTrackTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TrackNeighbours} on six hand-made playlists whose dense ids are known: tracks t0..t7 get ids 0..7 (by
 * occurrences: t0 four, t1 and t2 three, t3 two; then by URI). Expected rows were counted by hand.
 */
class TrackNeighboursTest {
    @TempDir
    Path tmp;

    /** t0 t1 t2 t4 | t0 t1 t2 | t0 t1 t5 | t0 t2 | t6 (alone: no neighbour) | t3 t7 t3 (a repeat). */
    private static final int[][] PLAYLISTS = {{0, 1, 2, 4}, {0, 1, 2}, {0, 1, 5}, {0, 2}, {6}, {3, 7, 3}};

    private Path mpd() throws Exception {
        TinyMpd data = new TinyMpd(0, 1, 1, 1);
        for (int p = 0; p < PLAYLISTS.length; p++) {
            List<MpdTrack> tracks = new ArrayList<>();
            for (int t : PLAYLISTS[p]) {
                tracks.add(TinyMpd.track(t, tracks.size()));
            }
            data.playlists.add(new MpdPlaylist("mix " + p, false, p, 1500000000L, tracks.size(), 1, 0, 1,
                    tracks.size() * 200000L, 1, null, tracks));
        }
        return data.write(tmp.resolve("mpd"), 4); // two slice files, so sums cross blocks
    }

    /** Rows as "track>neighbour rank count score" in track, rank order. */
    private static void expect(PCollection<NeighbourRows> rows, List<String> expected) {
        PAssert.that(rows).satisfies(parts -> {
            List<String> all = new ArrayList<>();
            for (NeighbourRows r : parts) {
                for (int i = 0; i < r.size(); i++) {
                    all.add(String.format(Locale.ROOT, "%d>%d %d %d %.4f", r.trackIds()[i], r.neighbourIds()[i],
                            r.ranks()[i], r.counts()[i], r.scores()[i]));
                }
            }
            assertEquals(expected, sorted(all));
            return null;
        });
    }

    /** One pipeline (one ingest and track table) with three neighbour transforms: whole playlists, a window, top 2. */
    @Test
    void countsScoresRanksWindowAndTopN() throws Exception {
        TestPipeline p = TestPipelines.directUnchecked("--targetParallelism=2");
        MpdIngest.Result ingest = p.apply("Ingest", MpdIngest.from(mpd().toString()).withBlockRows(2));
        BuildTrackTable.Result tracks = ingest.tracks().apply("TrackTable", new BuildTrackTable(2));
        PCollectionTuple input = PCollectionTuple.of(TrackNeighbours.PLAYLISTS, ingest.blocks())
                .and(TrackNeighbours.TRACKS, tracks.rows());

        expect(input.apply("Whole", new TrackNeighbours(tracks.vocabularyView(), 10, 0, 3)), List.of(
                "0>1 0 3 0.8660", "0>2 1 3 0.8660", "0>4 2 1 0.5000", "0>5 3 1 0.5000", // score ties: count, then id
                "1>0 0 3 0.8660", "1>2 1 2 0.6667", "1>4 2 1 0.5774", "1>5 3 1 0.5774",
                "2>0 0 3 0.8660", "2>1 1 2 0.6667", "2>4 2 1 0.5774",
                "3>7 0 1 1.0000", // t3 t7 t3: one playlist, counted once
                "4>1 0 1 0.5774", "4>2 1 1 0.5774", "4>0 2 1 0.5000",
                "5>1 0 1 0.5774", "5>0 1 1 0.5000",
                "7>3 0 1 1.0000")); // t6 shares no playlist: no row

        // window 1: only adjacent tracks count (scores still over all of each track's playlists)
        expect(input.apply("Window", new TrackNeighbours(tracks.vocabularyView(), 10, 1, 1)), List.of(
                "0>1 0 3 0.8660", "0>2 1 1 0.2887",
                "1>0 0 3 0.8660", "1>2 1 2 0.6667", "1>5 2 1 0.5774",
                "2>1 0 2 0.6667", "2>4 1 1 0.5774", "2>0 2 1 0.2887",
                "3>7 0 1 1.0000",
                "4>2 0 1 0.5774",
                "5>1 0 1 0.5774",
                "7>3 0 1 1.0000"));

        expect(input.apply("TopTwo", new TrackNeighbours(tracks.vocabularyView(), 2, 0, 2)), List.of(
                "0>1 0 3 0.8660", "0>2 1 3 0.8660", "1>0 0 3 0.8660", "1>2 1 2 0.6667",
                "2>0 0 3 0.8660", "2>1 1 2 0.6667", "3>7 0 1 1.0000", "4>1 0 1 0.5774", "4>2 1 1 0.5774",
                "5>1 0 1 0.5774", "5>0 1 1 0.5000", "7>3 0 1 1.0000"));
        p.run().waitUntilFinish();
    }

    @Test
    void rejectsBadParameters() {
        assertEquals("neighbours must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> new TrackNeighbours(null, 0, 0, 1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrackNeighbours(null, 5, -1, 1))
                .getMessage().contains("window"));
    }

    @Test
    void topRefusesCountsBeyondTheTracksPlaylists() {
        PairCounts sums = new PairCounts(new long[] {PairCounter.key(0, 1)}, new long[] {3});
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TrackNeighbours.top(sums, new long[] {3, 2}, 5));
        assertTrue(e.getMessage().contains("share 3 playlists"), e.getMessage());
    }

    /** Sorted by track, then rank (the order the set is written in). */
    private static List<String> sorted(List<String> rows) {
        List<String> out = new ArrayList<>(rows);
        out.sort((a, b) -> {
            int ta = Integer.parseInt(a.substring(0, a.indexOf('>')));
            int tb = Integer.parseInt(b.substring(0, b.indexOf('>')));
            if (ta != tb) {
                return Integer.compare(ta, tb);
            }
            return Integer.compare(Integer.parseInt(a.split(" ")[1]), Integer.parseInt(b.split(" ")[1]));
        });
        return out;
    }
}
