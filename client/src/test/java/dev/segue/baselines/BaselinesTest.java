package dev.segue.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.titles.TitleVectors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each baseline on a hand-made training set small enough to know the right answer. */
class BaselinesTest {
    static MpdTrack t(String track, String artist) {
        return new MpdTrack(0, artist, "spotify:track:" + track, "spotify:artist:" + artist, track, "al", 1, "al");
    }

    static MpdPlaylist p(long pid, String name, MpdTrack... tracks) {
        return new MpdPlaylist(name, false, pid, 0, tracks.length, 1, 0, 1, 0, 1, null, List.of(tracks));
    }

    static ChallengePlaylist c(String name, MpdTrack... seeds) {
        return new ChallengePlaylist(1, name, 5, seeds.length, seeds.length + 5, List.of(seeds));
    }

    static List<String> ids(List<String> uris) {
        return uris.stream().map(u -> u.substring("spotify:track:".length())).toList();
    }

    // occurrences: x1 5, b1 3, x2 3 (ties by URI: b1 first), a1 2, then a2, b2, c1, c2 with 1; artists x 8, b 4, a 3
    static final TrainingData DATA = TrainingData.of(List.of(
            p(0, "Rock!", t("x1", "x"), t("x2", "x"), t("a1", "a"), t("a2", "a")),
            p(1, "rock", t("x1", "x"), t("x2", "x"), t("b1", "b"), t("b2", "b")),
            p(2, "chill", t("x1", "x"), t("b1", "b"), t("c1", "c"), t("a1", "a")),
            p(3, "chill vibes", t("x1", "x"), t("x2", "x"), t("b1", "b"), t("c2", "c"), t("x1", "x"))));

    @Test
    void trainingDataCounts() {
        assertEquals(8, DATA.trackCount());
        assertEquals(4, DATA.playlistCount());
        assertEquals(5, DATA.occurrences(DATA.trackId("spotify:track:x1")), "a repeat within a playlist counts");
        assertEquals(3, DATA.titleCount(), "'Rock!' and 'rock' normalise to one title");
        assertEquals("spotify:artist:b", DATA.artistOf("spotify:track:b2"));
        assertEquals(-1, DATA.trackId("spotify:track:zz"));
    }

    @Test
    void popularExcludesSeedsAndKeepsOrder() {
        Recommender r = new PopularTracks(DATA);
        assertEquals(List.of("x1", "b1", "x2", "a1", "a2", "b2", "c1", "c2"), ids(r.recommend(c("t"), 10)));
        assertEquals(List.of("x2", "a1", "a2"), ids(r.recommend(c("t", t("x1", "x"), t("b1", "b")), 3)));
    }

    @Test
    void similarPlaylistTakesTheMostSimilarPlaylistFirst() {
        Recommender r = new SimilarPlaylist(DATA);
        // seeds {c1, a1}: playlist 2 has both (J = 2/4), playlist 0 has a1 (J = 1/5)
        assertEquals(List.of("x1", "b1", "x2", "a2", "b2", "c2"),
                ids(r.recommend(c(null, t("c1", "c"), t("a1", "a")), 6)));
        // no known seeds: the popular list
        assertEquals(List.of("x1", "b1"), ids(r.recommend(c("t", t("zz", "z")), 2)));
    }

    @Test
    void popularArtistUsesTheMostPopularSeedArtist() {
        Recommender r = new PopularArtist(DATA);
        // seed artists a (3 plays) and b (4 plays): b's tracks first (b1 is a seed), then popular
        assertEquals(List.of("b2", "x1", "x2"), ids(r.recommend(c(null, t("a2", "a"), t("b1", "b")), 3)));
        // no seeds: the most played artist overall is x
        assertEquals(List.of("x1", "x2", "b1"), ids(r.recommend(c("t"), 3)));
    }

