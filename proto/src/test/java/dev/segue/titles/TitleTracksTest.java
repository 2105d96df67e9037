package dev.segue.titles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TitleTracksTest {
    @Test
    void looksUpNormalisedTitlesAndSkipsUnknownTracks() {
        TitleTracks tt = new TitleTracks(new String[] {"chill", "chill", "chill", "rock"}, new int[] {4, -1, 7, 2},
                new long[] {3, 2, 1, 5}, new long[] {10, 10, 10, 5});
        assertEquals(2, tt.titleCount());
        assertEquals(3, tt.pairCount());
        TitleTracks.Entry chill = tt.lookup("  CHILL!! ");
        assertEquals(10, chill.playlists());
        assertArrayEquals(new int[] {4, 7}, chill.rows());
        assertArrayEquals(new long[] {3, 1}, chill.counts());
        assertNull(tt.lookup("jazz"));
        assertNull(tt.lookup("!!!"));
    }

    @Test
    void rejectsInconsistentColumns() {
        assertThrows(IllegalArgumentException.class,
                () -> new TitleTracks(new String[] {"a"}, new int[] {1, 2}, new long[] {1}, new long[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> new TitleTracks(new String[] {"a"}, new int[] {1}, new long[] {3}, new long[] {2}));
        assertThrows(IllegalArgumentException.class,
                () -> new TitleTracks(new String[] {"a", "a"}, new int[] {1, 2}, new long[] {1, 1}, new long[] {2, 3}));
        TitleTracks.Entry e = new TitleTracks.Entry("a", 1, new int[0], new long[0]);
        assertThrows(IllegalArgumentException.class,
                () -> TitleTracks.rerank(new int[0], new float[0], 0, e, r -> 0, r -> true, -1, 5));
    }

    @Test
    void frequentTitlesFollowTheirPlaylistsRareOnesTheFactorModel() {
        // q·y: row 0 > row 1 > row 2; the title's playlists held row 2 most often.
        double[] qy = {0.3, 0.2, 0.1};
        int[] cand = {0, 1, 2};
        float[] candScores = {0.3f, 0.2f, 0.1f};
        TitleTracks.Entry frequent = new TitleTracks.Entry("x", 1000, new int[] {2, 1}, new long[] {600, 300});
        TitleTracks.Ranked r = TitleTracks.rerank(cand, candScores, 3, frequent, i -> qy[i], i -> true, 100, 3);
        assertArrayEquals(new int[] {2, 1, 0}, Arrays.copyOf(r.rows(), r.size()));
        TitleTracks.Entry rare = new TitleTracks.Entry("y", 2, new int[] {2}, new long[] {1});
        r = TitleTracks.rerank(cand, candScores, 3, rare, i -> qy[i], i -> true, 100, 3);
        assertArrayEquals(new int[] {0, 1, 2}, Arrays.copyOf(r.rows(), r.size()));
        assertEquals((1 + 100 * 0.1) / 102, r.scores()[2], 1e-6);
        // κ = 0: the empirical frequency alone; tracks never held tie at 0 and are ordered by row.
        r = TitleTracks.rerank(cand, candScores, 3, rare, i -> qy[i], i -> true, 0, 3);
        assertArrayEquals(new int[] {2, 0, 1}, Arrays.copyOf(r.rows(), r.size()));
    }

    @Test
    void rerankingTheTopKByInnerProductIsTheExactTopK() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 20 + rnd.nextInt(60);
            int k = 1 + rnd.nextInt(15);
            double[] qy = new double[n];
            for (int i = 0; i < n; i++) {
                qy[i] = rnd.nextGaussian() * 0.1;
            }
            boolean[] excluded = new boolean[n];
            for (int i = 0; i < n; i++) {
                excluded[i] = rnd.nextDouble() < 0.2;
            }
            long playlists = 1 + rnd.nextInt(300);
            int held = rnd.nextInt(Math.min(n, 25));
            java.util.List<Integer> shuffled = new java.util.ArrayList<>(IntStream.range(0, n).boxed().toList());
            java.util.Collections.shuffle(shuffled, rnd);
            int[] rows = shuffled.stream().limit(held).mapToInt(Integer::intValue).toArray();
            long[] counts = new long[held];
            long[] full = new long[n];
            for (int i = 0; i < held; i++) {
                counts[i] = 1 + rnd.nextInt((int) playlists);
                full[rows[i]] = counts[i];
            }
            double kappa = rnd.nextDouble() * 200;
            // candidates: the exact top k eligible rows by q·y (what the index search returns)
            int[] byQy = IntStream.range(0, n).filter(i -> !excluded[i]).boxed()
                    .sorted((a, b) -> Double.compare(qy[b], qy[a])).limit(k).mapToInt(Integer::intValue).toArray();
            float[] candScores = new float[byQy.length];
            for (int i = 0; i < byQy.length; i++) {
                candScores[i] = (float) qy[byQy[i]];
            }
            TitleTracks.Entry e = new TitleTracks.Entry("t", playlists, rows, counts);
            TitleTracks.Ranked got = TitleTracks.rerank(byQy, candScores, byQy.length, e, i -> (float) qy[i],
                    i -> !excluded[i], kappa, k);
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = TitleTracks.score(full[i], playlists, (float) qy[i], kappa);
            }
            int[] want = IntStream.range(0, n).filter(i -> !excluded[i]).boxed()
                    .sorted((a, b) -> s[a] != s[b] ? Double.compare(s[b], s[a]) : Integer.compare(a, b))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(want, Arrays.copyOf(got.rows(), got.size()), "trial " + trial);
            for (int i = 1; i < got.size(); i++) {
                assertTrue(got.scores()[i - 1] >= got.scores()[i]);
            }
        }
    }
}
