package dev.segue.eval;

import dev.segue.format.ChallengePlaylist;
import java.util.List;
import java.util.Map;

/** Something that ranks tracks for challenge playlists: the server, a baseline, or a submission file. */
public interface RecommendationSource extends AutoCloseable {
    /** Kinds of methods, shown in reports; the oracle is the ceiling that ratios refer to. */
    enum Kind { SERVER, BASELINE, SUBMISSION, ORACLE }

    String name();

    Kind kind();

    /** One line on what this method is. */
    String description();

    /** Facts worth recording in the report (data version, parameters). */
    default Map<String, String> details() {
        return Map.of();
    }

    /**
     * Produces a list of up to {@code k} tracks for every playlist, reporting each exactly once to
     * {@code sink}, and returns when all are reported.
     */
    void recommend(List<ChallengePlaylist> playlists, int k, ResultSink sink) throws Exception;

    @Override
    default void close() throws Exception {}
}
