package dev.segue.format;

import java.util.List;

/**
 * One playlist in the Million Playlist Dataset slice format. {@code description} is optional in MPD and is
 * {@code null} when absent.
 */
public record MpdPlaylist(
        String name,
        boolean collaborative,
        long pid,
        long modifiedAt,
        int numTracks,
        int numAlbums,
        int numFollowers,
        int numEdits,
        long durationMs,
        int numArtists,
        String description,
        List<MpdTrack> tracks) {

    public MpdPlaylist {
        tracks = List.copyOf(tracks);
    }
}
