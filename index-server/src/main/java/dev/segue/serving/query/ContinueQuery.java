package dev.segue.serving.query;

import java.util.List;

/**
 * A continuation request in domain terms.
 *
 * @param title    raw playlist title, or null
 * @param seedUris seed track URIs in playlist order (repeats count as repeated plays)
 * @param k        number of tracks wanted (&gt; 0)
 * @param firstStageOnly true: the first stage's list even when the server has a ranker (A/B, ablation)
 * @param seedsShuffled true: the seeds are a random sample of the playlist, not its first tracks (a rank feature)
 */
public record ContinueQuery(String title, List<String> seedUris, int k, FilterSpec filter, boolean firstStageOnly,
                            boolean seedsShuffled) {
    /** The server decides the stages. */
    public ContinueQuery(String title, List<String> seedUris, int k, FilterSpec filter) {
        this(title, seedUris, k, filter, false);
    }

    /** Seeds in order (the playlist's first tracks). */
    public ContinueQuery(String title, List<String> seedUris, int k, FilterSpec filter, boolean firstStageOnly) {
        this(title, seedUris, k, filter, firstStageOnly, false);
    }

    public ContinueQuery {
        seedUris = List.copyOf(seedUris);
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (filter == null) {
            filter = FilterSpec.NONE;
        }
    }
}
