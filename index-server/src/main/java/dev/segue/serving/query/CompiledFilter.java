package dev.segue.serving.query;

import dev.segue.serving.index.RowFilter;
import dev.segue.serving.model.TrackCatalog;
import java.util.Arrays;
import java.util.List;

/**
 * A request's exclusions resolved to rows and artist ids (sorted primitive arrays, binary-searched per
 * candidate): the seeds, the excluded tracks, excluded artists and the optional artist allow list.
 */
final class CompiledFilter implements RowFilter {
    private final TrackCatalog catalog;
    private final int[] excludedRows;
    private final int[] excludedArtists;
    private final int[] allowedArtists; // null: no allow list
    private final long eligibleRows;

    private CompiledFilter(TrackCatalog catalog, int[] excludedRows, int[] excludedArtists, int[] allowedArtists) {
        this.catalog = catalog;
        this.excludedRows = excludedRows;
        this.excludedArtists = excludedArtists;
        this.allowedArtists = allowedArtists;
        long eligible;
        if (allowedArtists != null) {
            eligible = 0;
            for (int a : allowedArtists) {
                if (Arrays.binarySearch(excludedArtists, a) < 0) {
                    eligible += catalog.trackCount(a);
                }
            }
        } else {
            eligible = catalog.size();
            for (int a : excludedArtists) {
                eligible -= catalog.trackCount(a);
            }
        }
        this.eligibleRows = eligible;
    }

    static CompiledFilter compile(TrackCatalog catalog, int[] seedRows, FilterSpec spec) {
        int[] rows = new int[seedRows.length + spec.excludeTrackUris().size()];
        int n = 0;
        for (int row : seedRows) {
            rows[n++] = row;
        }
        for (String uri : spec.excludeTrackUris()) {
            int row = catalog.row(uri);
            if (row >= 0) {
                rows[n++] = row;
            }
        }
        int[] excludedArtists = artists(catalog, spec.excludeArtistUris());
        int[] allowed = spec.allowArtistUris().isEmpty() ? null : artists(catalog, spec.allowArtistUris());
        return new CompiledFilter(catalog, distinctSorted(rows, n), excludedArtists, allowed);
    }

    private static int[] artists(TrackCatalog catalog, List<String> uris) {
        int[] ids = new int[uris.size()];
        int n = 0;
        for (String uri : uris) {
            int id = catalog.artist(uri);
            if (id >= 0) {
                ids[n++] = id;
            }
        }
        return distinctSorted(ids, n);
    }

    private static int[] distinctSorted(int[] values, int n) {
        int[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m == 0 || sorted[m - 1] != sorted[i]) {
                sorted[m++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, m);
    }

    @Override
    public boolean accept(int row) {
        if (excludedRows.length > 0 && Arrays.binarySearch(excludedRows, row) >= 0) {
            return false;
        }
        if (allowedArtists == null && excludedArtists.length == 0) {
            return true;
        }
        int artist = catalog.artistOf(row);
        if (excludedArtists.length > 0 && Arrays.binarySearch(excludedArtists, artist) >= 0) {
            return false;
        }
        return allowedArtists == null || Arrays.binarySearch(allowedArtists, artist) >= 0;
    }

    /** Rows the artist constraints leave (an upper bound: excluded rows are not subtracted). */
    long eligibleRows() {
        return eligibleRows;
    }

    int excludedRowCount() {
        return excludedRows.length;
    }

    boolean hasAllowList() {
        return allowedArtists != null;
    }

    /** The rows of the allow-listed artists (call only with an allow list). */
    int[] allowedRows() {
        return catalog.rowsOf(allowedArtists);
    }
}
