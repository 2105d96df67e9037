package dev.segue.ranking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.FeatureSetContracts.TitleTracks;
import dev.segue.format.FeatureSetContracts.TrackNeighbours;
import dev.segue.format.FeatureSetContracts.TrackStats;
import dev.segue.format.FeatureSetContracts.Tracks;
import dev.segue.store.FeatureStore;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Candidates of every source and the feature rows on the hand-made {@link TinyWorld}, checked by hand. */
class CandidatesAndFeaturesTest {
    @TempDir
    static Path dir;
    static String factorsVersion;
    static RankingData data;

    @BeforeAll
    static void world() {
        factorsVersion = TinyWorld.write(dir.resolve("store"), true);
        data = RankingData.load(FeatureStore.open(dir.resolve("store")), factorsVersion);
    }

    /** Seeds 0, 1 (artist A, album a1), title "Chill!", WRMF proposes 9, 6 and the seed 0. */
    static RankRequest request() {
        return new RankRequest(new int[] {0, 1}, "Chill!", new int[] {9, 6, 0}, new float[] {0.9f, 0.8f, 0.7f});
    }

    @Test
    void loadsTheRunsSetsAndReportsNothingMissing() {
        assertEquals(Set.of(TrackStats.NAME, Tracks.NAME, TitleTracks.NAME, TrackNeighbours.NAME),
                data.versions().keySet());
        assertTrue(data.missingSources().isEmpty(), data.missingSources().toString());
        assertEquals(10, data.trackCount());
        assertEquals(3, data.trackId(TinyWorld.uri(3)));
        assertEquals(TinyWorld.uri(3), data.uri(3));
        assertEquals(null, data.uri(10));
        int[] rows = data.rowsByTrackId(u -> u.equals(TinyWorld.uri(4)) ? 0 : -1);
        assertEquals(10, rows.length);
        assertEquals(0, rows[4]);
        assertEquals(-1, rows[5]);
        assertEquals(-1, data.trackId("spotify:track:nope"));
        assertEquals(data.artist(0), data.artist(3));
        assertTrue(data.artist(0) != data.artist(4));
    }

    @Test
    void everySourceProposesWhatTheDataSays() {
        Candidates c = new CandidateGenerator(data, CandidateConfig.defaults()).generate(request());
        assertEquals(EnumSet.allOf(Source.class), c.sourcesRan());
        // first-stage order: WRMF (9, 6), neighbours' new (5), title (7, 8), artist (2, 3), popular's new (4)
        assertArrayEquals(new int[] {9, 6, 5, 7, 8, 2, 3, 4}, c.tracks());
        // WRMF: the caller's list without the seed 0
        assertEquals(2, c.proposed(Source.WRMF));
        assertEquals(0.8f, c.score(Source.WRMF, 1));
        assertEquals(1, c.rank(Source.WRMF, 1));
        // neighbours: 6 = 1·0.9 (last seed 1) + 0.9·0.2 (seed 0); 5 = 0.9·0.5; the seed 0 (neighbour of 1) excluded
        assertEquals(2, c.proposed(Source.NEIGHBOURS));
        assertEquals(0, c.rank(Source.NEIGHBOURS, 1));
        assertEquals(1.08f, c.score(Source.NEIGHBOURS, 1), 1e-6);
        assertEquals(1, c.rank(Source.NEIGHBOURS, 2));
        assertEquals(0.45f, c.score(Source.NEIGHBOURS, 2), 1e-6);
        // title "Chill!" normalizes to "chill": 7 (5/10), 8 (3/10); 0 is a seed
        assertEquals(2, c.proposed(Source.TITLE));
        assertEquals(0.5f, c.score(Source.TITLE, 3), 1e-7);
        assertEquals(0.3f, c.score(Source.TITLE, 4), 1e-7);
        // artist A holds both seeds: its other tracks by popularity, score 1 · ln(1 + playlists)
        assertEquals(2, c.proposed(Source.ARTIST));
        assertEquals(0, c.rank(Source.ARTIST, 5));
        assertEquals((float) Math.log1p(80), c.score(Source.ARTIST, 5), 1e-6);
        // album a1 holds only the seeds
        assertEquals(0, c.proposed(Source.ALBUM));
        // popular: every non-seed, most popular first
        assertEquals(8, c.proposed(Source.POPULAR));
        assertEquals(0, c.rank(Source.POPULAR, 5));
        assertEquals(7, c.rank(Source.POPULAR, 0));
        assertFalse(c.from(Source.TITLE, 0));
        assertTrue(Float.isNaN(c.score(Source.TITLE, 0)));
        assertEquals(-1, c.rank(Source.TITLE, 0));
    }

