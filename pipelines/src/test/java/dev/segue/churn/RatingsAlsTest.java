package dev.segue.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.store.Batch;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.Manifest;
import dev.segue.store.Table;
import dev.segue.store.WriteOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The continuation pipeline's implicit ALS over {@code user_song_ratings} ({@link RatingsAls}). */
class RatingsAlsTest {
    @TempDir
    Path dir;

    static RatingsAlsOptions options(Path store, String... extra) {
        List<String> args = new ArrayList<>(List.of("--store=" + store, "--targetParallelism=2", "--enforceImmutability=false",
                "--enforceEncodability=false"));
        args.addAll(List.of(extra));
        return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(RatingsAlsOptions.class);
    }

    /** Factors of one side as uid/song id → vector. */
    static <K> Map<K, float[]> factors(Path store, String name, boolean longKeys) {
        try (FeatureSetReader r = FeatureStore.open(store).read(name)) {
            Table t = r.readAll(List.of());
            int d = t.dim(RatingsAls.FACTORS);
            float[] flat = t.embeddings(RatingsAls.FACTORS);
            Map<K, float[]> out = new HashMap<>();
            for (int i = 0; i < t.rows(); i++) {
                @SuppressWarnings("unchecked")
                K key = (K) (longKeys ? (Object) t.longs(ChurnSchemas.UID)[i] : t.strings(ChurnSchemas.SONG_ID)[i]);
                out.put(key, Arrays.copyOfRange(flat, i * d, (i + 1) * d));
            }
            return out;
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Share of (positive, negative) song pairs a user's scores rank right, ties half. */
    static double auc(double[] pos, double[] neg) {
        double right = 0;
        for (double p : pos) {
            for (double n : neg) {
                right += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return right / ((double) pos.length * neg.length);
    }

    @Test
    void factorisesTheRatingsOfThePipelineOutput() throws Exception {
        // the ratings of 300 tiny-log users (default plan: snapshot 2017-04-28), from the run the pipeline test shares
        Path store = DefaultPlanRun.get().store;
        RatingsAls.Result r = RatingsAls.run(options(store, "--ratingsFactors=16", "--ratingsIterations=3",
                "--ratingsBlockRows=64"));
        RatingsMatrix m = RatingsMatrix.read(FeatureStore.open(store));
        assertEquals(m.userIds().length, r.users());
        assertEquals(m.songIds().length, r.songs());
        assertTrue(r.users() > 64 && r.songs() > 64, "several blocks per side: " + r.summary());

        // the objective decreases every iteration
        double[] loss = r.lossHistory();
        assertEquals(3, loss.length);
        for (int i = 1; i < loss.length; i++) {
            assertTrue(loss[i] <= loss[i - 1], "loss rose at iteration " + (i + 1) + ": " + Arrays.toString(loss));
        }
        assertTrue(loss[loss.length - 1] < 0.9 * loss[0], Arrays.toString(loss));

        Manifest um = FeatureStore.open(store).latest(RatingsAls.USER_FACTORS);
        assertEquals(r.ratingsVersion(), um.parameters().get("ratings_version"));
        assertEquals("16", um.parameters().get("factors"));
        assertEquals(Double.toString(loss[loss.length - 1]), um.parameters().get("final_loss"));
        assertEquals(um.parameters(), FeatureStore.open(store).latest(RatingsAls.SONG_FACTORS).parameters());

        // every user and song has factors, and a user's own songs score above the songs they never rated
        Map<Long, float[]> users = factors(store, RatingsAls.USER_FACTORS, true);
        Map<String, float[]> songs = factors(store, RatingsAls.SONG_FACTORS, false);
        assertEquals(r.users(), users.size());
        assertEquals(r.songs(), songs.size());
        double sum = 0;
        for (int u = 0; u < m.userIds().length; u++) {
            float[] x = users.get(m.userIds()[u]);
            Set<Integer> own = new HashSet<>();
            for (int k = m.users().rowStart()[u]; k < m.users().rowStart()[u + 1]; k++) {
                own.add(m.users().cols()[k]);
            }
            double[] pos = new double[own.size()];
            double[] neg = new double[m.songIds().length - own.size()];
            int p = 0, n = 0;
            for (int s = 0; s < m.songIds().length; s++) {
                double score = dot(x, songs.get(m.songIds()[s]));
                if (own.contains(s)) {
                    pos[p++] = score;
                } else {
                    neg[n++] = score;
                }
            }
            sum += auc(pos, neg);
        }
        double meanAuc = sum / m.userIds().length;
        System.out.printf("tiny logs: loss %s, own songs vs unrated mean AUC %.4f%n", Arrays.toString(loss), meanAuc);
        assertTrue(meanAuc > 0.9, "own songs above unrated ones: mean AUC " + meanAuc);
    }

    @Test
    void heldOutRatingsRankAbovePopularity() {
        // 4 taste groups of 60 users, 4 clusters of 100 songs with a popularity skew inside each cluster;
        // a user rates ~25 songs, 90% from their cluster; 4 ratings per user are held out
        Random rnd = new Random(5);
        int groups = 4, perGroup = 60, clusterSongs = 100, songsTotal = groups * clusterSongs;
        List<long[]> train = new ArrayList<>();
        Map<Long, Set<Integer>> rated = new HashMap<>();
        Map<Long, List<Integer>> heldOut = new HashMap<>();
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < perGroup; i++) {
                long uid = 1000 + g * perGroup + i;
                Set<Integer> songs = new HashSet<>();
                while (songs.size() < 25) {
                    int cluster = rnd.nextDouble() < 0.9 ? g : rnd.nextInt(groups);
                    int within = (int) Math.min(clusterSongs - 1, Math.floor(-Math.log(rnd.nextDouble()) * 25));
                    songs.add(cluster * clusterSongs + within);
                }
                List<Integer> list = new ArrayList<>(songs);
                java.util.Collections.shuffle(list, rnd);
                rated.put(uid, songs);
                heldOut.put(uid, list.subList(0, 4));
                for (int s : list.subList(4, list.size())) {
                    train.add(new long[] {uid, s, 1 + rnd.nextInt(5)});
                }
            }
        }
        Path store = dir.resolve("planted");
        int n = train.size();
        long[] uid = new long[n];
        long[] stamp = new long[n];
        String[] song = new String[n];
        double[] rating = new double[n];
        int[] plays = new int[n];
        boolean[] downloaded = new boolean[n];
        int[] popularity = new int[songsTotal];
        for (int i = 0; i < n; i++) {
            uid[i] = train.get(i)[0];
            song[i] = String.format("s%03d", train.get(i)[1]);
            rating[i] = train.get(i)[2];
            plays[i] = 1;
            popularity[(int) train.get(i)[1]]++;
        }
        try (FeatureSetWriter w = FeatureStore.open(store).writer(ChurnSchemas.ratings(), WriteOptions.producer("test"))) {
            w.append(Batch.builder(n).longs(ChurnSchemas.UID, uid).timestamps(ChurnSchemas.WINDOW_END, stamp)
                    .strings(ChurnSchemas.SONG_ID, song).doubles(ChurnSchemas.RATING, rating)
                    .ints(ChurnSchemas.PLAYS, plays).bools(ChurnSchemas.DOWNLOADED, downloaded).build());
            w.commit();
        }
        RatingsAls.run(options(store, "--ratingsFactors=8", "--ratingsIterations=3", "--ratingsBlockRows=80"));
        Map<Long, float[]> users = factors(store, RatingsAls.USER_FACTORS, true);
        Map<String, float[]> songs = factors(store, RatingsAls.SONG_FACTORS, false);
        double als = 0, pop = 0;
        int counted = 0;
        for (Map.Entry<Long, List<Integer>> e : heldOut.entrySet()) {
            float[] x = users.get(e.getKey());
            List<Double> posAls = new ArrayList<>(), negAls = new ArrayList<>();
            List<Double> posPop = new ArrayList<>(), negPop = new ArrayList<>();
            for (int s = 0; s < songsTotal; s++) {
                float[] y = songs.get(String.format("s%03d", s));
                if (y == null) {
                    continue; // a song with no training rating has no factors and is ranked by neither model
                }
                boolean positive = e.getValue().contains(s);
                if (!positive && rated.get(e.getKey()).contains(s)) {
                    continue; // a training rating: neither positive nor negative
                }
                (positive ? posAls : negAls).add(dot(x, y));
                (positive ? posPop : negPop).add((double) popularity[s]);
            }
            if (posAls.isEmpty()) {
                continue;
            }
            als += auc(posAls.stream().mapToDouble(Double::doubleValue).toArray(),
                    negAls.stream().mapToDouble(Double::doubleValue).toArray());
            pop += auc(posPop.stream().mapToDouble(Double::doubleValue).toArray(),
                    negPop.stream().mapToDouble(Double::doubleValue).toArray());
            counted++;
        }
        als /= counted;
        pop /= counted;
        System.out.printf("planted tastes: held-out AUC ALS %.4f, popularity %.4f over %d users%n", als, pop, counted);
        assertTrue(counted > 200, "users with held-out songs: " + counted);
        assertTrue(als > pop + 0.05 && als > 0.85, "held-out AUC: ALS " + als + ", popularity " + pop);
    }

    @Test
    void badOptionsAndAMissingRatingsSetAreClearErrors() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RatingsAls.run(options(dir.resolve("s"), "--ratingsFactors=0")));
        assertTrue(bad.getMessage().contains("factors must be in 1..4096"), bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RatingsAls.run(options(dir.resolve("s"), "--ratingsBlockRows=0")));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> RatingsAls.run(options(dir.resolve("empty"))));
        assertTrue(none.getMessage().contains("user_song_ratings"), none.getMessage());
    }
}
