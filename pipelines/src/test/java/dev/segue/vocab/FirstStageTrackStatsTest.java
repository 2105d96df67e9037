package dev.segue.vocab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.ingest.MpdIngest;
import dev.segue.pipelines.testing.TestPipelines;
import dev.segue.pipelines.testing.TinyMpd;
import dev.segue.ranking.RankerHoldout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The track table's statistics ({@code track_stats}) leave the ranker holdout's playlists out, counted in the
 * ingest's partials: ingest + {@link BuildTrackTable} on the DirectRunner against counts made by hand from the
 * playlists. The ids (vocabulary, {@code popularity_rank}) still order every playlist, and a share of 0 gives the
 * statistics of every playlist.
 */
class FirstStageTrackStatsTest {
    private static final double SHARE = 0.3;
    private static final String ONLY_RANKER = "spotify:track:only-ranker";

    @TempDir
    Path tmp;

    /** Per URI: {id, occurrences, playlists, mean relative position} counted from the playlists {@code counted}. */
    private static Map<String, double[]> expected(List<MpdPlaylist> playlists, LongPredicate counted) {
        Map<String, long[]> all = new HashMap<>();
        Map<String, double[]> stats = new HashMap<>();
        for (MpdPlaylist pl : playlists) {
            List<MpdTrack> ts = pl.tracks();
            for (int i = 0; i < ts.size(); i++) {
                all.computeIfAbsent(ts.get(i).trackUri(), u -> new long[1])[0]++;
                double[] s = stats.computeIfAbsent(ts.get(i).trackUri(), u -> new double[4]);
                if (counted.test(pl.pid())) {
                    s[1]++;
                    s[3] += ts.size() <= 1 ? 0 : (double) i / (ts.size() - 1);
                }
            }
            if (counted.test(pl.pid())) {
                for (String u : new LinkedHashSet<>(ts.stream().map(MpdTrack::trackUri).toList())) {
                    stats.get(u)[2]++;
                }
            }
        }
        List<String> byRank = new ArrayList<>(all.keySet());
        byRank.sort((a, b) -> {
            int c = Long.compare(all.get(b)[0], all.get(a)[0]);
            return c != 0 ? c : a.compareTo(b);
        });
        for (int r = 0; r < byRank.size(); r++) {
            double[] s = stats.get(byRank.get(r));
            s[0] = r;
            s[3] = s[1] == 0 ? 0 : s[3] / s[1];
        }
        return stats;
    }

    private static void expect(PCollection<TrackRows> rows, Map<String, double[]> expected) {
        PAssert.that(rows).satisfies(parts -> {
            int seen = 0;
            for (TrackRows r : parts) {
                for (int i = 0; i < r.size(); i++) {
                    double[] e = expected.get(r.uri()[i]);
                    String u = r.uri()[i];
                    assertEquals((int) e[0], r.ids()[i], u + " id");
                    assertEquals((long) e[1], r.occurrences()[i], u + " occurrences");
                    assertEquals((long) e[2], r.playlists()[i], u + " playlists");
                    assertEquals(e[3], r.meanRelativePosition()[i], 1e-9, u + " mean relative position");
                    seen++;
                }
            }
            assertEquals(expected.size(), seen, "rows");
            return null;
        });
    }

    @Test
    void statisticsLeaveTheRankerPlaylistsOutAndShareZeroCountsEveryPlaylist() throws Exception {
        TinyMpd data = new TinyMpd(240, 4, 30, 5);
        // a ranker playlist with a track no other playlist holds: it keeps an id, with no first-stage counts
        long pid = 240;
        while (!RankerHoldout.isRankerPlaylist(pid, SHARE)) {
            pid++;
        }
        List<MpdTrack> own = List.of(TinyMpd.track(1, 0), new MpdTrack(1, "Artist X", ONLY_RANKER,
                "spotify:artist:x", "Only ranker", "spotify:album:x", 200000, "Album X"), TinyMpd.track(2, 2));
        data.playlists.add(new MpdPlaylist("mix", false, pid, 1500000000L, 3, 1, 0, 1, 600000L, 1, null, own));
        Path mpd = data.write(tmp.resolve("mpd"), 60);
        long ranker = data.playlists.stream().filter(pl -> RankerHoldout.isRankerPlaylist(pl.pid(), SHARE)).count();
        assertTrue(ranker > 30 && ranker < 120, "ranker playlists " + ranker);

        Map<String, double[]> firstStage = expected(data.playlists, p -> !RankerHoldout.isRankerPlaylist(p, SHARE));
        Map<String, double[]> every = expected(data.playlists, p -> true);
        assertEquals(0.0, firstStage.get(ONLY_RANKER)[1]);
        assertTrue(every.entrySet().stream().anyMatch(e -> e.getValue()[2] != firstStage.get(e.getKey())[2]),
                "the holdout changes some track's playlists");

        TestPipeline p = TestPipelines.directUnchecked("--targetParallelism=2");
        MpdIngest.Result held = p.apply("IngestHeld", MpdIngest.from(mpd.toString()).withBlockRows(25)
                .withShards(3).withRankerHoldout(SHARE));
        expect(held.tracks().apply("TableHeld", new BuildTrackTable(3)).rows(), firstStage);
        MpdIngest.Result none = p.apply("IngestNone", MpdIngest.from(mpd.toString()).withBlockRows(25)
                .withShards(3).withRankerHoldout(0));
        expect(none.tracks().apply("TableNone", new BuildTrackTable(3)).rows(), every);
        p.run().waitUntilFinish();
    }
}
