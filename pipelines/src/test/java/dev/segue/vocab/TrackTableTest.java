package dev.segue.vocab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.MpdTrack;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Track aggregation and id assignment without a runner (the merge and ranking functions themselves). */
class TrackTableTest {
    static MpdTrack t(String uri, String name) {
        return new MpdTrack(0, "artist", uri, "spotify:artist:x", name, "spotify:album:y", 1000, "album");
    }

    @Test
    void partialsMergeExactlyInAnyOrderAndIdsFollowPopularityThenUri() {
        TrackPartial.Builder a = new TrackPartial.Builder(4);
        // playlist 0: b, c, b ; playlist 1: c
        a.addOccurrence(t("spotify:track:b", "B"), 0, 0.0);
        a.addOccurrence(t("spotify:track:c", "C"), 0, 0.5);
        a.addOccurrence(t("spotify:track:b", "B"), 0, 1.0);
        a.addOccurrence(t("spotify:track:c", "C"), 1, 0.0);
        TrackPartial.Builder b = new TrackPartial.Builder(4);
        b.addOccurrence(t("spotify:track:a", "A"), 0, 0.0);
        b.addOccurrence(t("spotify:track:c", "C (remaster)"), 0, 1.0);
        TrackPartial pa = a.build();
        TrackPartial pb = b.build();

        TrackPartial.Builder ab = new TrackPartial.Builder(1);
        ab.addAll(pa);
        ab.addAll(pb);
        TrackPartial.Builder ba = new TrackPartial.Builder(1);
        ba.addAll(pb);
        ba.addAll(pa);
        TrackPartial m1 = ab.build();
        TrackPartial m2 = ba.build();
        assertEquals(3, m1.size());
        for (int i = 0; i < m1.size(); i++) {
            assertEquals(m1.uri(i), m2.uri(i));
            assertEquals(m1.occurrences(i), m2.occurrences(i));
            assertEquals(m1.meanRelativePosition(i), m2.meanRelativePosition(i));
            assertEquals(m1.trackName[i], m2.trackName[i], "metadata choice is order-free");
        }
        int c = indexOf(m1, "spotify:track:c");
        assertEquals(3, m1.occurrences(c));
        assertEquals(3, m1.playlists[c]);
        assertEquals(0.5, m1.meanRelativePosition(c), 1e-9);
        assertEquals("C", m1.trackName[c]);
        int bIndex = indexOf(m1, "spotify:track:b");
        assertEquals(2, m1.occurrences(bIndex));
        assertEquals(1, m1.playlists[bIndex], "a repeat in one playlist counts one playlist");

        // Split into shards and rank: c (3) first, then b (2), then a (1); equal counts would order by URI.
        TrackPartial[] shards = m1.split(2);
        BuildTrackTable.AssignIdsFn fn = new BuildTrackTable.AssignIdsFn();
        List<BuildTrackTable.RankEntries> acc = fn.createAccumulator();
        for (TrackPartial s : shards) {
            acc = fn.addInput(acc, new BuildTrackTable.RankEntries(s.hash, s.occurrences, s.uri));
        }
        TrackVocabulary v = fn.extractOutput(acc);
        assertEquals(3, v.size());
        assertEquals(0, v.id(UriHash.of("spotify:track:c")));
        assertEquals(1, v.id(UriHash.of("spotify:track:b")));
        assertEquals(2, v.id(UriHash.of("spotify:track:a")));
        assertEquals(-1, v.id(UriHash.of("spotify:track:zzz")));
    }

    @Test
    void equalCountsAreOrderedByUri() {
        TrackPartial.Builder a = new TrackPartial.Builder(4);
        for (String u : new String[] {"spotify:track:z", "spotify:track:m", "spotify:track:a"}) {
            a.addOccurrence(t(u, u), 0, 0);
        }
        TrackPartial p = a.build();
        BuildTrackTable.AssignIdsFn fn = new BuildTrackTable.AssignIdsFn();
        TrackVocabulary v = fn.extractOutput(fn.addInput(fn.createAccumulator(),
                new BuildTrackTable.RankEntries(p.hash, p.occurrences, p.uri)));
        assertEquals(0, v.id(UriHash.of("spotify:track:a")));
        assertEquals(1, v.id(UriHash.of("spotify:track:m")));
        assertEquals(2, v.id(UriHash.of("spotify:track:z")));
    }

    @Test
    void primitiveMapAndSortBehave() {
        LongIntMap m = new LongIntMap(2);
        for (int i = 0; i < 1000; i++) {
            m.put(i * 7919L, i);
        }
        assertEquals(1000, m.size());
        assertEquals(500, m.get(500 * 7919L));
        assertEquals(-1, m.get(3));
        assertThrows(IllegalArgumentException.class, () -> m.put(1, -1));
        int[] v = {5, 1, 4, 1, 3};
        int[] order = IndexSort.sort(v.length, (x, y) -> Integer.compare(v[x], v[y]));
        assertEquals(List.of(1, 3, 4, 2, 0), java.util.Arrays.stream(order).boxed().toList(), "stable");
        assertTrue(UriHash.shard(UriHash.of("spotify:track:a"), 16) < 16);
    }

    private static int indexOf(TrackPartial p, String uri) {
        for (int i = 0; i < p.size(); i++) {
            if (p.uri(i).equals(uri)) {
                return i;
            }
        }
        throw new AssertionError(uri);
    }
}
