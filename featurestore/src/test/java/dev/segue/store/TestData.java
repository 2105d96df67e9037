package dev.segue.store;

import java.time.Instant;
import java.util.SplittableRandom;

/** Small generated feature sets shared by the tests. */
final class TestData {
    static final int DIM = 8;

    private TestData() {
    }

    static FeatureSetSchema trackFactors() {
        return FeatureSetSchema.builder("track_factors")
                .entityKey("track_id", FeatureType.INT32)
                .column("track_uri", FeatureType.UTF8, "Spotify URI")
                .categorical("device", "device family")
                .column("popularity", FeatureType.INT64, "play count")
                .column("score", FeatureType.FLOAT32, "model score")
                .column("weight", FeatureType.FLOAT64, "sample weight")
                .column("explicit", FeatureType.BOOL, "explicit lyrics")
                .column("released", FeatureType.TIMESTAMP, "release time")
                .embedding("factors", DIM, "ALS item factors")
                .build();
    }

    /** Rows with keys [from, from+n) in a shuffled order, deterministic in the seed. */
    static Batch trackBatch(int from, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = from + i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        String[] uris = new String[n];
        String[] device = new String[n];
        long[] pop = new long[n];
        float[] score = new float[n];
        double[] weight = new double[n];
        boolean[] weightValid = new boolean[n];
        boolean[] explicit = new boolean[n];
        long[] released = new long[n];
        float[] f = new float[n * DIM];
        String[] devices = {"mobile", "desktop", "tv"};
        for (int i = 0; i < n; i++) {
            int id = ids[i];
            uris[i] = id % 7 == 3 ? null : "spotify:track:" + id;
            device[i] = devices[id % 3];
            pop[i] = id * 10L;
            score[i] = id * 0.5f;
            weight[i] = id / 4.0;
            weightValid[i] = id % 5 != 0;
            explicit[i] = id % 2 == 0;
            released[i] = Micros.of(Instant.parse("2020-01-01T00:00:00Z")) + id * 1_000_000L;
            for (int d = 0; d < DIM; d++) {
                f[i * DIM + d] = id + d / 10f;
            }
        }
        return Batch.builder(n).ints("track_id", ids).strings("track_uri", uris).strings("device", device)
                .longs("popularity", pop).floats("score", score).doubles("weight", weight, weightValid)
                .bools("explicit", explicit).timestamps("released", released).embeddings("factors", f).build();
    }
}
