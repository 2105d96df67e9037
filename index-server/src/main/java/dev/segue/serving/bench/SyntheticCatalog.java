package dev.segue.serving.bench;

import dev.segue.als.WrmfParams;
import dev.segue.format.FeatureSetContracts.TitleEmbeddings;
import dev.segue.format.FeatureSetContracts.TrackFactors;
import dev.segue.format.FeatureSetContracts.TrackStats;
import dev.segue.serving.index.FactorMatrix;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.WriteOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A clustered synthetic stand-in for ALS output, for benchmarks and tests when no pipeline output is at
 * hand: tracks belong to artists, artists to "genre" clusters; a track's factor is its cluster's unit
 * centre plus noise, scaled by a log-normal popularity (ALS gives popular tracks longer vectors). Titles
 * are one token per cluster ({@code g<c>}) and one exact title per cluster ({@code g<c> mix}).
 * Deterministic for a seed.
 */
public final class SyntheticCatalog {
    public static final WrmfParams PARAMS = new WrmfParams(40.0, 0.1, 3, false, 1.0);

    private final int n;
    private final int dim;
    private final int clusters;
    private final float[] factors;
    private final float[] centres;
    private final int[] clusterOfTrack;
    private final int[] artistOfTrack;
    private final int[] popularityRank;

