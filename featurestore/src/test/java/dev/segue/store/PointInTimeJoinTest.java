package dev.segue.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class PointInTimeJoinTest {
    @TempDir
    Path dir;

    static FeatureSetSchema schema(String name, boolean created) {
        FeatureSetSchema.Builder b = FeatureSetSchema.builder(name).entityKey("user", FeatureType.INT64).eventTimestamp("ts");
        if (created) {
            b.createdTimestamp("created", "ingestion time");
        }
        return b.column("value", FeatureType.FLOAT64, "feature value").build();
    }

    /** Writes rows (user, ts[, created], value = row number) in the given order and returns the version. */
    static String write(FeatureStore store, FeatureSetSchema s, long[] users, long[] ts, long[] created) {
        double[] v = new double[users.length];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Batch.Builder b = Batch.builder(users.length).longs("user", users).timestamps("ts", ts).doubles("value", v);
        if (created != null) b.timestamps("created", created);
        try (FeatureSetWriter w = store.writer(s, WriteOptions.producer("test").partRows(97).batchRows(32))) {
            w.append(b.build());
            return w.commit();
        }
    }

    /** Brute force reference: latest ts <= t (and > t - ttl), ties by created then by row order. */
    static int expected(long[] users, long[] ts, long[] created, long k, long t, Long ttl) {
        int best = -1;
        for (int i = 0; i < users.length; i++) {
            if (users[i] != k || ts[i] > t || (ttl != null && ts[i] <= t - ttl)) continue;
            if (best < 0 || ts[i] > ts[best] || (ts[i] == ts[best] && (created == null ? i > best
                    : created[i] > created[best] || (created[i] == created[best] && i > best)))) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void matchesBruteForceWithAndWithoutTtlInMemoryAndSpilled() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        SplittableRandom r = new SplittableRandom(7);
        int fn = 600;
        long[] fu = new long[fn], ft = new long[fn], fc = new long[fn];
        for (int i = 0; i < fn; i++) {
            fu[i] = r.nextInt(40) - 5;           // negative keys too
            ft[i] = 1_000 + r.nextInt(200) * 10; // many exact ties on ts
            fc[i] = r.nextInt(3);
        }
        write(store, schema("a", true), fu, ft, fc);
        long[] gu = new long[300], gt = new long[300];
        for (int i = 0; i < gu.length; i++) {
            gu[i] = r.nextInt(40);
            gt[i] = 500 + r.nextInt(3_000);
        }
        write(store, schema("b", false), gu, gt, null);

        int en = 2_000;
        long[] ek = new long[en], et = new long[en];
        for (int i = 0; i < en; i++) {
            ek[i] = r.nextInt(50) - 5;
            et[i] = 900 + r.nextInt(2_500);
            if (i % 10 == 0 && i > 0) { // exact ts equality with a feature row
                int j = r.nextInt(fn);
                ek[i] = fu[j];
                et[i] = ft[j];
            }
        }
        long ttlMicros = 300;
        for (int maxRows : new int[]{1 << 20, 333}) {
            Path spill = dir.resolve("spill" + maxRows);
            assertDoesNotThrow(() -> Files.createDirectories(spill));
            PointInTimeJoin join = PointInTimeJoin.builder()
                    .feature(store, "a", "latest", Duration.ofNanos(ttlMicros * 1000))
                    .feature(store, "b", "latest", null)
                    .maxRowsInMemory(maxRows).spillDir(spill).build();
            PointInTimeJoin.Matches m = join.join(ek, et);
            int hitsA = 0, hitsB = 0;
            for (int i = 0; i < en; i++) {
                int ea = expected(fu, ft, fc, ek[i], et[i], ttlMicros);
                int eb = expected(gu, gt, null, ek[i], et[i], null);
                assertEquals(ea, m.rows(0)[i], "set a, entity row " + i);
                assertEquals(eb, m.rows(1)[i], "set b, entity row " + i);
                if (ea >= 0) hitsA++;
                if (eb >= 0) hitsB++;
            }
            assertTrue(hitsA > 100 && hitsA < en, "ttl must both admit and exclude rows: " + hitsA);
            assertTrue(hitsB > hitsA, "unbounded ttl matches more: " + hitsB);
            try (Stream<Path> s = Files.list(spill)) {
                assertEquals(0, s.count(), "spill runs are removed");
            }
        }
    }

    @Test
    void unboundedTtlMatchesArbitrarilyOldRowsAndTtlExcludesThem() {
        FeatureStore store = FeatureStore.open(dir);
        write(store, schema("old", false), new long[]{1, 2}, new long[]{0, 1_000_000_000L}, null);
        long[] keys = {1, 1, 2, 2};
        long[] ts = {0, 10_000_000_000_000L, 999_999_999L, 1_000_000_000L};
        int[] unbounded = PointInTimeJoin.builder().feature(store, "old", "latest", null).build().join(keys, ts).rows(0);
        assertArrayEquals(new int[]{0, 0, -1, 1}, unbounded);
        int[] dayTtl = PointInTimeJoin.builder().feature(store, "old", "latest", Duration.ofDays(1)).build().join(keys, ts).rows(0);
        assertArrayEquals(new int[]{0, -1, -1, 1}, dayTtl);
    }

    @Test
    void gatherBuildsTrainingColumnsWithNullsForMisses() {
        FeatureStore store = FeatureStore.open(dir);
        write(store, schema("g", false), new long[]{5, 5}, new long[]{10, 20}, null);
        PointInTimeJoin join = PointInTimeJoin.builder().feature(store, "g", "latest", null).build();
        int[] rows = join.join(new long[]{5, 5, 6}, new long[]{15, 25, 30}).rows(0);
        try (FeatureSetReader r = store.read("g")) {
            Table t = PointInTimeJoin.gather(r.readAll(List.of("value")), rows, List.of("value"));
            assertEquals(0.0, t.doubles("value")[0]);
            assertEquals(1.0, t.doubles("value")[1]);
            assertTrue(t.isNull("value", 2));
        }
    }

    @Test
    void rejectsSetsWithoutEventTime() {
        FeatureStore store = FeatureStore.open(dir);
        FeatureSetSchema s = FeatureSetSchema.builder("static").entityKey("id", FeatureType.INT32)
                .column("x", FeatureType.FLOAT32, "x").build();
        try (FeatureSetWriter w = store.writer(s, WriteOptions.defaults())) {
            w.append(Batch.builder(1).ints("id", new int[]{1}).floats("x", new float[]{1}).build());
            w.commit();
        }
        StoreException e = assertThrows(StoreException.class,
                () -> PointInTimeJoin.builder().feature(store, "static", "latest", null));
        assertTrue(e.getMessage().contains("'static' has no event timestamp"), e.getMessage());
    }

    @Test
    void stringKeysMatchBruteForceAndAbsentOrNullKeysMatchNothing() {
        FeatureStore store = FeatureStore.open(dir);
        FeatureSetSchema s = FeatureSetSchema.builder("genres").entityKey("uri", FeatureType.UTF8).eventTimestamp("ts")
                .column("value", FeatureType.FLOAT64, "feature value").build();
        SplittableRandom r = new SplittableRandom(11);
        int fn = 400;
        long[] fk = new long[fn], ft = new long[fn];
        String[] fs = new String[fn];
        double[] v = new double[fn];
        for (int i = 0; i < fn; i++) {
            fk[i] = r.nextInt(30);
            fs[i] = "spotify:track:" + fk[i]; // lexicographic order differs from numeric order
            ft[i] = 1_000 + r.nextInt(100) * 10;
            v[i] = i;
        }
        try (FeatureSetWriter w = store.writer(s, WriteOptions.producer("test").partRows(97).batchRows(32))) {
            w.append(Batch.builder(fn).strings("uri", fs).timestamps("ts", ft).doubles("value", v).build());
            w.commit();
        }
        int en = 1_000;
        String[] ek = new String[en];
        long[] ekNum = new long[en], et = new long[en];
        for (int i = 0; i < en; i++) {
            ekNum[i] = r.nextInt(40) - 5; // some keys are absent from the set
            ek[i] = i % 97 == 0 ? null : "spotify:track:" + ekNum[i];
            et[i] = 900 + r.nextInt(1_200);
        }
        PointInTimeJoin join = PointInTimeJoin.builder().feature(store, "genres", "latest", Duration.ofNanos(200_000)).build();
        int[] rows = join.join(ek, et).rows(0);
        int hits = 0;
        for (int i = 0; i < en; i++) {
            int e = ek[i] == null ? -1 : expected(fk, ft, null, ekNum[i], et[i], 200L);
            assertEquals(e, rows[i], "entity row " + i + " key " + ek[i]);
            if (e >= 0) hits++;
        }
        assertTrue(hits > 100 && hits < en, "some rows match, some do not: " + hits);
        StoreException wrongType = assertThrows(StoreException.class, () -> join.join(new long[]{1}, new long[]{1}));
        assertTrue(wrongType.getMessage().contains("'genres' is keyed by utf8 'uri'"), wrongType.getMessage());
    }
}
