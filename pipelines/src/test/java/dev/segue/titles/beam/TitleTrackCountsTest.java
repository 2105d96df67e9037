package dev.segue.titles.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.segue.pipelines.testing.TestPipelines;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** Generated titled playlists across blocks: the counts must equal a direct count, cut to the top tracks. */
class TitleTrackCountsTest {
    static final String[] TITLES = {"Chill", "chill!!", "rock mix", "ROCK MIX", "workout", "one-off"};

    @Test
    void countsPlaylistsPerTitleAndTrackKeepingTheTopTracks() {
        Random rnd = new Random(5);
        Map<String, Integer> playlists = new TreeMap<>();
        Map<String, Map<Integer, Integer>> counts = new HashMap<>();
        List<TitledTracks> blocks = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            int n = 40;
            String[] titles = new String[n];
            int[] rowStart = new int[n + 1];
            List<Integer> ids = new ArrayList<>();
            for (int p = 0; p < n; p++) {
                int t = b == 0 && p == 0 ? 5 : rnd.nextInt(5); // "one-off" once: below min count
                titles[p] = TITLES[t];
                String norm = t < 2 ? "chill" : t < 4 ? "rock mix" : t == 4 ? "workout" : "one-off";
                playlists.merge(norm, 1, Integer::sum);
                int base = t < 2 ? 0 : t < 4 ? 20 : 40; // each theme favours its own ids, all share 0..59
                java.util.TreeSet<Integer> held = new java.util.TreeSet<>();
                int len = 3 + rnd.nextInt(8);
                while (held.size() < len) {
                    held.add(rnd.nextDouble() < 0.7 ? base + rnd.nextInt(20) : rnd.nextInt(60));
                }
                for (int id : held) {
                    ids.add(id);
                    counts.computeIfAbsent(norm, x -> new HashMap<>()).merge(id, 1, Integer::sum);
                }
                rowStart[p + 1] = ids.size();
            }
            blocks.add(new TitledTracks(b, titles, rowStart, ids.stream().mapToInt(Integer::intValue).toArray()));
        }
        TestPipeline p = TestPipelines.direct();
        PCollection<TitleTrackRows> out = p.apply(Create.of(blocks).withCoder(TitledTracks.Coder.of()))
                .apply(new TitleTrackCounts(2, 7, 3));
        PAssert.that(out).satisfies(rows -> {
            assertCounts(rows, playlists, counts);
            return null;
        });
        p.run().waitUntilFinish();
    }

    /** The rows hold, per title above the min count, its playlist count and its 7 most frequent tracks. */
    private static void assertCounts(Iterable<TitleTrackRows> rows, Map<String, Integer> playlists,
            Map<String, Map<Integer, Integer>> counts) {
        Map<String, long[]> got = new HashMap<>();
        Map<String, Long> gotN = new HashMap<>();
        for (TitleTrackRows r : rows) {
            for (int t = 0; t < r.titleCount(); t++) {
                String title = r.titles()[t];
                assertFalse(gotN.containsKey(title), "one row set per title");
                gotN.put(title, r.titlePlaylists()[t]);
                long[] pairs = new long[2 * (r.start()[t + 1] - r.start()[t])];
                for (int i = r.start()[t]; i < r.start()[t + 1]; i++) {
                    pairs[2 * (i - r.start()[t])] = r.trackIds()[i];
                    pairs[2 * (i - r.start()[t]) + 1] = r.counts()[i];
                }
                got.put(title, pairs);
            }
        }
        assertEquals(3, gotN.size(), "one-off is below min count: " + gotN.keySet());
        for (String title : List.of("chill", "rock mix", "workout")) {
            assertEquals((long) playlists.get(title), gotN.get(title), title);
            Map<Integer, Integer> c = counts.get(title);
            long[] want = c.entrySet().stream()
                    .sorted((a, b) -> !a.getValue().equals(b.getValue()) ? Integer.compare(b.getValue(), a.getValue())
                            : Integer.compare(a.getKey(), b.getKey()))
                    .limit(7).flatMapToLong(e -> java.util.stream.LongStream.of(e.getKey(), e.getValue())).toArray();
            assertArrayEquals(want, got.get(title), title + ": top 7 tracks by count, ties by id");
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new TitleTrackCounts(0, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new TitleTrackCounts(2, 0, 1));
    }
}
