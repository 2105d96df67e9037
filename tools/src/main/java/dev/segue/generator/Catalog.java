package dev.segue.generator;

import dev.segue.format.MpdTrack;

/**
 * Every track of the world, in primitive arrays (tracks are numbered so that each album, and each artist's
 * albums, are contiguous). Names and URIs are kept as strings because every playlist entry repeats them.
 * Memory is proportional to the catalog only.
 */
public final class Catalog {
    final Taxonomy taxonomy;
    // artists
    final int[] artistGenre;
    final float[] artistPop;
    final int[] artistFirstAlbum; // size artists + 1
    final String[] artistName;
    final String[] artistUri;
    // albums
    final int[] albumArtist;
    final int[] albumFirstTrack; // size albums + 1
    final String[] albumName;
    final String[] albumUri;
    // tracks
    final int[] trackAlbum;
    final int[] trackGenre;
    final float[] trackPop;
    final boolean[] trackChristmas;
    final int[] trackDurationMs;
    final short[][] features; // [AudioFeature][track]
    final String[] trackName;
    final String[] trackId;
    final String[] trackUri;

    Catalog(Taxonomy taxonomy, int[] artistGenre, float[] artistPop, int[] artistFirstAlbum, String[] artistName,
            String[] artistUri, int[] albumArtist, int[] albumFirstTrack, String[] albumName, String[] albumUri,
            int[] trackAlbum, int[] trackGenre, float[] trackPop, boolean[] trackChristmas, int[] trackDurationMs,
            short[][] features, String[] trackName, String[] trackId, String[] trackUri) {
        this.taxonomy = taxonomy;
        this.artistGenre = artistGenre;
        this.artistPop = artistPop;
        this.artistFirstAlbum = artistFirstAlbum;
        this.artistName = artistName;
        this.artistUri = artistUri;
        this.albumArtist = albumArtist;
        this.albumFirstTrack = albumFirstTrack;
        this.albumName = albumName;
        this.albumUri = albumUri;
        this.trackAlbum = trackAlbum;
        this.trackGenre = trackGenre;
        this.trackPop = trackPop;
        this.trackChristmas = trackChristmas;
        this.trackDurationMs = trackDurationMs;
        this.features = features;
        this.trackName = trackName;
        this.trackId = trackId;
        this.trackUri = trackUri;
    }

    public Taxonomy taxonomy() {
        return taxonomy;
    }

    public int tracks() {
        return trackAlbum.length;
    }

    public int albums() {
        return albumArtist.length;
    }

    public int artists() {
        return artistGenre.length;
    }

    public int albumOf(int track) {
        return trackAlbum[track];
    }

    public int artistOf(int track) {
        return albumArtist[trackAlbum[track]];
    }

    /** The album's genre, which is the artist's genre for most albums. */
    public int genreOf(int track) {
        return trackGenre[track];
    }

    public int artistGenre(int artist) {
        return artistGenre[artist];
    }

    public int firstTrackOfArtist(int artist) {
        return albumFirstTrack[artistFirstAlbum[artist]];
    }

    /** One past the artist's last track. */
    public int endTrackOfArtist(int artist) {
        return albumFirstTrack[artistFirstAlbum[artist + 1]];
    }

    public int firstTrackOfAlbum(int album) {
        return albumFirstTrack[album];
    }

    public int endTrackOfAlbum(int album) {
        return albumFirstTrack[album + 1];
    }

    public float popularity(int track) {
        return trackPop[track];
    }

    public boolean christmas(int track) {
        return trackChristmas[track];
    }

    public int durationMs(int track) {
        return trackDurationMs[track];
    }

    public int feature(AudioFeature f, int track) {
        return features[f.ordinal()][track];
    }

    public String trackName(int track) {
        return trackName[track];
    }

    /** The 22-character id of the track ({@code track_uri} without {@code spotify:track:}). */
    public String trackId(int track) {
        return trackId[track];
    }

    public String trackUri(int track) {
        return trackUri[track];
    }

    public String artistName(int artist) {
        return artistName[artist];
    }

    public String artistUri(int artist) {
        return artistUri[artist];
    }

    public String albumName(int album) {
        return albumName[album];
    }

    public String albumUri(int album) {
        return albumUri[album];
    }

    /** The MPD record of a track at a playlist position. */
    public MpdTrack mpdTrack(int track, int pos) {
        int album = trackAlbum[track];
        int artist = albumArtist[album];
        return new MpdTrack(pos, artistName[artist], trackUri[track], artistUri[artist], trackName[track],
                albumUri[album], trackDurationMs[track], albumName[album]);
    }

    /** A short fingerprint of the catalog (checked by the oracle so it never ranks against another world). */
    public long fingerprint() {
        long h = tracks() * 31L + albums() * 17L + artists();
        for (int t = 0; t < tracks(); t += Math.max(1, tracks() / 4096)) {
            h = RandomStreams.mix64(h ^ trackUri[t].hashCode() ^ ((long) trackGenre[t] << 32));
        }
        return h;
    }
}
