package dev.segue.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every metric against values worked out by hand from docs/METRICS.md. */
class PlaylistScorerTest {
    private static final double EPS = 1e-9;

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** G = {t1(a1), t2(a1), t3(a2), t4(a3)}: |G| = 4, A(G) = {a1, a2, a3}. */
    private static PlaylistTruth truth() {
        return PlaylistTruth.of(new String[] {"t1", "t2", "t3", "t4"}, new String[] {"a1", "a1", "a2", "a3"});
    }

    /** R = x1(a1), t3(a2), x2(a1), x3(a4), t1(a1), x4(a3). */
    private static final List<String> TRACKS = List.of("x1", "t3", "x2", "x3", "t1", "x4");
    private static final List<String> ARTISTS = List.of("a1", "a2", "a1", "a4", "a1", "a3");

    private static PlaylistScorer scored() {
        return new PlaylistScorer().load(truth(), TRACKS, ARTISTS, null, 500);
    }

    @Test
    void rPrecisionGivesArtistCreditOncePerArtist() {
        // first |G| = 4: x1 -> artist a1 unused: 0.25; t3 -> 1; x2 -> a1 already used: 0; x3 -> a4 not in A(G): 0
        assertEquals(1.25 / 4, scored().rPrecision(), EPS);
        // only t3 is a track hit among the first 4
        assertEquals(0.25, scored().rPrecisionTrack(500), EPS);
        assertEquals(0.0, scored().rPrecisionTrack(1), EPS);
    }

    @Test
    void artistCreditIsNotGivenTwiceForTheSameArtist() {
        PlaylistTruth g = PlaylistTruth.of(new String[] {"t1", "t2", "t3"}, new String[] {"a1", "a2", "a3"});
        PlaylistScorer s = new PlaylistScorer().load(g, List.of("x1", "x2", "x3"), List.of("a1", "a1", "a1"), null, 500);
        assertEquals(0.25 / 3, s.rPrecision(), EPS);
        s.load(g, List.of("x1", "x2", "x3"), List.of("a1", "a2", "a1"), null, 500);
        assertEquals(0.5 / 3, s.rPrecision(), EPS);
    }

    @Test
    void ndcgReferenceForm() {
        // hits at ranks 2 and 5; IDCG over min(|G|, k) = 4 positions
        double dcg = 1 / log2(3) + 1 / log2(6);
        double idcg = 1 + 1 / log2(3) + 1 / log2(4) + 1 / log2(5);
        assertEquals(dcg / idcg, scored().ndcg(500), EPS);
        // cut at k = 2: one hit at rank 2, IDCG over min(4, 2) = 2 positions
        assertEquals((1 / log2(3)) / (1 + 1 / log2(3)), scored().ndcg(2), EPS);
        assertEquals(0.0, scored().ndcg(1), EPS);
    }

    @Test
    void ndcgChallengeRulesForm() {
        // DCG = rel at rank 2 / log2(2) + rel at rank 5 / log2(5); IDCG over the 2 hits = 1 + 1/log2(2)
        assertEquals((1 + 1 / log2(5)) / 2.0, scored().ndcgRules(), EPS);
        PlaylistScorer first = new PlaylistScorer().load(truth(), List.of("t2"), List.of("a1"), null, 500);
        assertEquals(1.0, first.ndcgRules(), EPS);
    }

    @Test
    void clicksCountPagesOfTenBeforeTheFirstHit() {
        assertEquals(0, scored().clicks());
        PlaylistScorer s = new PlaylistScorer();
        assertEquals(0, s.load(truth(), withHitAt(10), null, null, 500).clicks());
        assertEquals(1, s.load(truth(), withHitAt(11), null, null, 500).clicks());
        assertEquals(49, s.load(truth(), withHitAt(500), null, null, 500).clicks());
        // a hit beyond the evaluated length does not count
        assertEquals(51, s.load(truth(), withHitAt(501), null, null, 500).clicks());
    }

    @Test
    void noHitsGiveClicks51AndNdcgZero() {
        List<String> misses = Arrays.asList(fill(500, "miss"));
        PlaylistScorer s = new PlaylistScorer().load(truth(), misses, null, null, 500);
        assertEquals(51, s.clicks());
        assertEquals(0.0, s.ndcg(500), EPS);
        assertEquals(0.0, s.ndcgRules(), EPS);
        assertEquals(0.0, s.rPrecision(), EPS);
        assertEquals(0.0, s.rpArtist(500), EPS);
        assertEquals(0.0, s.ndcgArtist(500), EPS);
        // an empty list too
        s.load(truth(), List.of(), null, null, 500);
        assertEquals(51, s.clicks());
        assertEquals(0.0, s.ndcg(500), EPS);
    }