    @Test
    void eachSourceHonoursItsOwnCount() {
        CandidateConfig one = new CandidateConfig(1, 1, 1, 1, 1, 1, 25, 0.9, 5);
        Candidates c = new CandidateGenerator(data, one).generate(request());
        assertArrayEquals(new int[] {9, 6, 7, 2}, c.tracks());
        CandidateConfig noPopular = new CandidateConfig(500, 300, 100, 100, 50, 0, 25, 0.9, 5);
        assertFalse(new CandidateGenerator(data, noPopular).generate(request()).sourcesRan().contains(Source.POPULAR));
    }

    @Test
    void theArtistSourceGrowsWithTheSeedsUpToItsCap() {
        // artist 1 at least, 1 more per seed, at most 3; seeds' artists: A (1, 2, 3 left), B (5), C (7, 8, 9)
        CandidateConfig grows = new CandidateConfig(0, 0, 0, 1, 0, 0, 25, 0.9, 5, 1, 3);
        CandidateGenerator gen = new CandidateGenerator(data, grows);
        assertEquals(1, gen.generate(new RankRequest(new int[] {0}, null, null, null)).proposed(Source.ARTIST));
        assertEquals(2, gen.generate(new RankRequest(new int[] {0, 4}, null, null, null)).proposed(Source.ARTIST));
        assertEquals(3, gen.generate(new RankRequest(new int[] {0, 4, 6}, null, null, null)).proposed(Source.ARTIST));
        assertEquals(3, gen.generate(new RankRequest(new int[] {0, 4, 6, 1}, null, null, null))
                .proposed(Source.ARTIST));
        assertEquals(1, grows.artistCount(0));
        assertEquals(3, grows.artistCount(1_000_000_000));
        // fixed counts (the nine-argument constructor) do not grow
        assertEquals(100, new CandidateConfig(500, 300, 100, 100, 50, 300, 25, 0.9, 5).artistCount(100));
        assertEquals(500, CandidateConfig.defaults().artistCount(100));
        assertEquals(125, CandidateConfig.defaults().artistCount(25));
        assertEquals(100, CandidateConfig.defaults().artistCount(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CandidateConfig(0, 0, 0, 10, 0, 0, 25, 0.9, 5, 1, 5));
        assertTrue(e.getMessage().contains("artistMax=5"), e.getMessage());
    }

    @Test
    void thePopularSourceFillsInForMissingWrmfCandidates() {
        CandidateConfig small = new CandidateConfig(3, 0, 0, 0, 0, 1, 25, 0.9, 5);
        CandidateGenerator gen = new CandidateGenerator(data, small);
        // the factor model could not answer (unknown title, no seed): its 1 plus the 3 WRMF could not give
        Candidates none = gen.generate(new RankRequest(new int[0], "no such title", null, null));
        assertEquals(4, none.proposed(Source.POPULAR));
        assertEquals(4, none.size());
        // two WRMF candidates: one popular one fills the third place
        Candidates two = gen.generate(new RankRequest(new int[0], null, new int[] {3, 4}, new float[] {1f, 0.5f}));
        assertEquals(2, two.proposed(Source.POPULAR));
        // a full WRMF list: the popular source's own count
        Candidates full = gen.generate(new RankRequest(new int[0], null, new int[] {3, 4, 5}, new float[] {3, 2, 1}));
        assertEquals(1, full.proposed(Source.POPULAR));
    }

    @Test
    void recentSeedsWeighMoreInTheNeighbourSource() {
        // seeds in the other order, 0 last: with decay 0.1, 5 (0.5 from seed 0) beats 6 (0.2 from 0 + 0.1·0.9 from 1)
        CandidateConfig steep = new CandidateConfig(500, 300, 100, 100, 50, 50, 25, 0.1, 5);
        Candidates c = new CandidateGenerator(data, steep).generate(new RankRequest(new int[] {1, 0}, null, null, null));
        int five = indexOf(c, 5);
        int six = indexOf(c, 6);
        assertEquals(0, c.rank(Source.NEIGHBOURS, five));
        assertEquals(0.5f, c.score(Source.NEIGHBOURS, five), 1e-6);
        assertEquals(0.2f + 0.1f * 0.9f, c.score(Source.NEIGHBOURS, six), 1e-6);
        // only the last seed (0): its two neighbours, 6 with 0.2 alone
        CandidateConfig lastOnly = new CandidateConfig(500, 300, 100, 100, 50, 50, 1, 0.9, 5);
        Candidates d = new CandidateGenerator(data, lastOnly).generate(new RankRequest(new int[] {1, 0}, null, null, null));
        assertEquals(2, d.proposed(Source.NEIGHBOURS));
        assertEquals(0.2f, d.score(Source.NEIGHBOURS, indexOf(d, 6)), 1e-6);
    }

    @Test
    void missingOptionalSetsSwitchTheirSourcesOffAndSaySo(@TempDir Path other) {
        String v = TinyWorld.write(other, false);
        RankingData bare = RankingData.load(FeatureStore.open(other), v);
        assertEquals(Set.of(Tracks.NAME, TitleTracks.NAME, TrackNeighbours.NAME), bare.missingSources().keySet());
        assertTrue(bare.missingSources().get(TrackNeighbours.NAME).contains("co-occurrence source is off"));
        Candidates c = new CandidateGenerator(bare, CandidateConfig.defaults()).generate(request());
        assertEquals(EnumSet.of(Source.WRMF, Source.POPULAR), c.sourcesRan());
        float[] x = RankFeatures.compute(bare, TinyWorld.factorAccess(), request(), c, 5);
        int f = RankFeatures.count();
        assertTrue(Float.isNaN(x[RankFeatures.ARTIST_SHARE]));
        assertTrue(Float.isNaN(x[RankFeatures.ARTIST_TRACK_RANK]));
        assertTrue(Float.isNaN(x[RankFeatures.TITLE_SHARE]));
        assertEquals(1f, x[RankFeatures.TITLE_PRESENT]);
        assertEquals(c.size() * f, x.length);
    }

    @Test
    void aStoreWithoutTrackStatsIsRefusedByName(@TempDir Path empty) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RankingData.load(FeatureStore.open(empty), Map.of()));
        assertTrue(e.getMessage().contains("track_stats") && e.getMessage().contains(empty.toString()), e.getMessage());
    }

    @Test
    void logPlaylistsTableHoldsTheSameFloatsAsLog1p() {
        int[] ids = {0, 1, 2, 3};
        String[] uris = {"u0", "u1", "u2", "u3"};
        long[] playlists = {0, 1, 7, 1_000_003};
        RankingData d = new RankingData.Builder().stats(ids, uris, playlists).build();
        for (int t = 0; t < ids.length; t++) {
            // the features must not change by a bit: the ranker was trained on log1p computed per candidate
            assertEquals(Float.floatToRawIntBits((float) Math.log1p(playlists[t])),
                    Float.floatToRawIntBits(d.logPlaylists(t)), "track " + t);
            assertEquals(Float.floatToRawIntBits((float) Math.log1p(d.playlists(t))),
                    Float.floatToRawIntBits(CandidateGenerator.logPlaylists(d, t)), "track " + t);
        }
        assertEquals(0f, d.logPlaylists(-1));
        assertEquals(0f, d.logPlaylists(ids.length));
    }

    @Test
    void builderOrdersNeighboursByRankAndRefusesUnknownIds() {
        int[] ids = {0, 1, 2};
        String[] uris = {"u0", "u1", "u2"};
        long[] playlists = {5, 9, 5};
        // rows in any order: track 0's neighbours given worst first
        RankingData d = new RankingData.Builder().stats(ids, uris, playlists)
                .neighbours(new int[] {0, 0, 2}, new int[] {2, 1, 0}, new int[] {1, 0, 0}, new float[] {0.1f, 0.7f, 0.3f})
                .build();
        assertEquals(1, d.popularityRank(0));
        assertEquals(0, d.popularityRank(1));
        assertEquals(2, d.popularityRank(2));
        Candidates c = new CandidateGenerator(d, CandidateConfig.defaults()).generate(
                new RankRequest(new int[] {0}, null, null, null));
        assertEquals(1, c.track(0));
        assertEquals(0.7f, c.score(Source.NEIGHBOURS, 0));
        assertEquals(2, c.track(1));
        assertEquals(0.1f, c.score(Source.NEIGHBOURS, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RankingData.Builder()
                .stats(ids, uris, playlists).neighbours(new int[] {0}, new int[] {7}, new int[] {0}, new float[] {0.5f}));
        assertTrue(e.getMessage().contains("neighbour_id 7"), e.getMessage());
    }

    @Test
    void featuresByHand() {
        RankRequest r = request();
        Candidates c = new CandidateGenerator(data, CandidateConfig.defaults()).generate(r);
        float[] x = RankFeatures.compute(data, TinyWorld.factorAccess(), r, c, 5);
        int f = RankFeatures.count();
        assertEquals(RankFeatures.NAMES.size(), f);
        // candidate 6 is at first-stage position 1
        int o = f;
        assertEquals(0.8f, x[o + 2 * Source.WRMF.ordinal()]);
        assertEquals(1f, x[o + 2 * Source.WRMF.ordinal() + 1]);
        assertEquals(1.08f, x[o + 2 * Source.NEIGHBOURS.ordinal()], 1e-6);
        assertEquals(0f, x[o + 2 * Source.NEIGHBOURS.ordinal() + 1]);
        assertTrue(Float.isNaN(x[o + 2 * Source.TITLE.ordinal()]));
        assertTrue(Float.isNaN(x[o + 2 * Source.TITLE.ordinal() + 1]));
        assertEquals(4f, x[o + 2 * Source.POPULAR.ordinal() + 1]);
        assertEquals(3f, x[o + RankFeatures.SOURCES_COUNT]);
        assertEquals((float) Math.log1p(40), x[o + RankFeatures.LOG_PLAYLISTS]);
        assertEquals(0f, x[o + RankFeatures.ARTIST_SHARE]);
        assertEquals(0f, x[o + RankFeatures.ALBUM_SHARE]);
        assertEquals(0f, x[o + RankFeatures.SAME_ARTIST_AS_LAST]);
        // 6 = (0.6, 0.4); last seed 1 = (0.9, 0.1); seed 0 = (1, 0)
        assertEquals(0.58f, x[o + RankFeatures.SIM_LAST], 1e-5);
        assertEquals(0.59f, x[o + RankFeatures.SIM_MEAN_RECENT], 1e-5);
        assertEquals(0.6f, x[o + RankFeatures.SIM_MAX_RECENT], 1e-5);
        assertEquals(0f, x[o + RankFeatures.TITLE_SHARE]);
        assertEquals((float) Math.log1p(10), x[o + RankFeatures.TITLE_LOG_COUNT]);
        assertEquals(2f, x[o + RankFeatures.SEEDS]);
        assertEquals(1f, x[o + RankFeatures.TITLE_PRESENT]);
        assertEquals(1f, x[o + RankFeatures.FIRST_STAGE_POSITION]);
        // candidate 2 (position 5): artist A holds every seed, album a2 none, same artist as the last seed
        int p = 5 * f;
        assertEquals(1f, x[p + RankFeatures.ARTIST_SHARE]);
        assertEquals(0f, x[p + RankFeatures.ALBUM_SHARE]);
        assertEquals(1f, x[p + RankFeatures.SAME_ARTIST_AS_LAST]);
        // ... and is A's third most popular track (0, 1, 2): rank 2, per seed of A (2 seeds) 1
        assertEquals(2f, x[p + RankFeatures.ARTIST_TRACK_RANK]);
        assertEquals(1f, x[p + RankFeatures.ARTIST_TRACK_RANK_PER_SEED]);
        // candidate 6 is C's most popular track; no seed is by C
        assertEquals(0f, x[o + RankFeatures.ARTIST_TRACK_RANK]);
        assertTrue(Float.isNaN(x[o + RankFeatures.ARTIST_TRACK_RANK_PER_SEED]));
        // candidate 7 (position 3): title share 5/10
        assertEquals(0.5f, x[3 * f + RankFeatures.TITLE_SHARE]);
        // seeds in order by default; the same seeds as a random sample change that column and nothing else
        assertEquals(0f, x[o + RankFeatures.SEEDS_SHUFFLED]);
        RankRequest shuffled = new RankRequest(r.seeds(), r.title(), r.wrmfTracks(), r.wrmfScores(), true);
        float[] y = RankFeatures.compute(data, TinyWorld.factorAccess(), shuffled,
                new CandidateGenerator(data, CandidateConfig.defaults()).generate(shuffled), 5);
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            if (i % f == RankFeatures.SEEDS_SHUFFLED) {
                assertEquals(0f, x[i]);
                assertEquals(1f, y[i]);
            } else {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), "column " + i % f);
            }
        }
    }

    @Test
    void featuresWithoutSeedsTitleOrFactors() {
        RankRequest r = new RankRequest(new int[0], null, null, null);
        Candidates c = new CandidateGenerator(data, CandidateConfig.defaults()).generate(r);
        assertEquals(10, c.size());
        float[] x = RankFeatures.compute(data, FactorAccess.NONE, r, c, 5);
        assertEquals(0f, x[RankFeatures.SEEDS]);
        assertEquals(0f, x[RankFeatures.TITLE_PRESENT]);
        assertTrue(Float.isNaN(x[RankFeatures.SIM_LAST]));
        assertTrue(Float.isNaN(x[RankFeatures.ARTIST_SHARE]));
        assertTrue(Float.isNaN(x[RankFeatures.TITLE_LOG_COUNT]));
        assertTrue(Float.isNaN(x[RankFeatures.SEEDS_SHUFFLED]), "no seeds: in order or shuffled is moot");
    }

    /** The same request through two independently written stores and loads gives bit-identical rows. */
    @Test
    void twoIndependentLoadsGiveBitIdenticalFeatures(@TempDir Path other) {
        String v = TinyWorld.write(other, true);
        RankingData second = RankingData.load(FeatureStore.open(other), v);
        RankRequest[] requests = {request(), new RankRequest(new int[] {6, 3, 1}, "workout", new int[] {2, 4, 5},
                new float[] {0.3f, 0.2f, 0.1f}), new RankRequest(new int[] {9}, null, null, null)};
        for (RankRequest r : requests) {
            float[] a = features(data, r);
            float[] b = features(second, r);
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]),
                        r + " value " + i + " (" + RankFeatures.NAMES.get(i % RankFeatures.count()) + ")");
            }
        }
    }

    private static float[] features(RankingData d, RankRequest r) {
        CandidateConfig cfg = CandidateConfig.defaults();
        Candidates c = new CandidateGenerator(d, cfg).generate(r);
        return RankFeatures.compute(d, TinyWorld.factorAccess(), r, c, cfg.similaritySeeds());
    }

    static int indexOf(Candidates c, int track) {
        for (int i = 0; i < c.size(); i++) {
            if (c.track(i) == track) {
                return i;
            }
        }
        throw new AssertionError(track + " is not a candidate of " + c);
    }
}
