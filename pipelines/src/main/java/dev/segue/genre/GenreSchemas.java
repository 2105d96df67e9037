package dev.segue.genre;

import dev.segue.format.FeatureSetContracts.TrackGenreFeatures;
import dev.segue.pipelines.ContractSchemas;
import dev.segue.store.FeatureSetSchema;

import java.util.Map;

/**
 * The {@code track_genre_features} feature set (one row per track, keyed by its catalog URI); names, columns
 * and checks are the registry's ({@code dev.segue.format.FeatureSetContracts}).
 */
public final class GenreSchemas {
    public static final String NAME = TrackGenreFeatures.NAME;
    public static final String TRACK_URI = TrackGenreFeatures.TRACK_URI;
    public static final String AUDIO_ID = TrackGenreFeatures.AUDIO_ID;
    public static final String TITLE = TrackGenreFeatures.TITLE;
    public static final String ARTIST = TrackGenreFeatures.ARTIST;
    public static final String TOP_GENRE = TrackGenreFeatures.TOP_GENRE;
    public static final String BROAD_GENRE = TrackGenreFeatures.BROAD_GENRE;

    private GenreSchemas() {}

    public static String z(String column) {
        return TrackGenreFeatures.z(column);
    }

    public static String minMax(String column) {
        return TrackGenreFeatures.minMax(column);
    }

    public static FeatureSetSchema schema() {
        return ContractSchemas.schema(TrackGenreFeatures.CONTRACT, 0, Map.of(BROAD_GENRE,
                "broad genre from GenreCondensation " + GenreCondensation.VERSION + "; null when the label is missing"));
    }
}
