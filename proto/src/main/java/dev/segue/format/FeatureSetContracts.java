package dev.segue.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The registry of the feature sets Segue's pipelines write and its servers and clients read: for each set its
 * name, entity key, optional event timestamp and columns (type, fixed or run-time embedding width, nullability,
 * checked range, description). Plain data, so every module can name a set or a column without depending on the
 * store or on Beam; {@code dev.segue.pipelines.ContractSchemas} turns a contract into the store's
 * {@code FeatureSetSchema}. Readers and writers use the nested classes' constants instead of retyping strings:
 *
 * <pre>
 * store.read(TrackFactors.NAME).column(TrackFactors.FACTORS)
 * </pre>
 *
 * The on-disk format of a set is {@code featurestore/FORMAT.md}; the Python reader ({@code segue_store}) reads
 * any set by name and needs no copy of this registry.
 */
public final class FeatureSetContracts {

    /** A column's storage type; the names match the store's {@code FeatureType} constants. */
    public enum ColumnType { INT32, INT64, FLOAT32, FLOAT64, BOOL, UTF8, TIMESTAMP, EMBEDDING }

    /** What a column is to the set. */
    public enum Role { ENTITY_KEY, EVENT_TIMESTAMP, VALUE }

    /**
     * One column.
     *
     * @param dim         an embedding's fixed width, or 0: for other types, and for embeddings whose width is the
     *                    model's (factors), chosen by the run that writes the set
     * @param categorical a utf8 column stored dictionary-encoded
     * @param min         inclusive lower bound checked on write, or null
     * @param max         inclusive upper bound checked on write, or null
     */
    public record Column(String name, ColumnType type, Role role, int dim, boolean categorical, boolean notNull,
                         Double min, Double max, String description) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(role, "role");
            description = description == null ? "" : description;
        }
    }

    /** One feature set: its name and columns in storage order (the key and the event timestamp included). */
    public record Contract(String name, List<Column> columns) {
        public Contract {
            columns = List.copyOf(columns);
        }

        public String entityKey() {
            return columns.stream().filter(c -> c.role() == Role.ENTITY_KEY).findFirst().orElseThrow().name();
        }

        /** The event-timestamp column, or null when the set has none. */
        public String eventTimestamp() {
            return columns.stream().filter(c -> c.role() == Role.EVENT_TIMESTAMP).map(Column::name).findFirst()
                    .orElse(null);
        }

        public List<String> columnNames() {
            return columns.stream().map(Column::name).toList();
        }

        /** The column, or an exception naming the set, the unknown column and the declared ones. */
        public Column column(String name) {
            for (Column c : columns) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("feature set '" + this.name + "' has no column '" + name
                    + "' (columns: " + columnNames() + ")");
        }
    }

    // ---- continuation (dev.segue.pipelines.continuation), read by segue serve and the client's baselines ----

    /** {@code tracks}: the track catalog. */
    public static final class Tracks {
        public static final String NAME = "tracks";
        public static final String TRACK_ID = "track_id";
        public static final String TRACK_URI = "track_uri";
        public static final String TRACK_NAME = "track_name";
        public static final String ARTIST_URI = "artist_uri";
        public static final String ARTIST_NAME = "artist_name";
        public static final String ALBUM_URI = "album_uri";
        public static final String ALBUM_NAME = "album_name";
        public static final String DURATION_MS = "duration_ms";
        public static final Contract CONTRACT = set(NAME)
                .key(TRACK_ID, ColumnType.INT32, "dense id: 0 = most occurrences, ties by URI")
                .value(TRACK_URI, ColumnType.UTF8, "Spotify track URI").notNull()
                .value(TRACK_NAME, ColumnType.UTF8, "track name")
                .value(ARTIST_URI, ColumnType.UTF8, "artist URI").notNull()
                .value(ARTIST_NAME, ColumnType.UTF8, "artist name")
                .value(ALBUM_URI, ColumnType.UTF8, "album URI").notNull()
                .value(ALBUM_NAME, ColumnType.UTF8, "album name")
                .value(DURATION_MS, ColumnType.INT64, "duration in milliseconds")
                .build();

        private Tracks() {}
    }

    /** {@code track_stats}: per-track playlist statistics and the popularity rank. */
    public static final class TrackStats {
        public static final String NAME = "track_stats";
        public static final String TRACK_ID = "track_id";
        public static final String TRACK_URI = "track_uri";
        public static final String OCCURRENCES = "occurrences";
        public static final String PLAYLISTS = "playlists";
        public static final String POPULARITY_RANK = "popularity_rank";
        public static final String MEAN_RELATIVE_POSITION = "mean_relative_position";
        public static final Contract CONTRACT = set(NAME)
                .key(TRACK_ID, ColumnType.INT32, "dense track id")
                .value(TRACK_URI, ColumnType.UTF8, "Spotify track URI").notNull()
                .value(OCCURRENCES, ColumnType.INT64, "entries in the training playlists the first stage learns from "
                        + "(repeats counted; the ranker holdout left out, so 0 for a track only it holds)").notNull()
                .range(0.0, null)
                .value(PLAYLISTS, ColumnType.INT64, "training playlists containing the track (ranker holdout left out)")
                .notNull().range(0.0, null)
                .value(POPULARITY_RANK, ColumnType.INT32, "0 = most popular (the ids' order: occurrences in every "
                        + "training playlist, then URI)").notNull()
                .value(MEAN_RELATIVE_POSITION, ColumnType.FLOAT64, "mean of index/(length-1) over the same "
                        + "occurrences, 0 = first (0 without any)").notNull()
                .range(0.0, 1.0)
                .build();

        private TrackStats() {}
    }

    /** {@code track_factors}: the implicit-ALS item factors the index serves. */
    public static final class TrackFactors {
        public static final String NAME = "track_factors";
        public static final String TRACK_ID = "track_id";
        public static final String TRACK_URI = "track_uri";
        public static final String ARTIST_URI = "artist_uri";
        public static final String FACTORS = "factors";
        public static final Contract CONTRACT = set(NAME)
                .key(TRACK_ID, ColumnType.INT32, "dense track id")
                .value(TRACK_URI, ColumnType.UTF8, "Spotify track URI").notNull()
                .value(ARTIST_URI, ColumnType.UTF8, "artist URI")
                .embedding(FACTORS, "implicit-ALS item factors").notNull()
                .build();

        private TrackFactors() {}
    }

    /** {@code playlist_factors}: the implicit-ALS playlist (user) factors. */
    public static final class PlaylistFactors {
        public static final String NAME = "playlist_factors";
        public static final String PID = "pid";
        public static final String FACTORS = "factors";
        public static final Contract CONTRACT = set(NAME)
                .key(PID, ColumnType.INT64, "MPD playlist id")
                .embedding(FACTORS, "implicit-ALS playlist (user) factors").notNull()
                .build();

        private PlaylistFactors() {}
    }

    /** {@code title_embeddings}: query vectors for playlist titles and their tokens. */
    public static final class TitleEmbeddings {
        public static final String NAME = "title_embeddings";
        public static final String ID = "id";
        public static final String KEY = "key";
        public static final String KIND = "kind";
        public static final String COUNT = "count";
        public static final String VECTOR = "vector";
        /** The values of {@link #KIND}. */
        public static final String KIND_TITLE = "title";
        public static final String KIND_TOKEN = "token";
        public static final Contract CONTRACT = set(NAME)
                .key(ID, ColumnType.UTF8, "kind:key, unique (a one-word title and its token share the key)")
                .value(KEY, ColumnType.UTF8, "normalized title (kind=title) or token (kind=token)").notNull()
                .categorical(KIND, "title | token").notNull()
                .value(COUNT, ColumnType.INT64, "playlists with the title or token").notNull()
                .embedding(VECTOR, "query vector in the track-factor space").notNull()
                .build();

        private TitleEmbeddings() {}
    }

    /** {@code title_tracks}: how often each track appears under each normalized title. */
    public static final class TitleTracks {
        public static final String NAME = "title_tracks";
        public static final String ID = "id";
        public static final String TITLE = "title";
        public static final String TRACK_ID = "track_id";
        public static final String COUNT = "count";
        public static final String TITLE_COUNT = "title_count";
        public static final Contract CONTRACT = set(NAME)
                .key(ID, ColumnType.UTF8, "title#track_id, unique")
                .value(TITLE, ColumnType.UTF8, "normalized title").notNull()
                .value(TRACK_ID, ColumnType.INT32, "dense track id (track_stats)").notNull()
                .value(COUNT, ColumnType.INT64, "playlists with the title holding the track").notNull().range(1.0, null)
                .value(TITLE_COUNT, ColumnType.INT64, "playlists with the title").notNull()
                .build();

        private TitleTracks() {}
    }

    /**
     * {@code track_neighbours}: per track, the tracks most often in the same playlists (item-to-item co-occurrence),
     * the source of the two-stage recommender's co-occurrence candidates. One row per (track, neighbour) pair,
     * at most the run's {@code neighbours} per track, best first.
     */
    public static final class TrackNeighbours {
        public static final String NAME = "track_neighbours";
        public static final String ID = "id";
        public static final String TRACK_ID = "track_id";
        public static final String NEIGHBOUR_ID = "neighbour_id";
        public static final String RANK = "rank";
        public static final String COUNT = "count";
        public static final String SCORE = "score";
        public static final Contract CONTRACT = set(NAME)
                .key(ID, ColumnType.INT64, "track_id * 2^32 + neighbour_id, unique")
                .value(TRACK_ID, ColumnType.INT32, "dense track id (track_stats)").notNull().range(0.0, null)
                .value(NEIGHBOUR_ID, ColumnType.INT32, "dense id of a co-occurring track, never track_id").notNull()
                .range(0.0, null)
                .value(RANK, ColumnType.INT32, "0 = the track's strongest neighbour (by score, ties by count, then id)")
                .notNull().range(0.0, null)
                .value(COUNT, ColumnType.INT64, "training playlists holding both tracks (within the run's position "
                        + "window, when it has one)").notNull().range(1.0, null)
                .value(SCORE, ColumnType.FLOAT32, "count / sqrt(playlists(track) * playlists(neighbour)), the "
                        + "cosine of the two tracks' playlist sets").notNull().range(0.0, 1.0)
                .build();

        private TrackNeighbours() {}
    }

    /**
     * {@code ranker_examples}: the ranker's training examples (issue 19), written by {@code segue pipeline ranker}
     * from training playlists split in the ten challenge shapes (never challenge truth). One row per (playlist,
     * candidate): the fixed columns below, then one FLOAT32 column per rank feature, named and ordered as the
     * manifest's {@code features} parameter ({@code dev.segue.ranking.RankFeatures.NAMES}; NaN = missing), so a
     * reader needs no other list.
     */
    public static final class RankerExamples {
        public static final String NAME = "ranker_examples";
        public static final String ID = "id";
        public static final String PID = "pid";
        public static final String CATEGORY = "category";
        public static final String HELD_OUT = "held_out";
        public static final String TRACK_ID = "track_id";
        public static final String LABEL = "label";
        /** The manifest parameter listing the feature columns, comma-separated, in order. */
        public static final String FEATURES_PARAMETER = "features";
        public static final Contract CONTRACT = set(NAME)
                .key(ID, ColumnType.INT64, "(pid * 16 + category) * 2^16 + the candidate's "
                        + "first-stage position, unique: one group per (playlist, challenge shape)")
                .value(PID, ColumnType.INT64, "training playlist").notNull().range(0.0, null)
                .value(CATEGORY, ColumnType.INT32, "challenge shape of the split (ChallengeCategory id)").notNull()
                .range(1.0, 10.0)
                .value(HELD_OUT, ColumnType.INT32, "held-out tracks of the playlist (candidate recall = positives / "
                        + "held_out)").notNull().range(1.0, null)
                .value(TRACK_ID, ColumnType.INT32, "candidate's dense track id (track_stats)").notNull().range(0.0, null)
                .value(LABEL, ColumnType.FLOAT32, "1 = a held-out track of the playlist, 0 = not").notNull()
                .range(0.0, 1.0)
                .build();

        private RankerExamples() {}
    }

    // ---- churn (dev.segue.churn) ----

    /** {@code user_churn_features}: study 003's per-user features of one feature window. */
    public static final class UserChurnFeatures {
        public static final String NAME = "user_churn_features";
        public static final String UID = "uid";
        public static final String WINDOW_END = "window_end";
        public static final String WINDOW_END_DATE = "window_end_date";
        public static final String DEVICE = "device";
        /** The day counts of the C1 features ({@code freq_X_last_N}). */
        public static final List<Integer> DAYS = List.of(1, 3, 7, 14, 30);
        /** The event types: play, download, search. */
        public static final List<String> TYPES = List.of("P", "D", "S");
        /** Index of the first feature of each group in {@link #FEATURES}. */
        public static final int A1 = 0, A2 = 5, B1 = 6, B2 = 7, B3 = 8, C1 = 9, C2 = 24, D1 = 27, COUNT = 30;
        /** The feature columns in feature-vector order (between window_end_date and device). */
        public static final List<String> FEATURES = featureNames();
        public static final Contract CONTRACT = features();

        private UserChurnFeatures() {}

        /** True for the integer-valued features (C1 counts and D1 days). */
        public static boolean isCount(int f) {
            return (f >= C1 && f < C2) || f >= D1;
        }

        private static List<String> featureNames() {
            List<String> n = new ArrayList<>(List.of("time_pct_0_20", "time_pct_20_40", "time_pct_40_60",
                    "time_pct_60_80", "time_pct_80_plus", "time_pct_80_plus_7d_over_30d", "total_play_time",
                    "total_play_time_7d_over_30d", "avg_play_time"));
            for (String t : TYPES) {
                for (int d : DAYS) {
                    n.add("freq_" + t + "_last_" + d);
                }
            }
            for (String t : TYPES) {
                n.add(t + "_7d_over_30d");
            }
            for (String t : TYPES) {
                n.add("days_since_last_" + t);
            }
            return List.copyOf(n);
        }

        private static Contract features() {
            Builder b = set(NAME)
                    .key(UID, ColumnType.INT64, "music-box user id")
                    .eventTimestamp(WINDOW_END, "close of the feature window (start of the day after its last day, UTC)")
                    .categorical(WINDOW_END_DATE, "last day of the feature window, yyyy-MM-dd").notNull();
            for (int f = 0; f < COUNT; f++) {
                b.value(FEATURES.get(f), isCount(f) ? ColumnType.INT32 : ColumnType.FLOAT64, describe(f)).notNull();
                if (f < B1 || f == B2 || (f >= C2 && f < D1)) {
                    b.range(0.0, 1.0);
                } else {
                    b.range(0.0, null);
                }
            }
            return b.categorical(DEVICE, "E1: device with most events in the window (tie: ip); null when unknown")
                    .build();
        }

        private static String describe(int f) {
            if (f < A2) {
                return "A1: share of the window's plays in this play-time/song-length bucket (0 without plays)";
            }
            if (f == A2) {
                return "A2: plays >= 80% in the last 7 days over those in the window (0 when none)";
            }
            if (f == B1) {
                return "B1: total play time in the window (seconds, cleaned)";
            }
            if (f == B2) {
                return "B2: play time in the last 7 days over the window's (0 when none)";
            }
            if (f == B3) {
                return "B3: mean play time per play (0 without plays)";
            }
            if (f < C2) {
                return "C1: events of this type in the last N days of the window";
            }
            if (f < D1) {
                return "C2: events of this type in the last 7 days over those in the window (0 when none)";
            }
            return "D1: days from the last event of this type to the window end (window length when none)";
        }
    }

    /** {@code user_churn_labels}: whether a user active in a feature window churned in the label window. */
    public static final class UserChurnLabels {
        public static final String NAME = "user_churn_labels";
        public static final String UID = "uid";
        public static final String LABEL_TIME = "label_time";
        public static final String WINDOW_END = "window_end";
        public static final String WINDOW_END_DATE = "window_end_date";
        public static final String CHURN = "churn";
        public static final Contract CONTRACT = set(NAME)
                .key(UID, ColumnType.INT64, "music-box user id")
                .eventTimestamp(LABEL_TIME, "close of the label window: when the label became known")
                .value(WINDOW_END, ColumnType.TIMESTAMP, "close of the feature window this label belongs to").notNull()
                .categorical(WINDOW_END_DATE, "last day of the feature window, yyyy-MM-dd").notNull()
                .value(CHURN, ColumnType.INT32, "1: events in the feature window and none in the label window; "
                        + "0: events in both").notNull().range(0.0, 1.0)
                .build();

        private UserChurnLabels() {}
    }

    /** {@code user_song_ratings}: implicit ratings of one feature window, several rows per user. */
    public static final class UserSongRatings {
        public static final String NAME = "user_song_ratings";
        public static final String UID = "uid";
        public static final String WINDOW_END = "window_end";
        public static final String SONG_ID = "song_id";
        public static final String RATING = "rating";
        public static final String PLAYS = "plays";
        public static final String DOWNLOADED = "downloaded";
        public static final Contract CONTRACT = set(NAME)
                .key(UID, ColumnType.INT64, "music-box user id (several rows per user, one per song)")
                .eventTimestamp(WINDOW_END, "close of the feature window the ratings come from")
                .value(SONG_ID, ColumnType.UTF8, "song id as in the logs").notNull()
                .value(RATING, ColumnType.FLOAT64, "max(mean play score 1-5, download score 5 or 0), study 003 §6")
                .notNull().range(1.0, 5.0)
                .value(PLAYS, ColumnType.INT32, "cleaned plays of the song by the user in the window").notNull()
                .value(DOWNLOADED, ColumnType.BOOL, "whether the user downloaded the song in the window").notNull()
                .build();

        private UserSongRatings() {}
    }

    /** {@code user_factors}: implicit-ALS user factors from {@code user_song_ratings}. */
    public static final class UserFactors {
        public static final String NAME = "user_factors";
        public static final String UID = "uid";
        public static final String FACTORS = "factors";
        public static final Contract CONTRACT = set(NAME)
                .key(UID, ColumnType.INT64, "music-box user id")
                .embedding(FACTORS, "implicit-ALS user factors from user_song_ratings").notNull()
                .build();

        private UserFactors() {}
    }

    /** {@code song_factors}: implicit-ALS song factors from {@code user_song_ratings}. */
    public static final class SongFactors {
        public static final String NAME = "song_factors";
        public static final String SONG_ID = "song_id";
        public static final String FACTORS = "factors";
        public static final Contract CONTRACT = set(NAME)
                .key(SONG_ID, ColumnType.UTF8, "song id as in the logs")
                .embedding(FACTORS, "implicit-ALS song factors from user_song_ratings").notNull()
                .build();

        private SongFactors() {}
    }

    // ---- genre (dev.segue.genre) ----

    /** {@code track_genre_features}: audio features of the catalog, raw, z-scored and min-max scaled. */
    public static final class TrackGenreFeatures {
        public static final String NAME = "track_genre_features";
        public static final String TRACK_URI = "track_uri";
        public static final String AUDIO_ID = "audio_id";
        public static final String TITLE = "title";
        public static final String ARTIST = "artist";
        public static final String TOP_GENRE = "top_genre";
        public static final String BROAD_GENRE = "broad_genre";
        /** The numeric audio features, as named in the audio file's header. */
        public static final List<String> NUMERIC = List.of("year", "bpm", "nrgy", "dnce", "dB", "live", "val",
                "dur", "acous", "spch", "pop");
        public static final Contract CONTRACT = genre();

        private TrackGenreFeatures() {}

        /** The z-score column of a numeric feature. */
        public static String z(String column) {
            return "z_" + column;
        }

        /** The min-max scaled column of a numeric feature. */
        public static String minMax(String column) {
            return "mm_" + column;
        }

        private static Contract genre() {
            Builder b = set(NAME)
                    .key(TRACK_URI, ColumnType.UTF8, "catalog track URI (spotify:track: + the audio file's Id)")
                    .value(AUDIO_ID, ColumnType.UTF8, "Id as in the audio file").notNull()
                    .value(TITLE, ColumnType.UTF8, "title")
                    .value(ARTIST, ColumnType.UTF8, "artist");
            for (String c : NUMERIC) {
                b.value(c, ColumnType.FLOAT64, "raw audio feature " + c).notNull();
            }
            for (String c : NUMERIC) {
                b.value(z(c), ColumnType.FLOAT64, "z-score of " + c + " (mean and std in the manifest)").notNull();
            }
            for (String c : NUMERIC) {
                b.value(minMax(c), ColumnType.FLOAT64, "min-max scaling of " + c + " to [0, 1] (min and max in the manifest)")
                        .notNull().range(0.0, 1.0);
            }
            // the broad genre's description names GenreCondensation's version, so the pipeline completes it
            return b.categorical(TOP_GENRE, "fine genre label ('top genre'); null when missing")
                    .categorical(BROAD_GENRE, "broad genre; null when the label is missing")
                    .build();
        }
    }

    private FeatureSetContracts() {}

    /** Every registered set by name, in the order above. */
    public static Map<String, Contract> all() {
        return All.SETS;
    }

    /** The registered set, or an exception naming the unknown set and the registered ones. */
    public static Contract get(String name) {
        Contract c = All.SETS.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no feature set '" + name + "' in the registry (registered: "
                    + String.join(", ", All.SETS.keySet()) + ")");
        }
        return c;
    }

    /** A holder, so that the nested classes' initialisation never waits on this map (no class-init cycle). */
    private static final class All {
        static final Map<String, Contract> SETS = all(Tracks.CONTRACT, TrackStats.CONTRACT, TrackFactors.CONTRACT,
                PlaylistFactors.CONTRACT, TitleEmbeddings.CONTRACT, TitleTracks.CONTRACT, TrackNeighbours.CONTRACT,
                RankerExamples.CONTRACT,
                UserChurnFeatures.CONTRACT,
                UserChurnLabels.CONTRACT, UserSongRatings.CONTRACT, UserFactors.CONTRACT, SongFactors.CONTRACT,
                TrackGenreFeatures.CONTRACT);
    }

    private static Map<String, Contract> all(Contract... contracts) {
        Map<String, Contract> m = new LinkedHashMap<>();
        for (Contract c : contracts) {
            if (m.put(c.name(), c) != null) {
                throw new IllegalStateException("feature set '" + c.name() + "' registered twice");
            }
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Builder set(String name) {
        return new Builder(name);
    }

    /** Declares columns in storage order; notNull() and range() apply to the column declared last. */
    private static final class Builder {
        private final String name;
        private final List<Column> columns = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        Builder key(String column, ColumnType type, String description) {
            return add(new Column(column, type, Role.ENTITY_KEY, 0, false, true, null, null, description));
        }

        Builder eventTimestamp(String column, String description) {
            return add(new Column(column, ColumnType.TIMESTAMP, Role.EVENT_TIMESTAMP, 0, false, true, null, null,
                    description));
        }

        Builder value(String column, ColumnType type, String description) {
            return add(new Column(column, type, Role.VALUE, 0, false, false, null, null, description));
        }

        Builder categorical(String column, String description) {
            return add(new Column(column, ColumnType.UTF8, Role.VALUE, 0, true, false, null, null, description));
        }

        /** An embedding whose width the writing run chooses (the model's factors). */
        Builder embedding(String column, String description) {
            return add(new Column(column, ColumnType.EMBEDDING, Role.VALUE, 0, false, false, null, null, description));
        }

        Builder notNull() {
            Column c = last();
            return replace(new Column(c.name(), c.type(), c.role(), c.dim(), c.categorical(), true, c.min(), c.max(),
                    c.description()));
        }

        Builder range(Double min, Double max) {
            Column c = last();
            return replace(new Column(c.name(), c.type(), c.role(), c.dim(), c.categorical(), c.notNull(), min, max,
                    c.description()));
        }

        Contract build() {
            return new Contract(name, columns);
        }

        private Builder add(Column c) {
            columns.add(c);
            return this;
        }

        private Column last() {
            return columns.get(columns.size() - 1);
        }

        private Builder replace(Column c) {
            columns.set(columns.size() - 1, c);
            return this;
        }
    }
}
