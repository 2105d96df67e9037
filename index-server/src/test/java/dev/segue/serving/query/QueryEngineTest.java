package dev.segue.serving.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.als.WrmfParams;
import dev.segue.serving.TestData;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.Candidates;
import dev.segue.serving.index.FactorMatrix;
import dev.segue.serving.index.RowFilter;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.model.TrackCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.segue.titles.TitleTracks;

class QueryEngineTest {
    @TempDir
    static Path store;
    static SyntheticCatalog synthetic;
    static ServingModel model;
    static QueryEngine engine = new QueryEngine(new QueryOptions(5.0, 100, 0.2));

    @BeforeAll
    static void load() throws Exception {
        synthetic = TestData.catalog();
        String version = synthetic.writeTo(store);
        model = TestData.load(store, version);
    }

    private static List<String> uris(int[] rows) {
        List<String> out = new ArrayList<>();
        for (int r : rows) {
            out.add(model.catalog().trackUri(r));
        }
        return out;
    }

    @Test
    void seedAnswersMatchAnExactFoldInAndExactScanWithinRecall() {
        SplittableRandom random = new SplittableRandom(3);
        double recall = 0;
        int queries = 25;
        for (int q = 0; q < queries; q++) {
            int[] seeds = synthetic.playlist(random, 5);
            Recommendation r = engine.recommend(model, new ContinueQuery(null, uris(seeds), 100, FilterSpec.NONE),
                    Cancellation.NEVER);
            assertEquals(Strategy.SEEDS, r.strategy());
            float[] user = solveRowEquation(model.factors(), seeds, SyntheticCatalog.PARAMS);
            Set<Integer> seedSet = new HashSet<>();
            Arrays.stream(seeds).forEach(seedSet::add);
            Candidates exact = model.exact().search(user, 100, row -> !seedSet.contains(row), Cancellation.NEVER);
            Candidates got = r.tracks();
            assertEquals(100, got.size());
            for (int i = 0; i < got.size(); i++) {
                int row = got.ids()[i];
                assertFalse(seedSet.contains(row), "seeds are never recommended");
                assertEquals(model.factors().dot(row, user), got.scores()[i], 1e-4f * Math.abs(got.scores()[i]) + 1e-5f,
                        "scores are exact inner products with the fold-in vector");
            }
            recall += overlap(got, exact);
        }
        assertTrue(recall / queries >= 0.95, "recall " + recall / queries);
    }

