package dev.segue.serving.query;

import java.util.List;

/**
 * A continuation request in domain terms.
 *
 * @param title    raw playlist title, or null
 * @param seedUris seed track URIs in playlist order (repeats count as repeated plays)
 * @param k        number of tracks wanted (&gt; 0)
 */
public record ContinueQuery(String title, List<String> seedUris, int k, FilterSpec filter) {
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
