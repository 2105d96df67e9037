package dev.segue.churn;

import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureType;

/** The three feature sets the churn pipeline writes (names fixed in CONTRACTS.md). */
public final class ChurnSchemas {
    public static final String FEATURES = "user_churn_features";
    public static final String LABELS = "user_churn_labels";
    public static final String RATINGS = "user_song_ratings";

    public static final String UID = "uid";
    public static final String WINDOW_END = "window_end";
    public static final String WINDOW_END_DATE = "window_end_date";
    public static final String DEVICE = "device";
    public static final String LABEL_TIME = "label_time";
    public static final String CHURN = "churn";
    public static final String SONG_ID = "song_id";
    public static final String RATING = "rating";
    public static final String PLAYS = "plays";
    public static final String DOWNLOADED = "downloaded";

    private ChurnSchemas() {}

    public static FeatureSetSchema features() {
        FeatureSetSchema.Builder b = FeatureSetSchema.builder(FEATURES)
                .entityKey(UID, FeatureType.INT64, "music-box user id")
                .eventTimestamp(WINDOW_END, "close of the feature window (start of the day after its last day, UTC)")
                .categorical(WINDOW_END_DATE, "last day of the feature window, yyyy-MM-dd");
        for (int f = 0; f < ChurnFeatures.COUNT; f++) {
            String name = ChurnFeatures.NAMES.get(f);
            b.column(name, ChurnFeatures.isCount(f) ? FeatureType.INT32 : FeatureType.FLOAT64, describe(f));
            b.notNull(name);
            if (f < ChurnFeatures.B1 || f == ChurnFeatures.B2 || (f >= ChurnFeatures.C2 && f < ChurnFeatures.D1)) {
                b.range(name, 0.0, 1.0);
            } else {
                b.range(name, 0.0, null);
            }
        }
        b.categorical(DEVICE, "E1: device with most events in the window (tie: ip); null when unknown");
        return b.notNull(WINDOW_END_DATE).build();
    }

    private static String describe(int f) {
        if (f < ChurnFeatures.A2) {
            return "A1: share of the window's plays in this play-time/song-length bucket (0 without plays)";
        }
        if (f == ChurnFeatures.A2) {
            return "A2: plays >= 80% in the last 7 days over those in the window (0 when none)";
        }
        if (f == ChurnFeatures.B1) {
            return "B1: total play time in the window (seconds, cleaned)";
        }
        if (f == ChurnFeatures.B2) {
            return "B2: play time in the last 7 days over the window's (0 when none)";
        }
        if (f == ChurnFeatures.B3) {
            return "B3: mean play time per play (0 without plays)";
        }
        if (f < ChurnFeatures.C2) {
            return "C1: events of this type in the last N days of the window";
        }
        if (f < ChurnFeatures.D1) {
            return "C2: events of this type in the last 7 days over those in the window (0 when none)";
        }
        return "D1: days from the last event of this type to the window end (window length when none)";
    }

    public static FeatureSetSchema labels() {
        return FeatureSetSchema.builder(LABELS)
                .entityKey(UID, FeatureType.INT64, "music-box user id")
                .eventTimestamp(LABEL_TIME, "close of the label window: when the label became known")
                .column(WINDOW_END, FeatureType.TIMESTAMP, "close of the feature window this label belongs to")
                .categorical(WINDOW_END_DATE, "last day of the feature window, yyyy-MM-dd")
                .column(CHURN, FeatureType.INT32, "1: events in the feature window and none in the label window; "
                        + "0: events in both")
                .notNull(WINDOW_END, WINDOW_END_DATE, CHURN)
                .range(CHURN, 0.0, 1.0)
                .build();
    }

    public static FeatureSetSchema ratings() {
        return FeatureSetSchema.builder(RATINGS)
                .entityKey(UID, FeatureType.INT64, "music-box user id (several rows per user, one per song)")
                .eventTimestamp(WINDOW_END, "close of the feature window the ratings come from")
                .column(SONG_ID, FeatureType.UTF8, "song id as in the logs")
                .column(RATING, FeatureType.FLOAT64, "max(mean play score 1-5, download score 5 or 0), study 003 §6")
                .column(PLAYS, FeatureType.INT32, "cleaned plays of the song by the user in the window")
                .column(DOWNLOADED, FeatureType.BOOL, "whether the user downloaded the song in the window")
                .notNull(SONG_ID, RATING, PLAYS, DOWNLOADED)
                .range(RATING, 1.0, 5.0)
                .build();
    }
}
