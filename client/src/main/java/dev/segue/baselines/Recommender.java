package dev.segue.baselines;

import dev.segue.format.ChallengePlaylist;
import java.util.List;

/**
 * An offline method that continues a challenge playlist. Implementations are thread-safe (the evaluator calls
 * them from several threads) and return at most {@code k} distinct track URIs, best first, none of them a
 * seed of the playlist.
 */
public interface Recommender {
    /** The name selected with {@code --baseline}. */
    String name();

    /** One line on what the method does (shown in reports). */
    String description();

    /**
     * The ranked continuation.
     *
     * @throws NoRecommendationException this playlist cannot be answered (e.g. absent from a submission file)
     */
    List<String> recommend(ChallengePlaylist playlist, int k);

    /** Facts for the report, such as the data versions used. */
    default java.util.Map<String, String> details() {
        return java.util.Map.of();
    }

    /** This method has no answer for one playlist. */
    final class NoRecommendationException extends RuntimeException {
        public NoRecommendationException(String message) {
            super(message);
        }
    }
}
