package dev.segue.churn;

import dev.segue.format.FeatureSetContracts.UserChurnFeatures;
import dev.segue.format.FeatureSetContracts.UserChurnLabels;
import dev.segue.format.FeatureSetContracts.UserSongRatings;
import dev.segue.pipelines.ContractSchemas;
import dev.segue.store.FeatureSetSchema;

/**
 * The three feature sets the churn pipeline writes; names, columns and checks are the registry's
 * ({@code dev.segue.format.FeatureSetContracts}), the constants here are kept for the pipeline's code.
 */
public final class ChurnSchemas {
    public static final String FEATURES = UserChurnFeatures.NAME;
    public static final String LABELS = UserChurnLabels.NAME;
    public static final String RATINGS = UserSongRatings.NAME;

    public static final String UID = UserChurnFeatures.UID;
    public static final String WINDOW_END = UserChurnFeatures.WINDOW_END;
    public static final String WINDOW_END_DATE = UserChurnFeatures.WINDOW_END_DATE;
    public static final String DEVICE = UserChurnFeatures.DEVICE;
    public static final String LABEL_TIME = UserChurnLabels.LABEL_TIME;
    public static final String CHURN = UserChurnLabels.CHURN;
    public static final String SONG_ID = UserSongRatings.SONG_ID;
    public static final String RATING = UserSongRatings.RATING;
    public static final String PLAYS = UserSongRatings.PLAYS;
    public static final String DOWNLOADED = UserSongRatings.DOWNLOADED;

    private ChurnSchemas() {}

    public static FeatureSetSchema features() {
        return ContractSchemas.schema(UserChurnFeatures.CONTRACT);
    }

    public static FeatureSetSchema labels() {
        return ContractSchemas.schema(UserChurnLabels.CONTRACT);
    }

    public static FeatureSetSchema ratings() {
        return ContractSchemas.schema(UserSongRatings.CONTRACT);
    }
}
