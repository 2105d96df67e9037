package dev.segue.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.ChallengeCategory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Several challenge-shape splits per ranker playlist ({@link RankerHoldout#splits}) and the example key. */
class RankerHoldoutTest {
    static List<String> tracks(int n) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t.add("spotify:track:" + i);
        }
        return t;
    }

    @Test
    void everyShapeWhoseLengthBandHoldsThePlaylistOnceEachAValidSplit() {
        for (int n : new int[] {150, 60}) {
            List<String> tracks = tracks(n);
            List<RankerHoldout.Split> all = RankerHoldout.splits(42, "road trip", tracks, 10);
            Set<ChallengeCategory> shapes = EnumSet.noneOf(ChallengeCategory.class);
            for (RankerHoldout.Split s : all) {
                assertTrue(shapes.add(s.category()), "each shape once: " + s.category());
                ChallengeCategory c = s.category();
                assertEquals(c.seeds(), s.seeds().size(), c.toString());
                assertEquals(n - c.seeds(), s.heldOut().size(), c.toString());
                assertEquals(c.hasTitle() ? "road trip" : null, s.title(), c.toString());
                Set<String> seeds = new HashSet<>(s.seeds());
                for (String h : s.heldOut()) {
                    assertFalse(seeds.contains(h), "a held-out track is never a seed");
                }
                if (!c.random()) {
                    assertEquals(tracks.subList(0, c.seeds()), s.seeds(), "first n tracks: " + c);
                } else {
                    // a sample in playlist order, not the first n
                    assertTrue(s.seeds().size() == c.seeds() && !s.seeds().equals(tracks.subList(0, c.seeds())),
                            c.toString());
                    List<Integer> at = new ArrayList<>();
                    for (String seed : s.seeds()) {
                        at.add(tracks.indexOf(seed));
                    }
                    List<Integer> sorted = new ArrayList<>(at);
                    sorted.sort(null);
                    assertEquals(sorted, at, "random seeds keep playlist order");
                }
            }
            Set<ChallengeCategory> band = EnumSet.noneOf(ChallengeCategory.class);
            for (ChallengeCategory c : ChallengeCategory.values()) {
                if (c.inLengthBand(n)) {
                    band.add(c);
                }
            }
            assertEquals(band, shapes, n + " tracks");
        }
    }

    @Test
    void shapesFollowTheChallengesLengthBands() {
        // the challenge cuts the 25-seed shapes from 101-250 tracks, the 100-seed ones from 150-250, title only from
        // 10-50: a short playlist never teaches a long-seed shape, whose held-out tracks lie far from the seeds
        assertEquals(EnumSet.of(ChallengeCategory.TITLE_FIRST_25, ChallengeCategory.TITLE_RANDOM_25),
                shapesOf(120, "gym"));
        assertEquals(EnumSet.range(ChallengeCategory.TITLE_FIRST_25, ChallengeCategory.TITLE_RANDOM_100),
                shapesOf(250, "gym"));
        assertEquals(EnumSet.range(ChallengeCategory.TITLE_ONLY, ChallengeCategory.FIRST_10_NO_TITLE),
                shapesOf(45, "gym"));
        assertEquals(EnumSet.of(ChallengeCategory.TITLE_ONLY, ChallengeCategory.TITLE_FIRST_1,
                ChallengeCategory.TITLE_FIRST_5), shapesOf(30, "gym"));
        assertTrue(shapesOf(9, "gym").isEmpty(), "under every band");
        assertTrue(shapesOf(251, "gym").isEmpty(), "over every band");
        assertEquals(101, ChallengeCategory.TITLE_FIRST_25.minLength());
        assertEquals(78, ChallengeCategory.TITLE_FIRST_1.maxLength());
    }

    private static Set<ChallengeCategory> shapesOf(int n, String title) {
        Set<ChallengeCategory> got = EnumSet.noneOf(ChallengeCategory.class);
        RankerHoldout.splits(n, title, tracks(n), 10).forEach(s -> got.add(s.category()));
        return got;
    }

    @Test
    void theFirstSplitIsSplitsChoiceAndAPrefixOfMoreShapes() {
        for (long pid = 0; pid < 200; pid++) {
            List<String> tracks = tracks(5 + (int) (pid % 200));
            String title = pid % 3 == 0 ? null : "chill";
            RankerHoldout.Split one = RankerHoldout.split(pid, title, tracks);
            List<RankerHoldout.Split> three = RankerHoldout.splits(pid, title, tracks, 3);
            List<RankerHoldout.Split> all = RankerHoldout.splits(pid, title, tracks, 10);
            assertEquals(all, RankerHoldout.splits(pid, title, new ArrayList<>(tracks), 10), "deterministic");
            if (all.isEmpty()) {
                assertNull(one, "pid " + pid);
                continue;
            }
            assertEquals(one, three.get(0), "pid " + pid);
            assertEquals(three, all.subList(0, three.size()), "pid " + pid + ": k shapes are the first k of all");
        }
    }

    @Test
    void onlyTheShapesThePlaylistAllowsAndTitleOnlyNeedsATitle() {
        // 30 tracks, 7 distinct: the bands allow 0, 1 and 5 seeds, each leaving distinct tracks out
        List<String> repeated = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            repeated.add(tracks(7).get(i % 7));
        }
        Set<ChallengeCategory> got = EnumSet.noneOf(ChallengeCategory.class);
        RankerHoldout.splits(7, "gym", repeated, 10).forEach(s -> got.add(s.category()));
        assertEquals(EnumSet.of(ChallengeCategory.TITLE_ONLY, ChallengeCategory.TITLE_FIRST_1,
                ChallengeCategory.TITLE_FIRST_5), got);
        List<RankerHoldout.Split> untitled = RankerHoldout.splits(7, " ", tracks(30), 10);
        Set<ChallengeCategory> noTitle = EnumSet.noneOf(ChallengeCategory.class);
        untitled.forEach(s -> noTitle.add(s.category()));
        assertFalse(noTitle.contains(ChallengeCategory.TITLE_ONLY), "no seeds and no title teaches nothing");
        assertEquals(2, noTitle.size());
        List<String> twoDistinct = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            twoDistinct.add(i % 2 == 0 ? "a" : "b");
        }
        assertEquals(EnumSet.of(ChallengeCategory.TITLE_ONLY, ChallengeCategory.TITLE_FIRST_1),
                shapesOfTracks(twoDistinct), "5 seeds would keep both distinct tracks");
        List<String> one = new ArrayList<>(java.util.Collections.nCopies(30, "a"));
        assertTrue(RankerHoldout.splits(7, "gym", one, 10).isEmpty(), "one distinct track");
        assertNull(RankerHoldout.split(7, "gym", List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> RankerHoldout.splits(7, "gym", tracks(30), 0));
    }

    private static Set<ChallengeCategory> shapesOfTracks(List<String> tracks) {
        Set<ChallengeCategory> got = EnumSet.noneOf(ChallengeCategory.class);
        RankerHoldout.splits(7, "gym", tracks, 10).forEach(s -> got.add(s.category()));
        return got;
    }

    @Test
    void shapesAreSpreadOverPlaylistsNotAlwaysTheSameFew() {
        int[] count = new int[11];
        for (long pid = 0; pid < 1000; pid++) {
            for (RankerHoldout.Split s : RankerHoldout.splits(pid, "party", tracks(45), 4)) {
                count[s.category().id()]++;
            }
        }
        for (ChallengeCategory c : ChallengeCategory.values()) {
            // 45 tracks: the six shapes of 0-10 seeds fit; 4,000 splits over them, 667 expected each
            boolean band = c.seeds() <= 10;
            assertTrue(band ? count[c.id()] > 550 && count[c.id()] < 780 : count[c.id()] == 0, c + ": " + count[c.id()]);
        }
    }

    @Test
    void exampleKeysSeparateShapesOfOnePlaylistAndKeepPositions() {
        long a = RankerHoldout.exampleKey(1_000_123, ChallengeCategory.TITLE_ONLY, 0);
        long b = RankerHoldout.exampleKey(1_000_123, ChallengeCategory.TITLE_RANDOM_100, 65_535);
        long c = RankerHoldout.exampleKey(1_000_124, ChallengeCategory.TITLE_ONLY, 0);
        assertTrue(a < b && b < c, "sorted by pid, shape, position");
        assertEquals(RankerHoldout.exampleGroup(a), RankerHoldout.exampleGroup(a + 7));
        assertFalse(RankerHoldout.exampleGroup(a) == RankerHoldout.exampleGroup(b));
        assertEquals(1_000_123L, RankerHoldout.exampleGroup(b) >>> 4);
        assertEquals(10, RankerHoldout.exampleGroup(b) & 15);
    }
}