    @Test
    void artistWeightedPopularitySplitsSlotsBySeedCount() {
        Recommender r = new ArtistWeightedPopularity(DATA);
        // seeds: a ×2 (a1, a2 are both seeds, so a has nothing left), c ×1; k = 3: c gets ceil(3·1/3) = 1 slot
        assertEquals(List.of("c1", "x1", "b1"),
                ids(r.recommend(c(null, t("a1", "a"), t("a2", "a"), t("c2", "c")), 3)));
        // seeds b ×2, c ×1, k = 6: b gets 4 slots but has only b2 left; c gets 2: c1, c2
        assertEquals(List.of("b2", "c1", "c2", "x1", "x2", "a1"),
                ids(r.recommend(c(null, t("b1", "b"), t("b9", "b"), t("c9", "c")), 6)));
    }

    @Test
    void titleNeighboursWeightsTitlesBySimilarity() {
        // 2-d title space: "rock" along x, "chill" along y, "chill vibes" between
        TitleVectors v = new TitleVectors(new String[] {"rock", "chill", "chill vibes", "vibes"},
                new String[] {"title", "title", "title", "token"}, new long[] {2, 1, 1, 1},
                new float[] {1, 0, 0, 1, 0.6f, 0.8f, 0.6f, 0.8f}, 2);
        TitleNeighbours r = new TitleNeighbours(DATA, v);
        assertEquals(3, r.knownTitles());
        // "Rock" -> rock (cos 1), chill vibes (0.6); chill (0) is not positive. k = 4: rock gets ceil(4/1.6) = 3
        // of its tracks by frequency (x1, x2 in both rock playlists; then b1, the most popular of the rest),
        // chill vibes ceil(2.4/1.6) = 2 slots but only one is left: its first new track, c2
        List<String> got = ids(r.recommend(c("Rock"), 4));
        assertEquals(List.of("x1", "x2", "b1", "c2"), got);
        // unknown title: popular
        assertEquals(List.of("x1", "b1"), ids(r.recommend(c("polka"), 2)));
        // a token match ("my vibes" -> token vibes) finds chill vibes first
        assertEquals("b1", ids(r.recommend(c("my vibes", t("x1", "x"), t("x2", "x")), 1)).get(0));
    }

    @Test
    void everyBaselineReturnsDistinctNonSeedTracks() {
        TitleVectors v = new TitleVectors(new String[] {"rock"}, new String[] {"title"}, new long[] {1},
                new float[] {1, 0}, 2);
        List<Recommender> all = List.of(new PopularTracks(DATA), new SimilarPlaylist(DATA), new PopularArtist(DATA),
                new ArtistWeightedPopularity(DATA), new TitleNeighbours(DATA, v));
        ChallengePlaylist playlist = c("rock", t("x1", "x"), t("b2", "b"));
        for (Recommender r : all) {
            List<String> got = r.recommend(playlist, 5);
            assertEquals(5, got.size(), r.name());
            assertEquals(5, new HashSet<>(got).size(), r.name());
            assertTrue(!got.contains("spotify:track:x1") && !got.contains("spotify:track:b2"), r.name());
        }
    }

    @Test
    void namesResolve() {
        List<String> skipped = new ArrayList<>();
        assertEquals(List.of("popular", "similar-playlist", "popular-artist", "artist-popularity"),
                Baselines.resolve(List.of("all"), true, false, false, skipped::add));
        assertEquals(5, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).contains("title-knn") && skipped.get(0).contains("--store"), skipped.get(0));
        assertTrue(skipped.get(1).contains("als-exact"), skipped.get(1));
        assertTrue(skipped.get(2).contains("first-stage") && skipped.get(2).contains("--store"), skipped.get(2));
        assertTrue(skipped.get(3).contains("two-stage") && skipped.get(3).contains("--store"), skipped.get(3));
        assertTrue(skipped.get(4).contains("oracle") && skipped.get(4).contains("--oracle"), skipped.get(4));
        assertEquals(List.of("popular", "oracle"),
                Baselines.resolve(List.of("popular,oracle", "popular"), true, false, true, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Baselines.resolve(List.of("random"), true, true, true, null));
        assertTrue(e.getMessage().startsWith("unknown baseline 'random'; choose from: popular"), e.getMessage());
        assertThrows(BaselineInputs.MissingInputException.class,
                () -> Baselines.resolve(List.of("title-knn"), true, false, false, null));
        Set<String> names = new HashSet<>(Baselines.names());
        assertTrue(names.contains("oracle") && names.contains("similar-playlist") && names.contains("als-exact"));
    }
}