    @Test
    void artistLevelMetrics() {
        // first min(|G|, k) = 4 artists: a1, a2, a1, a4 -> {a1, a2} of 3
        assertEquals(2.0 / 3, scored().rpArtist(500), EPS);
        assertEquals(2.0 / 3, scored().rpArtist(2), EPS);
        assertEquals(1.0 / 3, scored().rpArtist(1), EPS);
        // new artists of A(G) at ranks 1 (a1), 2 (a2), 6 (a3); IDCG over min(|A(G)|, k) = 3
        double dcg = 1 + 1 / log2(3) + 1 / log2(7);
        double idcg = 1 + 1 / log2(3) + 1 / log2(4);
        assertEquals(dcg / idcg, scored().ndcgArtist(500), EPS);
        assertEquals(1.0, scored().ndcgArtist(2), EPS);
    }

    @Test
    void perfectListScoresOne() {
        PlaylistScorer s = new PlaylistScorer().load(truth(), List.of("t1", "t2", "t3", "t4"),
                List.of("a1", "a1", "a2", "a3"), null, 500);
        assertEquals(1.0, s.rPrecision(), EPS);
        assertEquals(1.0, s.ndcg(500), EPS);
        assertEquals(1.0, s.ndcgRules(), EPS);
        assertEquals(0, s.clicks());
        assertEquals(1.0, s.rpArtist(500), EPS);
    }

    @Test
    void repeatedTracksEarnCreditOnce() {
        PlaylistScorer s = new PlaylistScorer().load(truth(), List.of("t1", "t1"), List.of("a1", "a1"), null, 500);
        assertEquals(1 / (1 + 1 / log2(3) + 1 / log2(4) + 1 / log2(5)), s.ndcg(500), EPS);
        assertEquals(1.0 / 4, s.rPrecisionTrack(500), EPS);
    }

    @Test
    void artistsComeFromTheLookupWhenNotGiven() {
        Map<String, String> catalog = Map.of("x1", "a2");
        PlaylistScorer s = new PlaylistScorer().load(truth(), List.of("x1", "x9"), Arrays.asList("", null),
                catalog::get, 500);
        assertEquals(1.0 / 3, s.rpArtist(500), EPS);
        assertEquals(1, s.unknownArtists());
    }

    @Test
    void listIsCutAtTheEvaluatedLength() {
        PlaylistScorer s = new PlaylistScorer().load(truth(), TRACKS, ARTISTS, null, 1);
        assertEquals(1, s.length());
        assertEquals(51, s.clicks());
        assertEquals(0.25 / 4, s.rPrecision(), EPS);
    }

    @Test
    void layoutFillsEveryMetric() {
        MetricLayout layout = MetricLayout.forListLength(500);
        assertEquals(5 + 4 * 4, layout.size());
        double[] out = new double[layout.size()];
        scored().scoreInto(layout, out);
        assertEquals(1.25 / 4, out[layout.indexOf("r_precision")], EPS);
        assertEquals(0, out[layout.indexOf("clicks")], EPS);
        assertEquals(2.0 / 3, out[layout.indexOf("rp_artist@500")], EPS);
        assertEquals(2.0 / 3, out[layout.indexOf("rp_artist@10")], EPS);
        assertEquals(scored().ndcgArtist(50), out[layout.indexOf("ndcg_artist@50")], EPS);
        MetricLayout short200 = MetricLayout.forListLength(200);
        assertEquals(List.of(10, 50, 100, 200), Arrays.stream(short200.ks()).boxed().toList());
    }

    @Test
    void emptyTruthIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> PlaylistTruth.of(new String[0], new String[0]));
    }

    @Test
    void ratioToOracle() {
        assertEquals(0.5, MetricLayout.ratioToOracle(0.1, 0.2, true), EPS);
        assertEquals(0.25, MetricLayout.ratioToOracle(8, 2, false), EPS); // clicks: lower is better
        assertTrue(Double.isNaN(MetricLayout.ratioToOracle(0.1, 0, true)));
    }

    private static List<String> withHitAt(int rank) {
        String[] r = fill(Math.max(rank, 500), "miss");
        r[rank - 1] = "t4";
        return Arrays.asList(r);
    }

    private static String[] fill(int n, String prefix) {
        String[] r = new String[n];
        for (int i = 0; i < n; i++) {
            r[i] = prefix + i;
        }
        return r;
    }
}
