package dev.segue.ranking;

import dev.segue.format.FeatureSetContracts;
import dev.segue.format.FeatureSetContracts.Column;
import dev.segue.format.FeatureSetContracts.Contract;
import dev.segue.format.FeatureSetContracts.TitleTracks;
import dev.segue.format.FeatureSetContracts.TrackFactors;
import dev.segue.format.FeatureSetContracts.TrackNeighbours;
import dev.segue.format.FeatureSetContracts.TrackStats;
import dev.segue.format.FeatureSetContracts.Tracks;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.WriteOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-made store of ten tracks written by one run (snapshot), small enough to check every candidate by hand.
 *
 * <pre>
 * track  artist album playlists   factors (dim 2)
 *   0      A     a1     100        (1, 0)
 *   1      A     a1      90        (0.9, 0.1)
 *   2      A     a2      80        (0.8, 0.2)
 *   3      A     a2      70        (0, 1)
 *   4      B     b1      60        ...  t=4..9: (0.1·t, 1 - 0.1·t)
 *   5      B     b1      50
 *   6..9   C     c1      40..10
 * title_tracks: "chill" (10 playlists) → 7 ×5, 8 ×3, 0 ×2;  "workout" (4) → 2 ×4
 * track_neighbours: 0 → 5 (0.5), 6 (0.2);  1 → 6 (0.9), 0 (0.3);  6 → 7 (0.4)
 * </pre>
 */
final class TinyWorld {
    static final int TRACKS = 10;
    static final String[] ARTISTS = {"A", "A", "A", "A", "B", "B", "C", "C", "C", "C"};
    static final String[] ALBUMS = {"a1", "a1", "a2", "a2", "b1", "b1", "c1", "c1", "c1", "c1"};
    static final float[] FACTORS = factors();

    private TinyWorld() {}

    static String uri(int t) {
        return "spotify:track:t" + t;
    }

    private static float[] factors() {
        float[] f = new float[TRACKS * 2];
        float[][] first = {{1, 0}, {0.9f, 0.1f}, {0.8f, 0.2f}, {0, 1}};
        for (int t = 0; t < TRACKS; t++) {
            f[2 * t] = t < 4 ? first[t][0] : 0.1f * t;
            f[2 * t + 1] = t < 4 ? first[t][1] : 1 - 0.1f * t;
        }
        return f;
    }

    /** Factors addressed by track id (rows are in id order here). */
    static FactorAccess factorAccess() {
        int[] rows = new int[TRACKS];
        for (int t = 0; t < TRACKS; t++) {
            rows[t] = t;
        }
        return FactorAccess.ofMatrix(FACTORS, 2, rows);
    }

