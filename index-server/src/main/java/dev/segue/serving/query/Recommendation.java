package dev.segue.serving.query;

import dev.segue.serving.index.Candidates;
import java.util.List;

/**
 * Ranked rows with scores (inner products with the query vector; for the popularity fallback
 * {@code 1/(1+popularity rank)}; with the second stage the ranker's scores), the strategy that answered and the seeds that were not known.
 */
public record Recommendation(Candidates tracks, Strategy strategy, List<String> unknownSeeds, Stages stages) {
    public Recommendation {
        unknownSeeds = List.copyOf(unknownSeeds);
        if (stages == null) {
            stages = Stages.firstStage("no ranker");
        }
    }

    public Recommendation(Candidates tracks, Strategy strategy, List<String> unknownSeeds) {
        this(tracks, strategy, unknownSeeds, null);
    }
}
