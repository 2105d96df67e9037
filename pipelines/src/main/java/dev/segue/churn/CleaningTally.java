package dev.segue.churn;

import java.util.List;

/** Counts of each cleaning rule's effect for one snapshot, as a long[] for tight loops; slot names below. */
public final class CleaningTally {
    public static final int BOT_USERS = 0;
    public static final int BOT_EVENTS = 1;
    public static final int SONG_LENGTH_MISSING_DROPPED = 2;
    public static final int SONG_LENGTH_OUTLIER_DROPPED = 3;
    public static final int SONG_LENGTH_NONPOSITIVE_REPLACED = 4;
    public static final int PLAY_TIME_MISSING_REPLACED = 5;
    public static final int PLAY_TIME_NEGATIVE_REPLACED = 6;
    public static final int PLAY_TIME_OUTLIER_DROPPED = 7;
    public static final int NO_MEAN_DROPPED = 8;
    public static final int PLAYS_KEPT = 9;
    public static final int WIDTH = 10;

    /** Counter names (suffixed with {@code @snapshot-date} in the pipeline's metrics). */
    public static final List<String> NAMES = List.of("clean.bot_users", "clean.bot_events",
            "clean.song_length_missing_dropped", "clean.song_length_outlier_dropped",
            "clean.song_length_nonpositive_replaced", "clean.play_time_missing_replaced",
            "clean.play_time_negative_replaced", "clean.play_time_outlier_dropped", "clean.no_mean_dropped",
            "clean.plays_kept");

    private CleaningTally() {}

    static void count(long[] tally, int outcome) {
        switch (outcome & CleaningRules.DROP_MASK) {
            case CleaningRules.DROP_SONG_LENGTH_MISSING -> tally[SONG_LENGTH_MISSING_DROPPED]++;
            case CleaningRules.DROP_SONG_LENGTH_OUTLIER -> tally[SONG_LENGTH_OUTLIER_DROPPED]++;
            case CleaningRules.DROP_PLAY_TIME_OUTLIER -> tally[PLAY_TIME_OUTLIER_DROPPED]++;
            case CleaningRules.DROP_NO_MEAN -> tally[NO_MEAN_DROPPED]++;
            default -> tally[PLAYS_KEPT]++;
        }
        if ((outcome & CleaningRules.SONG_LENGTH_REPLACED) != 0) {
            tally[SONG_LENGTH_NONPOSITIVE_REPLACED]++;
        }
        if ((outcome & CleaningRules.PLAY_TIME_MISSING_REPLACED) != 0) {
            tally[PLAY_TIME_MISSING_REPLACED]++;
        }
        if ((outcome & CleaningRules.PLAY_TIME_NEGATIVE_REPLACED) != 0) {
            tally[PLAY_TIME_NEGATIVE_REPLACED]++;
        }
    }
}