    /** The WRMF row equation solved independently in double precision (Gaussian elimination). */
    static float[] solveRowEquation(FactorMatrix y, int[] seeds, WrmfParams p) {
        int d = y.dim();
        double[][] a = new double[d][d + 1];
        for (int row = 0; row < y.rows(); row++) {
            float[] v = y.row(row);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    a[i][j] += (double) v[i] * v[j];
                }
            }
        }
        int[] sorted = seeds.clone();
        Arrays.sort(sorted);
        for (int s = 0; s < sorted.length; ) {
            int id = sorted[s];
            int count = 0;
            while (s < sorted.length && sorted[s] == id) {
                count++;
                s++;
            }
            double c = p.confidence(count);
            float[] v = y.row(id);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    a[i][j] += (c - 1) * v[i] * v[j];
                }
                a[i][d] += c * v[i];
            }
        }
        for (int i = 0; i < d; i++) {
            a[i][i] += p.regularization();
        }
        for (int col = 0; col < d; col++) {
            int pivot = col;
            for (int r = col + 1; r < d; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < d; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int c = col; c <= d; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        float[] x = new float[d];
        for (int i = 0; i < d; i++) {
            x[i] = (float) (a[i][d] / a[i][i]);
        }
        return x;
    }

    static double overlap(Candidates got, Candidates truth) {
        Set<Integer> t = new HashSet<>();
        for (int i = 0; i < truth.size(); i++) {
            t.add(truth.ids()[i]);
        }
        int hits = 0;
        for (int i = 0; i < got.size(); i++) {
            if (t.contains(got.ids()[i])) {
                hits++;
            }
        }
        return truth.size() == 0 ? 1 : hits / (double) truth.size();
    }

    @Test
    void titleOnlyUsesTheNormalisedTitleVector() {
        Recommendation r = engine.recommend(model, new ContinueQuery("  G3   MIX!! ", List.of(), 50, FilterSpec.NONE),
                Cancellation.NEVER);
        assertEquals(Strategy.TITLE, r.strategy());
        float[] title = model.titles().vector("g3 mix");
        int inCluster = 0;
        for (int i = 0; i < r.tracks().size(); i++) {
            int row = r.tracks().ids()[i];
            assertEquals(model.factors().dot(row, title), r.tracks().scores()[i]);
            if (synthetic.clusterOf(row) == 3) {
                inCluster++;
            }
        }
        assertTrue(inCluster >= 45, "title g3 should mostly give cluster 3, got " + inCluster + "/50");
    }

    @Test
    void titleOnlyRanksWithTheTitlesTracksWhenLoaded() {
        // 5,000 "g3 mix" playlists held three tracks of cluster 5 (4,000, 3,000 and 2,000 times) and one of cluster 3
        int[] held = new int[4];
        int found = 0;
        for (int row = 0; row < model.factors().rows() && found < 3; row++) {
            if (synthetic.clusterOf(row) == 5) {
                held[found++] = row;
            }
        }
        for (int row = 0; row < model.factors().rows(); row++) {
            if (synthetic.clusterOf(row) == 3) {
                held[3] = row;
                break;
            }
        }
        long[] counts = {4000, 3000, 2000, 10};
        TitleTracks tracks = new TitleTracks(new String[] {"g3 mix", "g3 mix", "g3 mix", "g3 mix"}, held, counts,
                new long[] {5000, 5000, 5000, 5000});
        ServingModel withTracks = new ServingModel(model.info(), model.factors(), model.catalog(), model.popularity(),
                model.foldIn(), model.titles(), tracks, model.index());
        Recommendation r = engine.recommend(withTracks, new ContinueQuery("G3 Mix", List.of(), 50, FilterSpec.NONE),
                Cancellation.NEVER);
        assertEquals(Strategy.TITLE, r.strategy());
        assertEquals(List.of(held[0], held[1], held[2]), List.of(r.tracks().ids()[0], r.tracks().ids()[1],
                r.tracks().ids()[2]), "what the title's playlists held comes first");
        float[] title = model.titles().vector("g3 mix");
        java.util.Map<Integer, Long> c = new java.util.HashMap<>();
        for (int i = 0; i < held.length; i++) {
            c.put(held[i], counts[i]);
        }
        for (int i = 0; i < r.tracks().size(); i++) {
            int row = r.tracks().ids()[i];
            assertEquals((float) TitleTracks.score(c.getOrDefault(row, 0L), 5000, model.factors().dot(row, title),
                    TitleTracks.DEFAULT_PSEUDO_PLAYLISTS), r.tracks().scores()[i], 1e-6f);
        }
        assertEquals(50, r.tracks().size());
        // κ is the server's option: a prior worth far more than the title's 5,000 playlists ranks as the factors do
        QueryEngine priorOnly = new QueryEngine(new QueryOptions(5.0, 100, 0.2, 1e12));
        int[] byPrior = priorOnly.recommend(withTracks, new ContinueQuery("G3 Mix", List.of(), 50, FilterSpec.NONE),
                Cancellation.NEVER).tracks().ids();
        int[] byFactors = engine.recommend(model, new ContinueQuery("G3 Mix", List.of(), 50, FilterSpec.NONE),
                Cancellation.NEVER).tracks().ids();
        assertArrayEquals(Arrays.copyOf(byFactors, 10), Arrays.copyOf(byPrior, 10));
        // without title tracks, with seeds, or another title: unchanged
        Recommendation plain = engine.recommend(model, new ContinueQuery("G3 Mix", List.of(), 50, FilterSpec.NONE),
                Cancellation.NEVER);
        assertFalse(plain.tracks().ids()[0] == held[0]);
        int[] seeds = synthetic.playlist(new SplittableRandom(8), 2);
        assertArrayEquals(engine.recommend(model, new ContinueQuery("g3 mix", uris(seeds), 20, FilterSpec.NONE),
                Cancellation.NEVER).tracks().ids(), engine.recommend(withTracks, new ContinueQuery("g3 mix", uris(seeds),
                20, FilterSpec.NONE), Cancellation.NEVER).tracks().ids());
    }

    @Test
    void seedsAndTitleAreBlendedBySeedCount() {
        int[] seeds = synthetic.playlist(new SplittableRandom(8), 2);
        Recommendation r = engine.recommend(model, new ContinueQuery("g1 mix", uris(seeds), 20, FilterSpec.NONE),
                Cancellation.NEVER);
        assertEquals(Strategy.SEEDS_AND_TITLE, r.strategy());
        float[] blended = dev.segue.titles.QueryBlend.blend(model.foldIn().userVector(seeds), 2, model.titles().vector("g1 mix"), 5.0);
        Candidates exact = model.exact().search(blended, 20, row -> row != seeds[0] && row != seeds[1],
                Cancellation.NEVER);
        assertTrue(overlap(r.tracks(), exact) >= 0.9);
        assertEquals(model.factors().dot(r.tracks().ids()[0], blended), r.tracks().scores()[0]);
        float[] w = dev.segue.titles.QueryBlend.blend(new float[] {1f}, 5, new float[] {0f}, 5.0);
        assertEquals(0.5f, w[0], 1e-6f, "5 seeds against a prior of 5 weigh half");
        assertEquals(1f, dev.segue.titles.QueryBlend.blend(new float[] {1f}, 3, new float[] {0f}, 0.0)[0], 1e-6f);
    }

    @Test
    void unknownSeedsAreReportedOnceInOrderAndNoEvidenceFallsBackToPopularity() {
        Recommendation r = engine.recommend(model, new ContinueQuery("zzz qqq", List.of("spotify:track:nope2",
                "spotify:track:nope1", "spotify:track:nope2"), 30, FilterSpec.NONE), Cancellation.NEVER);
        assertEquals(List.of("spotify:track:nope2", "spotify:track:nope1"), r.unknownSeeds());
        assertEquals(Strategy.POPULARITY_FALLBACK, r.strategy());
        int[] expected = Arrays.copyOf(model.popularity(), 30);
        assertArrayEquals(expected, Arrays.copyOf(r.tracks().ids(), 30));
        assertEquals(1f, r.tracks().scores()[0]);
        assertTrue(r.tracks().scores()[1] < r.tracks().scores()[0]);
        Recommendation none = engine.recommend(model, new ContinueQuery(null, List.of(), 5, FilterSpec.NONE),
                Cancellation.NEVER);
        assertEquals(Strategy.POPULARITY_FALLBACK, none.strategy());
    }

    @Test
    void filtersExcludeTracksAndArtistsAndAllowListsAreExact() {
        TrackCatalog catalog = model.catalog();
        int[] seeds = synthetic.playlist(new SplittableRandom(21), 5);
        Recommendation base = engine.recommend(model, new ContinueQuery(null, uris(seeds), 50, FilterSpec.NONE),
                Cancellation.NEVER);
        String topTrack = catalog.trackUri(base.tracks().ids()[0]);
        String topArtist = catalog.artistUriOfRow(base.tracks().ids()[1]);
        Recommendation filtered = engine.recommend(model, new ContinueQuery(null, uris(seeds), 50,
                new FilterSpec(List.of(topTrack, "spotify:track:unknown"), List.of(topArtist), List.of())),
                Cancellation.NEVER);
        assertEquals(50, filtered.tracks().size());
        for (int i = 0; i < filtered.tracks().size(); i++) {
            int row = filtered.tracks().ids()[i];
            assertFalse(catalog.trackUri(row).equals(topTrack));
            assertFalse(catalog.artistUriOfRow(row).equals(topArtist));
        }
        // A selective allow list: only those artists, answered exactly.
        List<String> allowed = List.of(catalog.artistUriOfRow(seeds[0]), catalog.artistUriOfRow(5));
        Recommendation allow = engine.recommend(model, new ContinueQuery(null, uris(seeds), 500,
                new FilterSpec(List.of(), List.of(), allowed)), Cancellation.NEVER);
        Set<Integer> seedSet = new HashSet<>();
        Arrays.stream(seeds).forEach(seedSet::add);
        float[] user = model.foldIn().userVector(seeds);
        Candidates exact = model.exact().search(user, 500,
                row -> !seedSet.contains(row) && allowed.contains(catalog.artistUriOfRow(row)), Cancellation.NEVER);
        assertTrue(exact.size() > 0 && exact.size() < 500);
        assertArrayEquals(Arrays.copyOf(exact.ids(), exact.size()),
                Arrays.copyOf(allow.tracks().ids(), allow.tracks().size()));
        Recommendation nobody = engine.recommend(model, new ContinueQuery(null, uris(seeds), 10,
                new FilterSpec(List.of(), List.of(), List.of("spotify:artist:nobody"))), Cancellation.NEVER);
        assertEquals(0, nobody.tracks().size());
    }

    @Test
    void artistExclusionsThatLeaveFewRowsStillFillK() {
        // Exclude all but two artists' worth of the catalog through the exclude list: the pass rate is tiny.
        TrackCatalog catalog = model.catalog();
        List<String> excluded = new ArrayList<>();
        for (int a = 2; a < catalog.artistCount(); a++) {
            excluded.add(catalog.artistUri(a));
        }
        Recommendation r = engine.recommend(model, new ContinueQuery(null, List.of(catalog.trackUri(0)), 10,
                new FilterSpec(List.of(), excluded, List.of())), Cancellation.NEVER);
        int available = catalog.trackCount(0) + catalog.trackCount(1) - 1;
        assertEquals(Math.min(10, available), r.tracks().size());
        for (int i = 0; i < r.tracks().size(); i++) {
            assertTrue(catalog.artistOf(r.tracks().ids()[i]) < 2);
        }
    }

    @Test
    void kBeyondTheCatalogReturnsEverythingButTheSeeds() {
        int n = model.factors().rows();
        QueryEngine wide = new QueryEngine(new QueryOptions(5.0, 100, 1.0));
        Recommendation r = wide.recommend(model, new ContinueQuery(null, uris(new int[] {1, 2}), n + 10,
                FilterSpec.NONE), Cancellation.NEVER);
        assertEquals(n - 2, r.tracks().size());
    }

    @Test
    void similarTracksExcludeTheTrackItself() {
        Candidates c = engine.similar(model, 7, 10, Cancellation.NEVER);
        assertEquals(10, c.size());
        float[] v = model.factors().row(7);
        Candidates exact = model.exact().search(v, 10, row -> row != 7, Cancellation.NEVER);
        for (int i = 0; i < c.size(); i++) {
            assertTrue(c.ids()[i] != 7);
        }
        assertTrue(overlap(c, exact) >= 0.9);
    }

    @Test
    void cancelledQueriesStop() {
        assertThrows(Cancellation.CancelledException.class, () -> engine.recommend(model,
                new ContinueQuery(null, uris(new int[] {1}), 10, FilterSpec.NONE), () -> true));
        RowFilter all = RowFilter.ALL;
        assertTrue(all.accept(3));
    }
}
