package dev.segue.pipelines.continuation;

import dev.segue.format.FeatureSetContracts;
import dev.segue.format.FeatureSetContracts.PlaylistFactors;
import dev.segue.format.FeatureSetContracts.TitleEmbeddings;
import dev.segue.format.FeatureSetContracts.TitleTracks;
import dev.segue.format.FeatureSetContracts.TrackFactors;
import dev.segue.format.FeatureSetContracts.TrackNeighbours;
import dev.segue.format.FeatureSetContracts.TrackStats;
import dev.segue.format.FeatureSetContracts.Tracks;
import dev.segue.neighbours.NeighbourRows;
import dev.segue.pipelines.ContractSchemas;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.titles.beam.TitleRows;
import dev.segue.titles.beam.TitleTrackRows;
import dev.segue.vocab.TrackRows;

/**
 * The feature sets the continuation pipeline writes and their rows. Names, columns and checks are the
 * registry's ({@link FeatureSetContracts}); the name constants here are kept for the pipeline's callers.
 */
public final class FeatureSets {
    public static final String TRACKS = Tracks.NAME;
    public static final String TRACK_STATS = TrackStats.NAME;
    public static final String TRACK_FACTORS = TrackFactors.NAME;
    public static final String PLAYLIST_FACTORS = PlaylistFactors.NAME;
    public static final String TITLE_EMBEDDINGS = TitleEmbeddings.NAME;
    public static final String TITLE_TRACKS = TitleTracks.NAME;
    public static final String TRACK_NEIGHBOURS = TrackNeighbours.NAME;

    private FeatureSets() {}

    public static FeatureSetSchema tracks() {
        return ContractSchemas.schema(Tracks.CONTRACT);
    }

    public static FeatureSetSchema trackStats() {
        return ContractSchemas.schema(TrackStats.CONTRACT);
    }

    public static FeatureSetSchema trackFactors(int dim) {
        return ContractSchemas.schema(TrackFactors.CONTRACT, dim);
    }

    public static FeatureSetSchema playlistFactors(int dim) {
        return ContractSchemas.schema(PlaylistFactors.CONTRACT, dim);
    }

    public static FeatureSetSchema titleEmbeddings(int dim) {
        return ContractSchemas.schema(TitleEmbeddings.CONTRACT, dim);
    }

    public static FeatureSetSchema titleTracks() {
        return ContractSchemas.schema(TitleTracks.CONTRACT);
    }

    public static FeatureSetSchema trackNeighbours() {
        return ContractSchemas.schema(TrackNeighbours.CONTRACT);
    }

    static Batch trackNeighboursBatch(NeighbourRows r) {
        long[] ids = new long[r.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (long) r.trackIds()[i] << 32 | r.neighbourIds()[i];
        }
        return Batch.builder(r.size())
                .longs(TrackNeighbours.ID, ids)
                .ints(TrackNeighbours.TRACK_ID, r.trackIds())
                .ints(TrackNeighbours.NEIGHBOUR_ID, r.neighbourIds())
                .ints(TrackNeighbours.RANK, r.ranks())
                .longs(TrackNeighbours.COUNT, r.counts())
                .floats(TrackNeighbours.SCORE, r.scores())
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
                .strings(TitleTracks.ID, ids)
                .strings(TitleTracks.TITLE, titles)
                .ints(TitleTracks.TRACK_ID, r.trackIds())
                .longs(TitleTracks.COUNT, r.counts())
                .longs(TitleTracks.TITLE_COUNT, titleCounts)
                .build();
    }

    static Batch tracksBatch(TrackRows r) {
        return Batch.builder(r.size())
                .ints(Tracks.TRACK_ID, r.ids())
                .strings(Tracks.TRACK_URI, r.uri())
                .strings(Tracks.TRACK_NAME, r.trackName())
                .strings(Tracks.ARTIST_URI, r.artistUri())
                .strings(Tracks.ARTIST_NAME, r.artistName())
                .strings(Tracks.ALBUM_URI, r.albumUri())
                .strings(Tracks.ALBUM_NAME, r.albumName())
                .longs(Tracks.DURATION_MS, r.durationMs())
                .build();
    }

    static Batch trackStatsBatch(TrackRows r) {
        return Batch.builder(r.size())
                .ints(TrackStats.TRACK_ID, r.ids())
                .strings(TrackStats.TRACK_URI, r.uri())
                .longs(TrackStats.OCCURRENCES, r.occurrences())
                .longs(TrackStats.PLAYLISTS, r.playlists())
                .ints(TrackStats.POPULARITY_RANK, r.ids())
                .doubles(TrackStats.MEAN_RELATIVE_POSITION, r.meanRelativePosition())
                .build();
    }

    static Batch titleBatch(TitleRows r) {
        String[] ids = new String[r.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.kinds()[i] + ':' + r.keys()[i];
        }
        return Batch.builder(r.size())
                .strings(TitleEmbeddings.ID, ids)
                .strings(TitleEmbeddings.KEY, r.keys())
                .strings(TitleEmbeddings.KIND, r.kinds())
                .longs(TitleEmbeddings.COUNT, r.counts())
                .embeddings(TitleEmbeddings.VECTOR, r.dim(), r.vectors(), null)
                .build();
    }
}
