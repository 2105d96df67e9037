package dev.segue.store.io;

import java.util.Objects;

/**
 * A file or folder of a store, as the location string its {@link StoreFileIO} understands: an absolute local path
 * ({@code /data/store/NAME}) or a URI ({@code hdfs://namenode:8020/store/NAME}). Locations only join names with
 * {@code /}; what they point at is the file IO's business.
 */
public final class Location {
    private final String uri;

    private Location(String uri) {
        this.uri = uri;
    }

    public static Location of(String uri) {
        Objects.requireNonNull(uri, "location");
        String u = uri;
        while (u.length() > 1 && u.endsWith("/") && !u.endsWith("://")) {
            u = u.substring(0, u.length() - 1);
        }
        return new Location(u);
    }

    /** This location with {@code name} (one path element, no slash) appended. */
    public Location resolve(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not a single path element: '" + name + "'");
        }
        return new Location(uri.endsWith("/") ? uri + name : uri + "/" + name);
    }

    /** The last path element. */
    public String name() {
        int slash = uri.lastIndexOf('/');
        return slash < 0 ? uri : uri.substring(slash + 1);
    }

    /** The folder holding this location. */
    public Location parent() {
        int slash = uri.lastIndexOf('/');
        if (slash <= 0 || uri.substring(0, slash).endsWith(":/")) {
            throw new IllegalStateException(uri + " has no parent");
        }
        return new Location(uri.substring(0, slash));
    }

    /** The scheme ({@code hdfs}), or {@code null} for a local path. */
    public String scheme() {
        return schemeOf(uri);
    }

    static String schemeOf(String s) {
        int colon = s.indexOf("://");
        if (colon <= 0) {
            return s.startsWith("file:") ? "file" : null;
        }
        String scheme = s.substring(0, colon);
        return scheme.matches("[A-Za-z][A-Za-z0-9+.-]*") ? scheme.toLowerCase(java.util.Locale.ROOT) : null;
    }

    @Override
    public String toString() {
        return uri;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Location l && l.uri.equals(uri);
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }
}
