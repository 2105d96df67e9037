package dev.segue.metrics;

import dev.segue.format.MpdTrack;
import java.util.List;

/**
 * The held-out tracks G of one playlist, prepared for scoring: G as a set of track URIs (dense indices
 * 0..|G|-1) and A(G) as a set of artist URIs (dense indices 0..|A(G)|-1). Immutable; build once per playlist.
 */
public final class PlaylistTruth {
    private final StringIntMap tracks;
    private final StringIntMap artists;

    private PlaylistTruth(StringIntMap tracks, StringIntMap artists) {
        this.tracks = tracks;
        this.artists = artists;
    }

    /** From truth-file holdouts; a track listed twice counts once (G is a set). */
    public static PlaylistTruth of(List<MpdTrack> holdouts) {
        String[] t = new String[holdouts.size()];
        String[] a = new String[holdouts.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = holdouts.get(i).trackUri();
            a[i] = holdouts.get(i).artistUri();
        }
        return of(t, a);
    }

    /** From parallel arrays of held-out track URIs and their artist URIs. */
    public static PlaylistTruth of(String[] trackUris, String[] artistUris) {
        if (trackUris.length != artistUris.length) {
            throw new IllegalArgumentException("tracks and artists differ in length");
        }
        if (trackUris.length == 0) {
            throw new IllegalArgumentException("no held-out tracks: the metrics are undefined for an empty truth");
        }
        StringIntMap tracks = new StringIntMap(trackUris.length);
        StringIntMap artists = new StringIntMap(trackUris.length);
        for (int i = 0; i < trackUris.length; i++) {
            if (trackUris[i] == null || artistUris[i] == null) {
                throw new IllegalArgumentException("held-out track " + i + " has no track or artist URI");
            }
            tracks.idOf(trackUris[i]);
            artists.idOf(artistUris[i]);
        }
        return new PlaylistTruth(tracks, artists);
    }

    /** |G|. */
    public int size() {
        return tracks.size();
    }

    /** |A(G)|. */
    public int artistCount() {
        return artists.size();
    }

    /** Index of the track in G, or -1. */
    public int trackIndex(String trackUri) {
        return tracks.get(trackUri);
    }

    /** Index of the artist in A(G), or -1. */
    public int artistIndex(String artistUri) {
        return artists.get(artistUri);
    }
}
