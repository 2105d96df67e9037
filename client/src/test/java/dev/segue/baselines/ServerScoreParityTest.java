package dev.segue.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segue.als.WrmfParams;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.Candidates;
import dev.segue.serving.index.ExactScan;
import dev.segue.serving.index.FactorMatrix;
import dev.segue.serving.index.RowFilter;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.WriteOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * als-exact is documented as what the server approximates, so its scores must be the server's: on random
 * 64-d factors and queries every baseline score equals the server's {@link FactorMatrix#dot} bit for bit (the
 * sequential sum als-exact used before differed in the last bits for about 83% of such scores), and its exact
 * top k is the server's {@link ExactScan}, ties included.
 */
class ServerScoreParityTest {
    @TempDir
    Path dir;

    static final int ROWS = 2000;
    static final int DIM = 64;

    @Test
    void baselineScoresAndRankingAreTheServersBitForBit() {
        SplittableRandom r = new SplittableRandom(18);
        float[] factors = new float[ROWS * DIM];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = (float) r.nextGaussian();
        }
        // rows 1000..1009 repeat row 999: exact ties, which both sides must order by row
        for (int row = 1000; row < 1010; row++) {
            System.arraycopy(factors, 999 * DIM, factors, row * DIM, DIM);
        }
        FeatureStore store = FeatureStore.open(dir);
        FeatureSetSchema schema = FeatureSetSchema.builder("track_factors")
                .entityKey("track_id", FeatureType.INT32).column("track_uri", FeatureType.UTF8, "uri")
                .column("artist_uri", FeatureType.UTF8, "artist").embedding("factors", DIM, "ALS").build();
        String[] uris = IntStream.range(0, ROWS).mapToObj(i -> "spotify:track:t" + i).toArray(String[]::new);
        String[] artists = IntStream.range(0, ROWS).mapToObj(i -> "a" + i % 7).toArray(String[]::new);
        try (FeatureSetWriter w = store.writer(schema, WriteOptions.producer("test")
                .params(new WrmfParams(2.0, 0.1, 3, false, 1.0).toParameters()))) {
            w.append(Batch.builder(ROWS).ints("track_id", IntStream.range(0, ROWS).toArray()).strings("track_uri", uris)
                    .strings("artist_uri", artists).embeddings("factors", factors).build());
            w.commit();
        }
        ExactFoldIn baseline = new ExactFoldIn(store, 5.0);
        FactorMatrix server = new FactorMatrix(factors.clone(), ROWS, DIM);
        ExactScan scan = new ExactScan(server);
        int differingFromSequential = 0;
        for (int t = 0; t < 50; t++) {
            float[] q = new float[DIM];
            for (int i = 0; i < DIM; i++) {
                q[i] = (float) r.nextGaussian();
            }
            for (int row = 0; row < ROWS; row++) {
                float expected = server.dot(row, q);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(baseline.dot(q, row)),
                        "row " + row + " of query " + t);
                if (sequential(factors, row, q) != expected) {
                    differingFromSequential++;
                }
            }
            if (t == 0) {
                q = server.row(999); // its best matches are rows 999..1009, all with the same score
            }
            int k = 100;
            Candidates c = scan.search(q, k, RowFilter.ALL, Cancellation.NEVER);
            assertArrayEquals(Arrays.copyOf(c.ids(), c.size()), baseline.topK(q, k, new int[ROWS], 1), "query " + t);
        }
        // the test would catch a return to a different summation order: most scores change in the last bits
        assertEquals(true, differingFromSequential > 50 * ROWS / 2, differingFromSequential + " differ");
    }

    private static float sequential(float[] factors, int row, float[] q) {
        float s = 0;
        for (int a = 0; a < DIM; a++) {
            s += q[a] * factors[row * DIM + a];
        }
        return s;
    }
}
