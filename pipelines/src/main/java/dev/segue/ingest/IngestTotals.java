package dev.segue.ingest;

import java.io.Serializable;

/**
 * Counts of one ingest: files, playlist records read, malformed records skipped, track entries, and the
 * first malformed record (in file order) for error messages.
 */
public record IngestTotals(long files, long playlists, long malformed, long trackEntries, DeadLetter firstError)
        implements Serializable {
    public static final IngestTotals ZERO = new IngestTotals(0, 0, 0, 0, null);

    /** Records seen, good and malformed. */
    public long records() {
        return playlists + malformed;
    }

    /** Malformed records as a fraction of all records (0 when there were none). */
    public double errorRate() {
        return records() == 0 ? 0 : (double) malformed / records();
    }

    public IngestTotals plus(IngestTotals o) {
        DeadLetter first = firstError;
        if (first == null || (o.firstError != null && earlier(o.firstError, first))) {
            first = o.firstError != null ? o.firstError : first;
        }
        return new IngestTotals(files + o.files, playlists + o.playlists, malformed + o.malformed,
                trackEntries + o.trackEntries, first);
    }

    private static boolean earlier(DeadLetter a, DeadLetter b) {
        int c = a.file().compareTo(b.file());
        return c < 0 || (c == 0 && a.index() < b.index());
    }
}
