package dev.segue.eval;

import dev.segue.metrics.MetricAccumulator;
import java.util.List;
import java.util.Map;

/**
 * What evaluating one method produced: metric averages (failed playlists count as empty lists, so an
 * incomplete run never looks better than it is), the same scores per playlist, the playlists that failed and why,
 * and timing; for a method with a candidate stage ({@code two-stage}, {@code first-stage}) the candidate recall per
 * playlist: the share of its held-out tracks inside the candidate set ({@code NaN} where it failed; the array is null
 * for methods without candidates).
 */
public record MethodResult(
        String name,
        RecommendationSource.Kind kind,
        String description,
        Map<String, String> details,
        MetricAccumulator metrics,
        int playlists,
        List<Failure> failures,
        int attempts,
        double seconds,
        long recommendedPositions,
        long unknownArtistPositions,
        int shortLists,
        PlaylistScores scores,
        double[] candidateRecall) {

    /** A playlist that got no answer after every attempt. */
    public record Failure(long pid, String reason) {}

    public MethodResult {
        details = Map.copyOf(details);
        failures = List.copyOf(failures);
    }

    public boolean complete() {
        return failures.isEmpty();
    }

    public int scored() {
        return playlists - failures.size();
    }

    public double playlistsPerSecond() {
        return seconds <= 0 ? Double.NaN : scored() / seconds;
    }
}
