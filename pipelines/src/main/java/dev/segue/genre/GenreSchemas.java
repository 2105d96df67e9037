package dev.segue.genre;

import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureType;

/** The {@code track_genre_features} feature set (one row per track, keyed by its catalog URI). */
public final class GenreSchemas {
    public static final String NAME = "track_genre_features";
    public static final String TRACK_URI = "track_uri";
    public static final String AUDIO_ID = "audio_id";
    public static final String TITLE = "title";
    public static final String ARTIST = "artist";
    public static final String TOP_GENRE = "top_genre";
    public static final String BROAD_GENRE = "broad_genre";

    private GenreSchemas() {}

    public static String z(String column) {
        return "z_" + column;
    }

    public static String minMax(String column) {
        return "mm_" + column;
    }

    public static FeatureSetSchema schema() {
        FeatureSetSchema.Builder b = FeatureSetSchema.builder(NAME)
                .entityKey(TRACK_URI, FeatureType.UTF8, "catalog track URI (spotify:track: + the audio file's Id)")
                .column(AUDIO_ID, FeatureType.UTF8, "Id as in the audio file")
                .column(TITLE, FeatureType.UTF8, "title")
                .column(ARTIST, FeatureType.UTF8, "artist");
        for (String c : AudioLayout.NUMERIC) {
            b.column(c, FeatureType.FLOAT64, "raw audio feature " + c);
        }
        for (String c : AudioLayout.NUMERIC) {
            b.column(z(c), FeatureType.FLOAT64, "z-score of " + c + " (mean and std in the manifest)");
        }
        for (String c : AudioLayout.NUMERIC) {
            b.column(minMax(c), FeatureType.FLOAT64, "min-max scaling of " + c + " to [0, 1] (min and max in the manifest)");
            b.range(minMax(c), 0.0, 1.0);
        }
        b.categorical(TOP_GENRE, "fine genre label ('top genre'); null when missing")
                .categorical(BROAD_GENRE, "broad genre from GenreCondensation " + GenreCondensation.VERSION
                        + "; null when the label is missing");
        for (String c : AudioLayout.NUMERIC) {
            b.notNull(c, z(c), minMax(c));
        }
        return b.notNull(AUDIO_ID).build();
    }
}
