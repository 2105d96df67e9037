package dev.segue.pipelines.continuation;

import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureType;
import dev.segue.titles.beam.TitleRows;
import dev.segue.titles.beam.TitleTrackRows;
import dev.segue.vocab.TrackRows;

/** The feature sets the continuation pipeline writes (names and columns per the contracts) and their rows. */
public final class FeatureSets {
    public static final String TRACKS = "tracks";
    public static final String TRACK_STATS = "track_stats";
    public static final String TRACK_FACTORS = "track_factors";
    public static final String PLAYLIST_FACTORS = "playlist_factors";
    public static final String TITLE_EMBEDDINGS = "title_embeddings";
    public static final String TITLE_TRACKS = "title_tracks";

    private FeatureSets() {}

    public static FeatureSetSchema tracks() {
        return FeatureSetSchema.builder(TRACKS)
                .entityKey("track_id", FeatureType.INT32, "dense id: 0 = most occurrences, ties by URI")
                .column("track_uri", FeatureType.UTF8, "Spotify track URI")
                .column("track_name", FeatureType.UTF8, "track name")
                .column("artist_uri", FeatureType.UTF8, "artist URI")
                .column("artist_name", FeatureType.UTF8, "artist name")
                .column("album_uri", FeatureType.UTF8, "album URI")
                .column("album_name", FeatureType.UTF8, "album name")
                .column("duration_ms", FeatureType.INT64, "duration in milliseconds")
                .notNull("track_uri", "artist_uri", "album_uri")
                .build();
    }

    public static FeatureSetSchema trackStats() {
        return FeatureSetSchema.builder(TRACK_STATS)
                .entityKey("track_id", FeatureType.INT32, "dense track id")
                .column("track_uri", FeatureType.UTF8, "Spotify track URI")
                .column("occurrences", FeatureType.INT64, "entries in all playlists (repeats counted)")
                .column("playlists", FeatureType.INT64, "playlists containing the track")
                .column("popularity_rank", FeatureType.INT32, "0 = most popular")
                .column("mean_relative_position", FeatureType.FLOAT64, "mean of index/(length-1), 0 = first")
                .notNull("track_uri", "occurrences", "playlists", "popularity_rank", "mean_relative_position")
                .range("occurrences", 1.0, null)
                .range("mean_relative_position", 0.0, 1.0)
                .build();
    }

    public static FeatureSetSchema trackFactors(int dim) {
        return FeatureSetSchema.builder(TRACK_FACTORS)
                .entityKey("track_id", FeatureType.INT32, "dense track id")
                .column("track_uri", FeatureType.UTF8, "Spotify track URI")
                .column("artist_uri", FeatureType.UTF8, "artist URI")
                .embedding("factors", dim, "implicit-ALS item factors")
                .notNull("track_uri", "factors")
                .build();
    }

    public static FeatureSetSchema playlistFactors(int dim) {
        return FeatureSetSchema.builder(PLAYLIST_FACTORS)
                .entityKey("pid", FeatureType.INT64, "MPD playlist id")
                .embedding("factors", dim, "implicit-ALS playlist (user) factors")
                .notNull("factors")
                .build();
    }

    public static FeatureSetSchema titleEmbeddings(int dim) {
        return FeatureSetSchema.builder(TITLE_EMBEDDINGS)
                .entityKey("id", FeatureType.UTF8, "kind:key, unique (a one-word title and its token share the key)")
                .column("key", FeatureType.UTF8, "normalized title (kind=title) or token (kind=token)")
                .categorical("kind", "title | token")
                .column("count", FeatureType.INT64, "playlists with the title or token")
                .embedding("vector", dim, "query vector in the track-factor space")
                .notNull("key", "kind", "count", "vector")
                .build();
    }

    public static FeatureSetSchema titleTracks() {
        return FeatureSetSchema.builder(TITLE_TRACKS)
                .entityKey("id", FeatureType.UTF8, "title#track_id, unique")
                .column("title", FeatureType.UTF8, "normalized title")
                .column("track_id", FeatureType.INT32, "dense track id (track_stats)")
                .column("count", FeatureType.INT64, "playlists with the title holding the track")
                .column("title_count", FeatureType.INT64, "playlists with the title")
                .notNull("title", "track_id", "count", "title_count")
                .range("count", 1.0, null)
                .build();
    }

    static Batch titleTracksBatch(TitleTrackRows r) {
        int n = r.pairs();
        String[] ids = new String[n];
        String[] titles = new String[n];
        long[] titleCounts = new long[n];
        for (int t = 0; t < r.titleCount(); t++) {
            for (int i = r.start()[t]; i < r.start()[t + 1]; i++) {
                titles[i] = r.titles()[t];
                titleCounts[i] = r.titlePlaylists()[t];
                ids[i] = titles[i] + '#' + r.trackIds()[i];
            }
        }
        return Batch.builder(n)
                .strings("id", ids)
                .strings("title", titles)
                .ints("track_id", r.trackIds())
                .longs("count", r.counts())
                .longs("title_count", titleCounts)
                .build();
    }

    static Batch tracksBatch(TrackRows r) {
        return Batch.builder(r.size())
                .ints("track_id", r.ids())
                .strings("track_uri", r.uri())
                .strings("track_name", r.trackName())
                .strings("artist_uri", r.artistUri())
                .strings("artist_name", r.artistName())
                .strings("album_uri", r.albumUri())
                .strings("album_name", r.albumName())
                .longs("duration_ms", r.durationMs())
                .build();
    }

    static Batch trackStatsBatch(TrackRows r) {
        return Batch.builder(r.size())
                .ints("track_id", r.ids())
                .strings("track_uri", r.uri())
                .longs("occurrences", r.occurrences())
                .longs("playlists", r.playlists())
                .ints("popularity_rank", r.ids())
                .doubles("mean_relative_position", r.meanRelativePosition())
                .build();
    }

    static Batch titleBatch(TitleRows r) {
        String[] ids = new String[r.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.kinds()[i] + ':' + r.keys()[i];
        }
        return Batch.builder(r.size())
                .strings("id", ids)
                .strings("key", r.keys())
                .strings("kind", r.kinds())
                .longs("count", r.counts())
                .embeddings("vector", r.dim(), r.vectors(), null)
                .build();
    }
}
