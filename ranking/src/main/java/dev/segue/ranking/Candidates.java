package dev.segue.ranking;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The merged candidate set of one request: every candidate once (seeds excluded), with each source's score and
 * rank (0 = that source's best) or missing (score NaN, rank -1).
 *
 * <p>The candidates are stored in the <b>first-stage order</b>: WRMF's list first (its order), then the
 * co-occurrence candidates not already listed (their order), then title, artist, album and popular likewise
 * ({@link Source} order). With {@code secondStage=false} this is the served order.
 */
public final class Candidates {
    private final int[] tracks;
    private final float[] scores;
    private final int[] ranks;
    private final EnumSet<Source> ran;
    private final int[] perSource;

    Candidates(int[] tracks, float[] scores, int[] ranks, EnumSet<Source> ran, int[] perSource) {
        this.tracks = tracks;
        this.scores = scores;
        this.ranks = ranks;
        this.ran = ran;
        this.perSource = perSource;
    }

    public int size() {
        return tracks.length;
    }

    /** The {@code track_id} of candidate {@code i} (first-stage position {@code i}). */
    public int track(int i) {
        return tracks[i];
    }

    /** All candidates' track ids in first-stage order (a copy). */
    public int[] tracks() {
        return tracks.clone();
    }

    /** The source's score of candidate {@code i}, NaN when the source did not propose it. */
    public float score(Source s, int i) {
        return scores[s.ordinal() * tracks.length + i];
    }

    /** The source's rank of candidate {@code i} (0 = best), -1 when the source did not propose it. */
    public int rank(Source s, int i) {
        return ranks[s.ordinal() * tracks.length + i];
    }

    /** True when the source proposed candidate {@code i}. */
    public boolean from(Source s, int i) {
        return ranks[s.ordinal() * tracks.length + i] >= 0;
    }

    /** The sources that ran (had their data and a positive count); a source may run and propose nothing. */
    public Set<Source> sourcesRan() {
        return ran.isEmpty() ? EnumSet.noneOf(Source.class) : EnumSet.copyOf(ran);
    }

    /** How many candidates the source proposed (seeds excluded, before merging). */
    public int proposed(Source s) {
        return perSource[s.ordinal()];
    }

    @Override
    public String toString() {
        return "Candidates[" + tracks.length + " from " + ran + " " + Arrays.toString(perSource) + "]";
    }
}