    /**
     * Writes the world into {@code root} as one run; returns the {@code track_factors} version.
     *
     * @param withOptional false: only track_stats and track_factors (the optional sources are off)
     */
    static String write(Path root, boolean withOptional) {
        FeatureStore store = FeatureStore.open(root);
        String run = FeatureStore.newRun();
        int[] ids = new int[TRACKS];
        String[] uris = new String[TRACKS];
        long[] playlists = new long[TRACKS];
        long[] occurrences = new long[TRACKS];
        int[] ranks = new int[TRACKS];
        double[] positions = new double[TRACKS];
        String[] artistUris = new String[TRACKS];
        String[] albumUris = new String[TRACKS];
        for (int t = 0; t < TRACKS; t++) {
            ids[t] = t;
            uris[t] = uri(t);
            playlists[t] = 100 - 10L * t;
            occurrences[t] = playlists[t];
            ranks[t] = t;
            positions[t] = 0.5;
            artistUris[t] = "spotify:artist:" + ARTISTS[t];
            albumUris[t] = "spotify:album:" + ALBUMS[t];
        }
        List<String> sets = new ArrayList<>();
        write(store, run, TrackStats.CONTRACT, 0, Batch.builder(TRACKS).ints(TrackStats.TRACK_ID, ids)
                .strings(TrackStats.TRACK_URI, uris).longs(TrackStats.OCCURRENCES, occurrences)
                .longs(TrackStats.PLAYLISTS, playlists).ints(TrackStats.POPULARITY_RANK, ranks)
                .doubles(TrackStats.MEAN_RELATIVE_POSITION, positions).build(), sets);
        write(store, run, TrackFactors.CONTRACT, 2, Batch.builder(TRACKS).ints(TrackFactors.TRACK_ID, ids)
                .strings(TrackFactors.TRACK_URI, uris).strings(TrackFactors.ARTIST_URI, artistUris)
                .embeddings(TrackFactors.FACTORS, FACTORS).build(), sets);
        if (withOptional) {
            String[] names = new String[TRACKS];
            long[] durations = new long[TRACKS];
            for (int t = 0; t < TRACKS; t++) {
                names[t] = "track " + t;
                durations[t] = 200_000;
            }
            write(store, run, Tracks.CONTRACT, 0, Batch.builder(TRACKS).ints(Tracks.TRACK_ID, ids)
                    .strings(Tracks.TRACK_URI, uris).strings(Tracks.TRACK_NAME, names)
                    .strings(Tracks.ARTIST_URI, artistUris).strings(Tracks.ARTIST_NAME, ARTISTS)
                    .strings(Tracks.ALBUM_URI, albumUris).strings(Tracks.ALBUM_NAME, ALBUMS)
                    .longs(Tracks.DURATION_MS, durations).build(), sets);
            String[] titles = {"chill", "chill", "chill", "workout"};
            int[] titleTracks = {7, 8, 0, 2};
            long[] counts = {5, 3, 2, 4};
            long[] titleCounts = {10, 10, 10, 4};
            String[] keys = new String[titles.length];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = titles[i] + "#" + titleTracks[i];
            }
            write(store, run, TitleTracks.CONTRACT, 0, Batch.builder(titles.length).strings(TitleTracks.ID, keys)
                    .strings(TitleTracks.TITLE, titles).ints(TitleTracks.TRACK_ID, titleTracks)
                    .longs(TitleTracks.COUNT, counts).longs(TitleTracks.TITLE_COUNT, titleCounts).build(), sets);
            int[] from = {0, 0, 1, 1, 6};
            int[] to = {5, 6, 6, 0, 7};
            int[] rank = {0, 1, 0, 1, 0};
            long[] both = {25, 10, 40, 20, 8};
            float[] score = {0.5f, 0.2f, 0.9f, 0.3f, 0.4f};
            long[] key = new long[from.length];
            for (int i = 0; i < key.length; i++) {
                key[i] = ((long) from[i] << 32) + to[i];
            }
            write(store, run, TrackNeighbours.CONTRACT, 0, Batch.builder(from.length).longs(TrackNeighbours.ID, key)
                    .ints(TrackNeighbours.TRACK_ID, from).ints(TrackNeighbours.NEIGHBOUR_ID, to)
                    .ints(TrackNeighbours.RANK, rank).longs(TrackNeighbours.COUNT, both)
                    .floats(TrackNeighbours.SCORE, score).build(), sets);
        }
        store.commitRun(run, "ranking-test", sets);
        return store.latest(TrackFactors.NAME).version();
    }

    private static void write(FeatureStore store, String run, Contract contract, int dim, Batch batch,
                              List<String> sets) {
        try (FeatureSetWriter w = store.writer(schema(contract, dim), WriteOptions.producer("ranking-test").run(run))) {
            w.append(batch);
            w.commit();
        }
        sets.add(contract.name());
    }

    /**
     * The store schema of a registry contract. The pipelines' {@code ContractSchemas} does this in production; it
     * lives in the Beam module, which this module must not depend on, so the test keeps this minimal copy.
     */
    static FeatureSetSchema schema(Contract contract, int dim) {
        FeatureSetSchema.Builder b = FeatureSetSchema.builder(contract.name());
        for (Column c : contract.columns()) {
            FeatureType type = FeatureType.valueOf(c.type().name());
            switch (c.role()) {
                case ENTITY_KEY -> b.entityKey(c.name(), type, c.description());
                case EVENT_TIMESTAMP -> b.eventTimestamp(c.name(), c.description());
                case VALUE -> {
                    if (c.categorical()) {
                        b.categorical(c.name(), c.description());
                    } else if (type == FeatureType.EMBEDDING) {
                        b.embedding(c.name(), c.dim() > 0 ? c.dim() : dim, c.description());
                    } else {
                        b.column(c.name(), type, c.description());
                    }
                    if (c.notNull()) {
                        b.notNull(c.name());
                    }
                    if (c.min() != null || c.max() != null) {
                        b.range(c.name(), c.min(), c.max());
                    }
                }
            }
        }
        return b.build();
    }

    static FeatureSetContracts.Contract contract(String name) {
        return FeatureSetContracts.get(name);
    }
}
