package dev.segue.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * The one implementation of the continuation metrics of docs/METRICS.md. {@link #load} encodes a ranked list R
 * against a playlist's truth G once (each position becomes "index in G or -1" and "index of its artist in A(G)
 * or -1"); every metric is then a tight loop over two int arrays. Not thread-safe: keep one per thread.
 *
 * <p>Conventions shared by every metric: R is cut at the evaluated list length; a track repeated in R earns
 * credit only at its first position (R should hold no duplicates; the reference code de-duplicates too);
 * "|R|" in the normalisers is the list length asked for, {@code min(k, |R|)} never rewards a method for
 * returning fewer tracks, exactly as the reference code's {@code min(k, |G|)}.
 */
public final class PlaylistScorer {
    /** Clicks when no recommended track is relevant. */
    public static final int NO_HIT_CLICKS = 51;
    private static final double[] DISCOUNT = new double[1025];   // 1 / log2(i + 1), i ≥ 1
    private static final double[] RULES_DISCOUNT = new double[1025]; // 1 for i = 1, 1 / log2(i) for i ≥ 2

    static {
        for (int i = 1; i < DISCOUNT.length; i++) {
            DISCOUNT[i] = discountOf(i);
            RULES_DISCOUNT[i] = rulesDiscountOf(i);
        }
    }

    private int[] hit = new int[512];
    private int[] artist = new int[512];
    private int[] trackMark = new int[64];
    private int[] artistMark = new int[64];
    private int stamp;
    private int n;
    private int g;
    private int a;
    private int unknownArtists;

    /**
     * Encodes the first {@code maxLength} entries of a ranked list against {@code truth}.
     *
     * @param tracks recommended track URIs, best first
     * @param artists their artist URIs (same length; entries may be null or empty), or null
     * @param lookup resolves the artist of a track whose artist was not given
     */
    public PlaylistScorer load(PlaylistTruth truth, List<String> tracks, List<String> artists,
                               ArtistLookup lookup, int maxLength) {
        n = Math.min(tracks.size(), maxLength);
        g = truth.size();
        a = truth.artistCount();
        ensure(n, g, a);
        int trackStamp = nextStamp();
        unknownArtists = 0;
        for (int i = 0; i < n; i++) {
            String uri = tracks.get(i);
            int t = truth.trackIndex(uri);
            if (t >= 0) {
                if (trackMark[t] == trackStamp) {
                    t = -1; // a repeat earns nothing
                } else {
                    trackMark[t] = trackStamp;
                }
            }
            hit[i] = t;
            String artistUri = artists == null ? null : artists.get(i);
            if (artistUri == null || artistUri.isEmpty()) {
                artistUri = lookup == null ? null : lookup.artistOf(uri);
            }
            if (artistUri == null) {
                unknownArtists++;
                artist[i] = -1;
            } else {
                artist[i] = truth.artistIndex(artistUri);
            }
        }
        return this;
    }

    /** Positions whose artist could not be resolved (they never earn artist credit). */
    public int unknownArtists() {
        return unknownArtists;
    }

    public int length() {
        return n;
    }

    /**
     * R-precision with artist credit: over the first |G| recommendations, a track in G scores 1; otherwise a
     * track whose artist is in A(G) and has not earned credit yet scores 0.25 and uses up that artist.
     */
    public double rPrecision() {
        int limit = Math.min(n, g);
        int s = nextStamp();
        double score = 0;
        for (int i = 0; i < limit; i++) {
            if (hit[i] >= 0) {
                score += 1;
            } else {
                int ar = artist[i];
                if (ar >= 0 && artistMark[ar] != s) {
                    artistMark[ar] = s;
                    score += 0.25;
                }
            }
        }
        return score / g;
    }

    /** Track-only R-precision on the list cut at {@code k}: |G ∩ R_1..min(|G|,k)| / |G|. */
    public double rPrecisionTrack(int k) {
        int limit = Math.min(Math.min(n, g), k);
        int hits = 0;
        for (int i = 0; i < limit; i++) {
            if (hit[i] >= 0) {
                hits++;
            }
        }
        return (double) hits / g;
    }

    /**
     * NDCG, reference-code form, on the list cut at {@code k}: DCG = Σ rel_i / log2(i+1) over i = 1..min(k,|R|),
     * IDCG = Σ 1 / log2(i+1) over i = 1..min(|G|, k).
     */
    public double ndcg(int k) {
        int limit = Math.min(n, k);
        double dcg = 0;
        for (int i = 0; i < limit; i++) {
            if (hit[i] >= 0) {
                dcg += discount(i + 1);
            }
        }
        return dcg / idcg(Math.min(g, k));
    }

    /**
     * NDCG, challenge-rules form, on the whole list: DCG = rel_1 + Σ_{i≥2} rel_i / log2(i),
     * IDCG = 1 + Σ_{i=2..|G∩R|} 1 / log2(i); 0 when nothing is relevant.
     */
    public double ndcgRules() {
        double dcg = 0;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (hit[i] >= 0) {
                dcg += rulesDiscount(i + 1);
                hits++;
            }
        }
        if (hits == 0) {
            return 0;
        }
        double idcg = 0;
        for (int i = 1; i <= hits; i++) {
            idcg += rulesDiscount(i);
        }
        return dcg / idcg;
    }

    /** Recommended-songs clicks: floor((r − 1) / 10) for the first relevant rank r; 51 when none is relevant. */
    public int clicks() {
        for (int i = 0; i < n; i++) {
            if (hit[i] >= 0) {
                return i / 10;
            }
        }
        return NO_HIT_CLICKS;
    }

    /** RP(artist) on the list cut at {@code k}: |A(R_1..min(|G|,k)) ∩ A(G)| / |A(G)|. */
    public double rpArtist(int k) {
        int limit = Math.min(Math.min(n, g), k);
        int s = nextStamp();
        int found = 0;
        for (int i = 0; i < limit; i++) {
            int ar = artist[i];
            if (ar >= 0 && artistMark[ar] != s) {
                artistMark[ar] = s;
                found++;
            }
        }
        return (double) found / a;
    }

    /**
     * NDCG(artist), reference-code form on the list cut at {@code k}: rel_i = 1 when A(R_i) ∈ A(G) and that
     * artist was not credited earlier in R (each artist of A(G) is one relevant item, as in RP(artist)), so
     * IDCG = Σ 1 / log2(i+1) over i = 1..min(|A(G)|, k) and the value stays within [0, 1].
     */
    public double ndcgArtist(int k) {
        int limit = Math.min(n, k);
        int s = nextStamp();
        double dcg = 0;
        for (int i = 0; i < limit; i++) {
            int ar = artist[i];
            if (ar >= 0 && artistMark[ar] != s) {
                artistMark[ar] = s;
                dcg += discount(i + 1);
            }
        }
        return dcg / idcg(Math.min(a, k));
    }

    /** Writes every metric of {@code layout} for the loaded list into {@code out}. */
    public void scoreInto(MetricLayout layout, double[] out) {
        int length = layout.listLength();
        out[MetricLayout.R_PRECISION] = rPrecision();
        out[MetricLayout.R_PRECISION_TRACK] = rPrecisionTrack(length);
        out[MetricLayout.NDCG] = ndcg(length);
        out[MetricLayout.NDCG_RULES] = ndcgRules();
        out[MetricLayout.CLICKS] = clicks();
        int[] ks = layout.ks();
        for (int j = 0; j < ks.length; j++) {
            int k = ks[j];
            out[layout.perK(j, MetricLayout.RP_ARTIST)] = rpArtist(k);
            out[layout.perK(j, MetricLayout.RP_TRACK)] = rPrecisionTrack(k);
            out[layout.perK(j, MetricLayout.NDCG_TRACK)] = ndcg(k);
            out[layout.perK(j, MetricLayout.NDCG_ARTIST)] = ndcgArtist(k);
        }
    }

    /** Ideal DCG of {@code count} relevant items at the top (reference form). */
    static double idcg(int count) {
        double sum = 0;
        for (int i = 1; i <= count; i++) {
            sum += discount(i);
        }
        return sum;
    }

    static double discount(int rank) {
        return rank < DISCOUNT.length ? DISCOUNT[rank] : discountOf(rank);
    }

    static double rulesDiscount(int rank) {
        return rank < RULES_DISCOUNT.length ? RULES_DISCOUNT[rank] : rulesDiscountOf(rank);
    }

    private static double discountOf(int rank) {
        return Math.log(2) / Math.log(rank + 1.0);
    }

    private static double rulesDiscountOf(int rank) {
        return rank == 1 ? 1.0 : Math.log(2) / Math.log(rank);
    }

    private int nextStamp() {
        if (++stamp == Integer.MAX_VALUE) {
            stamp = 1;
            Arrays.fill(trackMark, 0);
            Arrays.fill(artistMark, 0);
        }
        return stamp;
    }

    private void ensure(int length, int truthSize, int truthArtists) {
        if (hit.length < length) {
            hit = new int[Math.max(length, hit.length * 2)];
            artist = new int[hit.length];
        }
        if (trackMark.length < truthSize) {
            trackMark = Arrays.copyOf(trackMark, Math.max(truthSize, trackMark.length * 2));
        }
        if (artistMark.length < truthArtists) {
            artistMark = Arrays.copyOf(artistMark, Math.max(truthArtists, artistMark.length * 2));
        }
        if (truthSize <= 0 || truthArtists <= 0) {
            throw new IllegalArgumentException("empty truth: metrics are undefined");
        }
    }
}
