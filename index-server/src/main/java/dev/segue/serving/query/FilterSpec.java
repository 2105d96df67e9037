package dev.segue.serving.query;

import java.util.List;

/**
 * Caller-side filter by URI. Unknown URIs in the exclude lists are ignored; an allow list whose artists
 * are all unknown allows nothing.
 */
public record FilterSpec(List<String> excludeTrackUris, List<String> excludeArtistUris, List<String> allowArtistUris) {
    public static final FilterSpec NONE = new FilterSpec(List.of(), List.of(), List.of());

    public FilterSpec {
        excludeTrackUris = List.copyOf(excludeTrackUris);
        excludeArtistUris = List.copyOf(excludeArtistUris);
        allowArtistUris = List.copyOf(allowArtistUris);
    }
}
