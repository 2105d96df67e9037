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
    void aLongTitledPlaylistGivesEveryShapeOnceEachAValidSplit() {
        List<String> tracks = tracks(150);
        List<RankerHoldout.Split> all = RankerHoldout.splits(42, "road trip", tracks, 10);
        assertEquals(10, all.size());
        Set<ChallengeCategory> shapes = EnumSet.noneOf(ChallengeCategory.class);
        for (RankerHoldout.Split s : all) {
            assertTrue(shapes.add(s.category()), "each shape once: " + s.category());
            ChallengeCategory c = s.category();
            assertEquals(c.seeds(), s.seeds().size(), c.toString());
            assertEquals(150 - c.seeds(), s.heldOut().size(), c.toString());
            assertEquals(c.hasTitle() ? "road trip" : null, s.title(), c.toString());
            Set<String> seeds = new HashSet<>(s.seeds());
            for (String h : s.heldOut()) {
                assertFalse(seeds.contains(h), "a held-out track is never a seed");
            }
            if (!c.random()) {
                assertEquals(tracks.subList(0, c.seeds()), s.seeds(), "first n tracks: " + c);
            } else {
                // a sample in playlist order, not the first n
                assertTrue(s.seeds().size() == c.seeds() && !s.seeds().equals(tracks.subList(0, c.seeds())), c.toString());
                List<Integer> at = new ArrayList<>();
                for (String seed : s.seeds()) {
                    at.add(tracks.indexOf(seed));
                }
                List<Integer> sorted = new ArrayList<>(at);
                sorted.sort(null);
                assertEquals(sorted, at, "random seeds keep playlist order");
            }
        }
    }

    @Test
    void theFirstSplitIsSplitsChoiceAndAPrefixOfMoreShapes() {
        for (long pid = 0; pid < 200; pid++) {
            List<String> tracks = tracks(5 + (int) (pid % 120));
            String title = pid % 3 == 0 ? null : "chill";
            RankerHoldout.Split one = RankerHoldout.split(pid, title, tracks);
            List<RankerHoldout.Split> three = RankerHoldout.splits(pid, title, tracks, 3);
            List<RankerHoldout.Split> all = RankerHoldout.splits(pid, title, tracks, 10);
            assertEquals(one, three.get(0), "pid " + pid);
            assertEquals(three, all.subList(0, three.size()), "pid " + pid + ": k shapes are the first k of all");
            assertEquals(all, RankerHoldout.splits(pid, title, new ArrayList<>(tracks), 10), "deterministic");
        }
    }

    @Test
    void onlyTheShapesThePlaylistAllowsAndTitleOnlyNeedsATitle() {
        // 7 distinct tracks: shapes keeping 0, 1 or 5 seeds leave tracks out; 10, 25, 100 do not
        List<RankerHoldout.Split> titled = RankerHoldout.splits(7, "gym", tracks(7), 10);
        Set<ChallengeCategory> got = EnumSet.noneOf(ChallengeCategory.class);
        titled.forEach(s -> got.add(s.category()));
        assertEquals(EnumSet.of(ChallengeCategory.TITLE_ONLY, ChallengeCategory.TITLE_FIRST_1,
                ChallengeCategory.TITLE_FIRST_5, ChallengeCategory.FIRST_5_NO_TITLE), got);
        List<RankerHoldout.Split> untitled = RankerHoldout.splits(7, " ", tracks(7), 10);
        Set<ChallengeCategory> noTitle = EnumSet.noneOf(ChallengeCategory.class);
        untitled.forEach(s -> noTitle.add(s.category()));
        assertFalse(noTitle.contains(ChallengeCategory.TITLE_ONLY), "no seeds and no title teaches nothing");
        assertEquals(3, noTitle.size());
        assertTrue(RankerHoldout.splits(7, "gym", List.of("a", "a"), 10).isEmpty(), "one distinct track");
        assertNull(RankerHoldout.split(7, "gym", List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> RankerHoldout.splits(7, "gym", tracks(7), 0));
    }

    @Test
    void shapesAreSpreadOverPlaylistsNotAlwaysTheSameFew() {
        int[] count = new int[11];
        for (long pid = 0; pid < 1000; pid++) {
            for (RankerHoldout.Split s : RankerHoldout.splits(pid, "party", tracks(200), 4)) {
                count[s.category().id()]++;
            }
        }
        for (ChallengeCategory c : ChallengeCategory.values()) {
            // 4,000 splits over 10 shapes: 400 expected each
            assertTrue(count[c.id()] > 300 && count[c.id()] < 500, c + ": " + count[c.id()]);
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
