package dev.segue.ranking;

/**
 * The candidate sources, in first-stage priority order: the merged candidate list puts every candidate of an
 * earlier source before the new ones of a later source (see {@link Candidates}).
 */
public enum Source {
    /** The caller's WRMF fold-in + search (HNSW online, exact scan offline), best first. */
    WRMF("wrmf"),
    /** Co-occurrence neighbours of the seeds ({@code track_neighbours}), recent seeds weighted more. */
    NEIGHBOURS("neighbours"),
    /** The most held tracks of the playlist's normalized title ({@code title_tracks}). */
    TITLE("title"),
    /** Popular tracks of the seeds' artists ({@code tracks}, {@code track_stats}). */
    ARTIST("artist"),
    /** Popular tracks of the seeds' albums ({@code tracks}, {@code track_stats}). */
    ALBUM("album"),
    /** Globally popular tracks ({@code track_stats}). */
    POPULAR("popular");

    private final String id;

    Source(String id) {
        this.id = id;
    }

    /** The lower-case name used in feature names and reports. */
    public String id() {
        return id;
    }
}
