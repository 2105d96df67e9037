package dev.segue.generator;

/**
 * How big the catalog is for a number of playlists. It grows sub-linearly (like real catalogs seen through
 * playlists): about 2.6M tracks for a million playlists, 420K for 100,000, 65K for 10,000.
 */
public record CatalogPlan(int tracks) {
    static final double TRACKS_AT_MILLION = 2.6e6;
    static final double GROWTH_EXPONENT = 0.8;
    static final int MIN_TRACKS = 4000;

    public static CatalogPlan forPlaylists(long playlists) {
        double t = TRACKS_AT_MILLION * Math.pow(playlists / 1e6, GROWTH_EXPONENT);
        return new CatalogPlan((int) Math.max(MIN_TRACKS, Math.round(t)));
    }
}
