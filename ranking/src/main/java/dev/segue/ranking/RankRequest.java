package dev.segue.ranking;

import java.util.Arrays;

/**
 * One playlist to continue.
 *
 * @param seeds       the playlist's tracks as dense {@code track_id}s, in playlist order (unknown tracks already
 *                    dropped by the caller; {@link RankingData#trackId} maps URIs)
 * @param title       the raw playlist title, or null
 * @param wrmfTracks  the caller's WRMF candidates (fold-in + search), best first, as {@code track_id}s; may be
 *                    empty (no factors for the seeds, or no seeds)
 * @param wrmfScores  their scores (same length)
 * @param seedsShuffled true when the seeds are a random sample of the playlist (kept in playlist order, as the
 *                    challenge's "random" categories give them) rather than its first tracks; false (in order) by
 *                    default
 */
public record RankRequest(int[] seeds, String title, int[] wrmfTracks, float[] wrmfScores, boolean seedsShuffled) {
    /** Seeds in order: the playlist's first tracks. */
    public RankRequest(int[] seeds, String title, int[] wrmfTracks, float[] wrmfScores) {
        this(seeds, title, wrmfTracks, wrmfScores, false);
    }

    public RankRequest {
        if (seeds == null) {
            seeds = new int[0];
        }
        if (wrmfTracks == null) {
            wrmfTracks = new int[0];
        }
        if (wrmfScores == null) {
            wrmfScores = new float[0];
        }
        if (wrmfTracks.length != wrmfScores.length) {
            throw new IllegalArgumentException(wrmfTracks.length + " WRMF candidates but " + wrmfScores.length
                    + " scores");
        }
    }

    /** True when the title is non-blank. */
    public boolean hasTitle() {
        return title != null && !title.isBlank();
    }

    @Override
    public String toString() {
        return "RankRequest[seeds=" + Arrays.toString(seeds) + ", title=" + title + ", wrmf=" + wrmfTracks.length
                + (seedsShuffled ? ", shuffled" : "") + "]";
    }
}
