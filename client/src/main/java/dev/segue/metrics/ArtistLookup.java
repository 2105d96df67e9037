package dev.segue.metrics;

/** The artist URI of a track URI, or {@code null} when the track is unknown. */
@FunctionalInterface
public interface ArtistLookup {
    String artistOf(String trackUri);

    ArtistLookup NONE = uri -> null;
}
