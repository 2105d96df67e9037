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
        // playlist pid 10: b, c, b ; pid 11: c
        a.addOccurrence(t("spotify:track:b", "B"), 10, 0, 0, 0.0);
        a.addOccurrence(t("spotify:track:c", "C"), 10, 1, 0, 0.5);
        a.addOccurrence(t("spotify:track:b", "B"), 10, 2, 0, 1.0);
        a.addOccurrence(t("spotify:track:c", "C"), 11, 0, 1, 0.0);
        TrackPartial.Builder b = new TrackPartial.Builder(4);
        // pid 20: a, c — c's name differs here, and pid 10 saw it first
        b.addOccurrence(t("spotify:track:a", "A"), 20, 0, 0, 0.0);
        b.addOccurrence(t("spotify:track:c", "A cover"), 20, 1, 0, 1.0);
        TrackPartial pa = a.build();
        TrackPartial pb = b.build();

        TrackPartial m1 = TrackPartial.merge(List.of(pa, pb));
        TrackPartial m2 = TrackPartial.merge(List.of(pb, pa));
        assertEquals(3, m1.size());
        for (int i = 0; i < m1.size(); i++) {
            assertEquals(m1.uri(i), m2.uri(i));
            assertEquals(m1.occurrences(i), m2.occurrences(i));
            assertEquals(m1.meanRelativePosition(i), m2.meanRelativePosition(i));
            assertEquals(m1.trackName[i], m2.trackName[i], "metadata choice is order-free");
        }
        int c = indexOf(m1, "spotify:track:c");
        assertEquals(3, m1.occurrences(c));
        assertEquals(3, m1.firstStagePlaylists[c]);
        assertEquals(0.5, m1.meanRelativePosition(c), 1e-9);
        assertEquals("C", m1.trackName[c], "the earliest occurrence's metadata, not the smallest");
        int bIndex = indexOf(m1, "spotify:track:b");
        assertEquals(2, m1.occurrences(bIndex));
        assertEquals(1, m1.firstStagePlaylists[bIndex], "a repeat in one playlist counts one playlist");

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
    void rankerPlaylistsCountForTheIdsButNotInTheStatisticsInAnyMergeOrder() {
        TrackPartial.Builder a = new TrackPartial.Builder(4);
        // pid 10 (first stage): b, c ; pid 11 (ranker): c, b, c
        a.addOccurrence(t("spotify:track:b", "B"), 10, 0, 0, 0.0, true);
        a.addOccurrence(t("spotify:track:c", "C"), 10, 1, 0, 1.0, true);
        a.addOccurrence(t("spotify:track:c", "C"), 11, 0, 1, 0.0, false);
        a.addOccurrence(t("spotify:track:b", "B"), 11, 1, 1, 0.5, false);
        a.addOccurrence(t("spotify:track:c", "C"), 11, 2, 1, 1.0, false);
        TrackPartial.Builder b = new TrackPartial.Builder(4);
        // pid 20 (ranker): a ; pid 21 (first stage): c, b
        b.addOccurrence(t("spotify:track:a", "A"), 20, 0, 0, 0.0, false);
        b.addOccurrence(t("spotify:track:c", "C"), 21, 0, 1, 0.0, true);
        b.addOccurrence(t("spotify:track:b", "B"), 21, 1, 1, 1.0, true);
        TrackPartial pa = a.build();
        TrackPartial pb = b.build();
        for (TrackPartial m : List.of(TrackPartial.merge(List.of(pa, pb)), TrackPartial.merge(List.of(pb, pa)))) {
            int c = indexOf(m, "spotify:track:c");
            assertEquals(4, m.occurrences(c), "every playlist");
            assertEquals(2, m.firstStageOccurrences(c));
            assertEquals(2, m.firstStagePlaylists(c));
            assertEquals(0.5, m.meanRelativePosition(c), 1e-12, "(1.0 + 0.0) / 2, not over the ranker's too");
            int bi = indexOf(m, "spotify:track:b");
            assertEquals(3, m.occurrences(bi));
            assertEquals(2, m.firstStageOccurrences(bi));
            assertEquals(2, m.firstStagePlaylists(bi));
            assertEquals(0.5, m.meanRelativePosition(bi), 1e-12);
            int ai = indexOf(m, "spotify:track:a");
            assertEquals(1, m.occurrences(ai), "a track only the ranker holds keeps its id");
            assertEquals(0, m.firstStageOccurrences(ai));
            assertEquals(0, m.firstStagePlaylists(ai));
            assertEquals(0.0, m.meanRelativePosition(ai));
        }
    }

    @Test
    void equalCountsAreOrderedByUri() {
        TrackPartial.Builder a = new TrackPartial.Builder(4);
        for (String u : new String[] {"spotify:track:z", "spotify:track:m", "spotify:track:a"}) {
            a.addOccurrence(t(u, u), 1, 0, 0, 0);
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
    void earliestOccurrenceDecidesMetadataInEveryOrderAndTiesTakeTheSmaller() {
        // Three groups see one track with different names; pid 3 is the earliest, whichever group saw it.
        TrackPartial.Builder g1 = new TrackPartial.Builder(2);
        g1.addOccurrence(t("spotify:track:x", "Zed"), 7, 4, 0, 0.0);
        g1.addOccurrence(t("spotify:track:x", "Early"), 3, 9, 1, 0.0);
        TrackPartial.Builder g2 = new TrackPartial.Builder(2);
        g2.addOccurrence(t("spotify:track:x", "Aardvark"), 5, 0, 0, 0.0);
        // The same (pid, index) twice (a repeated pid across files): the smaller metadata wins.
        TrackPartial.Builder g3 = new TrackPartial.Builder(2);
        g3.addOccurrence(t("spotify:track:x", "Early (b)"), 3, 9, 0, 0.0);
        TrackPartial p1 = g1.build(), p2 = g2.build(), p3 = g3.build();
        for (List<TrackPartial> order : List.of(List.of(p1, p2, p3), List.of(p3, p2, p1), List.of(p2, p3, p1))) {
            TrackPartial m = TrackPartial.merge(order);
            assertEquals(1, m.size());
            assertEquals("Early", m.trackName[0], "order " + order);
            assertEquals(4, m.occurrences(0));
            assertEquals(3, m.metadataPid[0]);
        }
        assertEquals("Early", p1.trackName[0], "within one builder too, a later pid does not replace it");
    }

    @Test
    void splitIsContiguousSlicesOfTheShardFunctionAndMergeRestoresTheWhole() {
        TrackPartial.Builder b = new TrackPartial.Builder(8);
        for (int i = 0; i < 500; i++) {
            b.addOccurrence(t("spotify:track:" + i, "T" + i), i % 37, i % 5, i % 37, 0.25);
        }
        TrackPartial whole = b.build();
        TrackPartial[] parts = whole.split(7);
        int total = 0;
        for (int s = 0; s < parts.length; s++) {
            for (int i = 0; i < parts[s].size(); i++) {
                assertEquals(s, UriHash.shard(parts[s].hash(i), 7));
            }
            total += parts[s].size();
        }
        assertEquals(500, total);
        TrackPartial back = TrackPartial.merge(List.of(parts));
        for (int i = 0; i < whole.size(); i++) {
            assertEquals(whole.hash(i), back.hash(i));
            assertEquals(whole.uri(i), back.uri(i));
        }
        // The shard function is monotone in the signed fingerprint order, over its whole range.
        assertEquals(0, UriHash.shard(Long.MIN_VALUE, 16));
        assertEquals(15, UriHash.shard(Long.MAX_VALUE, 16));
        assertEquals(8, UriHash.shard(0L, 16));
        assertEquals(7, UriHash.shard(-1L, 16));
    }

    @Test
    void aFingerprintCollisionFailsLoudly() {
        TrackPartial.Builder a = new TrackPartial.Builder(2);
        a.addOccurrence(t("spotify:track:a", "A"), 1, 0, 0, 0);
        TrackPartial.Builder b = new TrackPartial.Builder(2);
        b.addOccurrence(t("spotify:track:a", "A"), 2, 0, 0, 0);
        TrackPartial pa = a.build();
        TrackPartial pb = b.build();
        pb.uri[0] = "spotify:track:impostor"; // as if two URIs shared one fingerprint
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TrackPartial.merge(List.of(pa, pb)));
        assertTrue(e.getMessage().contains("spotify:track:impostor"), e.getMessage());
    }

    @Test
    void vocabularyLookupsFindEveryTrackAndNothingElseAcrossTheWholeFingerprintRange() {
        java.util.Random rnd = new java.util.Random(9);
        java.util.TreeSet<Long> set = new java.util.TreeSet<>(List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L));
        while (set.size() < 5000) {
            set.add(rnd.nextLong());
        }
        long[] hashes = set.stream().mapToLong(Long::longValue).toArray();
        int[] ids = new int[hashes.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 7919) % ids.length;
        }
        TrackVocabulary v = new TrackVocabulary(hashes, ids);
        for (int i = 0; i < hashes.length; i++) {
            assertEquals(ids[i], v.id(hashes[i]), "fingerprint " + hashes[i]);
        }
        for (int i = 0; i < 5000; i++) {
            long h = rnd.nextLong();
            assertEquals(set.contains(h) ? ids[set.headSet(h).size()] : -1, v.id(h));
        }
        assertEquals(-1, new TrackVocabulary(new long[0], new int[0]).id(42), "an empty vocabulary");
        TrackVocabulary one = new TrackVocabulary(new long[] {Long.MIN_VALUE}, new int[] {0});
        assertEquals(0, one.id(Long.MIN_VALUE));
        assertEquals(-1, one.id(Long.MAX_VALUE));
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
