package dev.segue.generator;

import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated playlist: its latent theme, its catalog track ids in order, its MPD metadata and, in a drifting
 * world, the walk's artist at each position ({@code walk}, null in a theme world).
 */
public record GeneratedPlaylist(long pid, Theme theme, int[] tracks, String name, String description,
                                boolean collaborative, long modifiedAt, int numFollowers, int numEdits, int[] walk) {

    /** The playlist in MPD form (counts and duration computed from the tracks). */
    public MpdPlaylist toMpd(Catalog catalog) {
        List<MpdTrack> list = new ArrayList<>(tracks.length);
        PlaylistSampler.TrackSet albums = new PlaylistSampler.TrackSet(tracks.length);
        PlaylistSampler.TrackSet artists = new PlaylistSampler.TrackSet(tracks.length);
        int numAlbums = 0;
        int numArtists = 0;
        long duration = 0;
        for (int pos = 0; pos < tracks.length; pos++) {
            int t = tracks[pos];
            list.add(catalog.mpdTrack(t, pos));
            numAlbums += albums.add(catalog.albumOf(t)) ? 1 : 0;
            numArtists += artists.add(catalog.artistOf(t)) ? 1 : 0;
            duration += catalog.durationMs(t);
        }
        return new MpdPlaylist(name, collaborative, pid, modifiedAt, tracks.length, numAlbums, numFollowers,
                numEdits, duration, numArtists, description, list);
    }
}