    public SyntheticCatalog(int n, int dim, int clusters, long seed) {
        if (n < 1 || dim < 1 || clusters < 1) {
            throw new IllegalArgumentException("need n, dim, clusters >= 1, got " + n + ", " + dim + ", " + clusters);
        }
        this.n = n;
        this.dim = dim;
        this.clusters = clusters;
        SplittableRandom random = new SplittableRandom(seed);
        centres = new float[clusters * dim];
        for (int c = 0; c < clusters; c++) {
            double norm = 0;
            for (int a = 0; a < dim; a++) {
                double g = gaussian(random);
                centres[c * dim + a] = (float) g;
                norm += g * g;
            }
            norm = Math.sqrt(norm);
            for (int a = 0; a < dim; a++) {
                centres[c * dim + a] /= (float) norm;
            }
        }
        int artists = Math.max(1, n / 8);
        int[] clusterOfArtist = new int[artists];
        for (int a = 0; a < artists; a++) {
            clusterOfArtist[a] = random.nextInt(clusters);
        }
        factors = new float[n * dim];
        clusterOfTrack = new int[n];
        artistOfTrack = new int[n];
        double[] scale = new double[n];
        double noise = 0.6 / Math.sqrt(dim);
        for (int t = 0; t < n; t++) {
            int artist = random.nextInt(artists);
            int c = clusterOfArtist[artist];
            artistOfTrack[t] = artist;
            clusterOfTrack[t] = c;
            scale[t] = Math.exp(0.5 * gaussian(random));
            for (int a = 0; a < dim; a++) {
                factors[t * dim + a] = (float) (scale[t] * (centres[c * dim + a] + noise * gaussian(random)));
            }
        }
        Integer[] order = new Integer[n];
        for (int t = 0; t < n; t++) {
            order[t] = t;
        }
        Arrays.sort(order, (x, y) -> Double.compare(scale[y], scale[x]));
        popularityRank = new int[n];
        for (int r = 0; r < n; r++) {
            popularityRank[order[r]] = r;
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    public int size() {
        return n;
    }

    public int dim() {
        return dim;
    }

    public int clusters() {
        return clusters;
    }

    public FactorMatrix factors() {
        return new FactorMatrix(factors, n, dim);
    }

    public int clusterOf(int track) {
        return clusterOfTrack[track];
    }

    public static String trackUri(int t) {
        return "spotify:track:syn" + t;
    }

    public static String artistUri(int a) {
        return "spotify:artist:syn" + a;
    }

    public String artistUriOf(int t) {
        return artistUri(artistOfTrack[t]);
    }

    public static String clusterTitle(int c) {
        return "g" + c + " mix";
    }

    /** A query vector like a playlist's: a cluster centre with noise, at a typical user-vector length. */
    public float[] query(SplittableRandom random) {
        int c = random.nextInt(clusters);
        float[] q = new float[dim];
        double noise = 0.4 / Math.sqrt(dim);
        for (int a = 0; a < dim; a++) {
            q[a] = (float) (centres[c * dim + a] + noise * gaussian(random));
        }
        return q;
    }

    /** {@code count} random tracks of one random cluster (a coherent playlist). */
    public int[] playlist(SplittableRandom random, int count) {
        int c = random.nextInt(clusters);
        int[] out = new int[count];
        int found = 0;
        for (int tries = 0; found < count && tries < 1000 * count; tries++) {
            int t = random.nextInt(n);
            if (clusterOfTrack[t] == c) {
                out[found++] = t;
            }
        }
        return Arrays.copyOf(out, found);
    }

    /**
     * Writes {@code track_factors}, {@code track_stats} and {@code title_embeddings} into a store, the
     * titles tagged with the factor version they belong to.
     *
     * @return the committed {@code track_factors} version
     */
    public String writeTo(Path storeRoot) {
        return writeTo(storeRoot, null);
    }

    /**
     * As {@link #writeTo(Path)}, as one store run: the three sets carry {@code run} and titles record the factor
     * version as their input; the caller writes the snapshot ({@code FeatureStore.commitRun}) or, to simulate a
     * crash, does not. A null run writes plain versions.
     */
    public String writeTo(Path storeRoot, String run) {
        FeatureStore store = FeatureStore.open(storeRoot);
        int[] ids = new int[n];
        String[] uris = new String[n];
        String[] artists = new String[n];
        long[] occurrences = new long[n];
        for (int t = 0; t < n; t++) {
            ids[t] = t;
            uris[t] = trackUri(t);
            artists[t] = artistUriOf(t);
            occurrences[t] = Math.max(1, 1_000_000L / (1 + popularityRank[t]));
        }
        FeatureSetSchema factorSchema = FeatureSetSchema.builder(TrackFactors.NAME)
                .entityKey(TrackFactors.TRACK_ID, FeatureType.INT32)
                .column(TrackFactors.TRACK_URI, FeatureType.UTF8, "track URI")
                .column(TrackFactors.ARTIST_URI, FeatureType.UTF8, "artist URI")
                .embedding(TrackFactors.FACTORS, dim, "synthetic clustered factors")
                .build();
        WriteOptions factorOptions = tagged(WriteOptions.producer("segue-synthetic"), run).params(PARAMS.toParameters())
                .params(Map.of("factors", Integer.toString(dim), "iterations", "0", "seed", "0",
                        "final_loss", "0", "loss_history", "0"));
        String version;
        try (FeatureSetWriter w = store.writer(factorSchema, factorOptions)) {
            w.append(Batch.builder(n).ints(TrackFactors.TRACK_ID, ids).strings(TrackFactors.TRACK_URI, uris)
                    .strings(TrackFactors.ARTIST_URI, artists).embeddings(TrackFactors.FACTORS, factors).build());
            version = w.commit();
        }
        FeatureSetSchema statsSchema = FeatureSetSchema.builder(TrackStats.NAME)
                .entityKey(TrackStats.TRACK_ID, FeatureType.INT32)
                .column(TrackStats.TRACK_URI, FeatureType.UTF8, "track URI")
                .column(TrackStats.OCCURRENCES, FeatureType.INT64, "playlist entries")
                .column(TrackStats.PLAYLISTS, FeatureType.INT64, "playlists containing the track")
                .column(TrackStats.POPULARITY_RANK, FeatureType.INT32, "0 = most popular")
                .column(TrackStats.MEAN_RELATIVE_POSITION, FeatureType.FLOAT64, "pos/(len-1)")
                .build();
        double[] position = new double[n];
        Arrays.fill(position, 0.5);
        try (FeatureSetWriter w = store.writer(statsSchema, tagged(WriteOptions.producer("segue-synthetic"), run))) {
            w.append(Batch.builder(n).ints(TrackStats.TRACK_ID, ids).strings(TrackStats.TRACK_URI, uris)
                    .longs(TrackStats.OCCURRENCES, occurrences).longs(TrackStats.PLAYLISTS, occurrences.clone())
                    .ints(TrackStats.POPULARITY_RANK,
                    popularityRank.clone()).doubles(TrackStats.MEAN_RELATIVE_POSITION, position)
                    .build());
            w.commit();
        }
        writeTitles(store, version, run);
        return version;
    }

    private static WriteOptions tagged(WriteOptions o, String run) {
        return run == null ? o : o.run(run);
    }

    private void writeTitles(FeatureStore store, String factorsVersion, String run) {
        int rows = 2 * clusters;
        String[] keys = new String[rows];
        String[] kinds = new String[rows];
        long[] counts = new long[rows];
        float[] vectors = new float[rows * dim];
        for (int c = 0; c < clusters; c++) {
            keys[2 * c] = "g" + c;
            kinds[2 * c] = TitleEmbeddings.KIND_TOKEN;
            counts[2 * c] = 100;
            keys[2 * c + 1] = clusterTitle(c);
            kinds[2 * c + 1] = TitleEmbeddings.KIND_TITLE;
            counts[2 * c + 1] = 50;
            for (int a = 0; a < dim; a++) {
                vectors[2 * c * dim + a] = centres[c * dim + a];
                vectors[(2 * c + 1) * dim + a] = centres[c * dim + a];
            }
        }
        FeatureSetSchema schema = FeatureSetSchema.builder(TitleEmbeddings.NAME)
                .entityKey(TitleEmbeddings.KEY, FeatureType.UTF8)
                .column(TitleEmbeddings.KIND, FeatureType.UTF8, "title | token")
                .column(TitleEmbeddings.COUNT, FeatureType.INT64, "playlists with it")
                .embedding(TitleEmbeddings.VECTOR, dim, "vector in the track-factor space")
                .build();
        WriteOptions options = tagged(WriteOptions.producer("segue-synthetic"), run)
                .param("method", "cluster-centres").param("dim", Integer.toString(dim));
        if (run == null) {
            options.param("track_factors_version", factorsVersion);
        } else {
            options.input(TrackFactors.NAME, factorsVersion);
        }
        try (FeatureSetWriter w = store.writer(schema, options)) {
            w.append(Batch.builder(rows).strings(TitleEmbeddings.KEY, keys).strings(TitleEmbeddings.KIND,
                    kinds).longs(TitleEmbeddings.COUNT, counts)
                    .embeddings(TitleEmbeddings.VECTOR, vectors).build());
            w.commit();
        }
    }
}
