package dev.segue.serving.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Track and artist identities of the factor rows: URI ⇄ row, the artist of every row as a dense int, and
 * the rows of every artist (for allow-list filters). Built once per data version; immutable.
 */
public final class TrackCatalog {
    private final String[] trackUris;
    private final int[] artistOfRow;
    private final String[] artistUris;
    private final Map<String, Integer> rowByUri;
    private final Map<String, Integer> artistByUri;
    private final int[][] rowsOfArtist;

    /**
     * @param trackUris  the URI of each factor row (unique, non-empty)
     * @param artistUris the artist URI of each factor row (non-empty)
     */
    public TrackCatalog(String[] trackUris, String[] artistUris) {
        if (trackUris.length != artistUris.length) {
            throw new IllegalArgumentException(trackUris.length + " track URIs but " + artistUris.length
                    + " artist URIs");
        }
        int n = trackUris.length;
        this.trackUris = trackUris;
        this.artistOfRow = new int[n];
        this.rowByUri = new HashMap<>(n * 2);
        this.artistByUri = new HashMap<>();
        List<String> artists = new ArrayList<>();
        for (int row = 0; row < n; row++) {
            String uri = trackUris[row];
            if (uri == null || uri.isEmpty()) {
                throw new IllegalArgumentException("row " + row + ": track_uri is empty");
            }
            if (rowByUri.put(uri, row) != null) {
                throw new IllegalArgumentException("row " + row + ": duplicate track_uri \"" + uri + "\"");
            }
            String artist = artistUris[row];
            if (artist == null || artist.isEmpty()) {
                throw new IllegalArgumentException("row " + row + " (" + uri + "): artist_uri is empty");
            }
            Integer id = artistByUri.get(artist);
            if (id == null) {
                id = artists.size();
                artistByUri.put(artist, id);
                artists.add(artist);
            }
            artistOfRow[row] = id;
        }
        this.artistUris = artists.toArray(new String[0]);
        int[] counts = new int[this.artistUris.length];
        for (int a : artistOfRow) {
            counts[a]++;
        }
        this.rowsOfArtist = new int[counts.length][];
        for (int a = 0; a < counts.length; a++) {
            rowsOfArtist[a] = new int[counts[a]];
        }
        int[] fill = new int[counts.length];
        for (int row = 0; row < n; row++) {
            int a = artistOfRow[row];
            rowsOfArtist[a][fill[a]++] = row;
        }
    }

    public int size() {
        return trackUris.length;
    }

    public int artistCount() {
        return artistUris.length;
    }

    /** Row of a track URI, or -1. */
    public int row(String trackUri) {
        Integer row = rowByUri.get(trackUri);
        return row == null ? -1 : row;
    }

    /** Dense artist id of an artist URI, or -1. */
    public int artist(String artistUri) {
        Integer id = artistByUri.get(artistUri);
        return id == null ? -1 : id;
    }

    public String trackUri(int row) {
        return trackUris[row];
    }

    public int artistOf(int row) {
        return artistOfRow[row];
    }

    public String artistUri(int artist) {
        return artistUris[artist];
    }

    public String artistUriOfRow(int row) {
        return artistUris[artistOfRow[row]];
    }

    public int trackCount(int artist) {
        return rowsOfArtist[artist].length;
    }

    /** Rows of the given artists, ascending. */
    public int[] rowsOf(int[] artists) {
        int total = 0;
        for (int a : artists) {
            total += rowsOfArtist[a].length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int a : artists) {
            System.arraycopy(rowsOfArtist[a], 0, out, at, rowsOfArtist[a].length);
            at += rowsOfArtist[a].length;
        }
        Arrays.sort(out);
        return out;
    }
}
