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

    /**
     * The ranked continuation and, for a method with a first stage of its own, the whole candidate set it ranked
     * (so the evaluator can report candidate recall: the share of held-out tracks inside it).
     */
    default Answer answer(ChallengePlaylist playlist, int k) {
        return new Answer(recommend(playlist, k), null);
    }

    /**
     * The answers of several playlists, {@code answers(p, k)[i]} as {@code answer(p.get(i), k)} gives it, for a
     * method that shares work across playlists (the exact scans of the two-stage methods read the factors once
     * per block). Any failure fails the whole call; the caller then asks {@link #answer} one by one.
     */
    default Answer[] answers(List<ChallengePlaylist> playlists, int k) {
        Answer[] out = new Answer[playlists.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = answer(playlists.get(i), k);
        }
        return out;
    }

    /** How many playlists {@link #answers} should be given at once (1: nothing shared). */
    default int block() {
        return 1;
    }

    /**
     * One playlist's answer.
     *
     * @param tracks     the ranked list, as {@link #recommend} returns it
     * @param candidates every candidate the method ranked (URIs), or null when it has no candidate stage
     */
    record Answer(List<String> tracks, java.util.Collection<String> candidates) {}

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
