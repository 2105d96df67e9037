package dev.segue.eval;

import java.util.List;

/** Receives each playlist's ranked list, or why there is none. Thread-safe: sources call it concurrently. */
public interface ResultSink {
    /**
     * @param index position of the playlist in the list given to the source
     * @param trackUris recommended tracks, best first
     * @param artistUris their artists when the source knows them (same length, entries may be empty), or null
     */
    void accept(int index, List<String> trackUris, List<String> artistUris);

    /**
     * The whole candidate set a two-stage method ranked for playlist {@code index} (before {@link #accept} for the
     * same playlist); sources without a candidate stage never call it.
     */
    default void candidates(int index, java.util.Collection<String> candidateUris) {}

    /** The playlist got no answer; {@code retryable} says whether asking again could help. */
    void fail(int index, String reason, boolean retryable);
}
