package dev.segue.serving.grpc;

import com.google.protobuf.ByteString;
import dev.segue.serving.model.TrackCatalog;

/**
 * The UTF-8 bytes of the track and artist URIs of one {@link TrackCatalog}, as the {@link ByteString}s the
 * response messages hold. A response built from Strings makes protobuf measure (a pass over every character)
 * and encode every URI on each call — about a tenth of a Continue k=500's CPU; from ByteStrings its size is
 * known and writing it is a copy. Each entry is made the first time a row is returned and kept: a ByteString
 * is immutable, so two threads racing to fill the same slot both store an equal value, and a reader sees
 * either null (and encodes it again) or a complete one.
 */
final class WireCatalog {
    private final TrackCatalog catalog;
    private final ByteString[] trackUris;
    private final ByteString[] artistUris;

    WireCatalog(TrackCatalog catalog) {
        this.catalog = catalog;
        this.trackUris = new ByteString[catalog.size()];
        this.artistUris = new ByteString[catalog.artistCount()];
    }

    TrackCatalog catalog() {
        return catalog;
    }

    ByteString trackUri(int row) {
        ByteString b = trackUris[row];
        if (b == null) {
            b = ByteString.copyFromUtf8(catalog.trackUri(row));
            trackUris[row] = b;
        }
        return b;
    }

    ByteString artistUriOfRow(int row) {
        int artist = catalog.artistOf(row);
        ByteString b = artistUris[artist];
        if (b == null) {
            b = ByteString.copyFromUtf8(catalog.artistUri(artist));
            artistUris[artist] = b;
        }
        return b;
    }

    /** The encoded URIs of a catalog; one per catalog, kept while the catalog is served. */
    static WireCatalog of(TrackCatalog catalog) {
        WireCatalog last = latest;
        if (last != null && last.catalog == catalog) {
            return last;
        }
        synchronized (BY_CATALOG) {
            WireCatalog w = BY_CATALOG.computeIfAbsent(catalog, WireCatalog::new);
            latest = w;
            return w;
        }
    }

    private static volatile WireCatalog latest;
    /** Weak keys: a catalog no longer served (after a reload) is dropped with its bytes. */
    private static final java.util.Map<TrackCatalog, WireCatalog> BY_CATALOG = new java.util.WeakHashMap<>();
}
