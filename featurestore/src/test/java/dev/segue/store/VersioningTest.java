package dev.segue.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** Versions, time travel, concurrent commits, retention with leases, statistics. */
class VersioningTest {
    @TempDir
    Path dir;

    static FeatureSetSchema small() {
        return FeatureSetSchema.builder("small").entityKey("id", FeatureType.INT64).column("x", FeatureType.FLOAT64, "x").build();
    }

    static String writeSmall(FeatureStore store, int n, double x) {
        long[] id = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            id[i] = i;
            v[i] = x;
        }
        try (FeatureSetWriter w = store.writer(small(), WriteOptions.producer("p").param("x", Double.toString(x)))) {
            w.append(Batch.builder(n).longs("id", id).doubles("x", v).build());
            return w.commit();
        }
    }

    @Test
    void historyParentsAndTimeTravel() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        String v1 = writeSmall(store, 3, 1.0);
        Thread.sleep(5);
        Instant between = Instant.now();
        Thread.sleep(5);
        String v2 = writeSmall(store, 4, 2.0);
        List<Manifest> history = store.versions("small");
        assertEquals(List.of("v000001", "v000002"), history.stream().map(Manifest::version).toList());
        assertNull(history.get(0).parent());
        assertEquals(v1, history.get(1).parent());
        try (FeatureSetReader r = store.readAsOf("small", between)) {
            assertEquals(v1, r.version());
            assertEquals(3, r.rows());
        }
        try (FeatureSetReader r = store.read("small")) {
            assertEquals(v2, r.version());
            assertEquals(2.0, r.lookup(3L).orElseThrow().getDouble("x"));
        }
        try (FeatureSetReader r = store.read("small", "1")) {
            assertEquals(v1, r.version());
            assertTrue(r.lookup(3L).isEmpty());
        }
        StoreException e = assertThrows(StoreException.class, () -> store.readAsOf("small", Instant.parse("2000-01-01T00:00:00Z")));
        assertTrue(e.getMessage().contains("had no version at 2000-01-01T00:00:00Z"), e.getMessage());
        assertTrue(assertThrows(StoreException.class, () -> store.read("small", "v000009")).getMessage()
                .contains("has no version v000009"));
        assertTrue(assertThrows(StoreException.class, () -> store.read("nope")).getMessage()
                .contains("feature set 'nope' does not exist"));
    }

    @Test
    void concurrentCommitsGetDistinctVersions() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        int writers = 4;
        CyclicBarrier barrier = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<String>> futures = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            int rows = 10 + t;
            futures.add(pool.submit(() -> {
                long[] id = new long[rows];
                for (int i = 0; i < rows; i++) id[i] = i;
                try (FeatureSetWriter w = store.writer(small(), WriteOptions.producer("w" + rows))) {
                    w.append(Batch.builder(rows).longs("id", id).doubles("x", new double[rows]).build());
                    barrier.await(); // all commit at the same moment
                    return w.commit();
                }
            }));
        }
        HashSet<String> versions = new HashSet<>();
        for (Future<String> f : futures) {
            versions.add(f.get());
        }
        pool.shutdown();
        assertEquals(writers, versions.size(), versions.toString());
        List<Manifest> all = store.versions("small");
        assertEquals(writers, all.size());
        HashSet<Long> rows = new HashSet<>();
        for (Manifest m : all) {
            assertTrue(store.verify("small", m.version()).ok());
            assertEquals("w" + m.rowCount(), m.producer(), "each version holds its own writer's data");
            rows.add(m.rowCount());
        }
        assertEquals(writers, rows.size());
        try (var s = Files.list(dir.resolve("small").resolve(StoreLayout.STAGING))) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void gcKeepsNewestAndLeasedVersions() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        for (int i = 1; i <= 4; i++) {
            writeSmall(store, 5, i);
        }
        // a lease from a process that no longer exists does not protect a version
        Path stale = dir.resolve("small/_leases/v000002");
        Files.createDirectories(stale);
        Files.createFile(stale.resolve("2147483646-dead"));
        // a writer of a dead process left a staging folder
        Files.createDirectories(dir.resolve("small/_staging/2147483646-0000/part-00000.arrow"));
        try (FeatureSetReader held = store.read("small", "v000001")) {
            GcResult r = store.gc("small", 1);
            assertEquals(List.of("v000002", "v000003"), r.removed());
            assertEquals(List.of("v000001"), r.keptLeased());
            assertEquals(List.of("v000004"), r.kept());
            assertEquals(1, r.stagingRemoved());
            assertEquals(5, held.readAll(List.of("x")).rows(), "the held version is still readable");
        }
        GcResult r = store.gc("small", 1);
        assertEquals(List.of("v000001"), r.removed());
        assertEquals(List.of("v000004"), store.versions("small").stream().map(Manifest::version).toList());
        assertEquals("v000005", writeSmall(store, 2, 9), "numbering continues after gc");
        assertThrows(IllegalArgumentException.class, () -> store.gc("small", 0));
    }

    @Test
    void statisticsAreComputedAtWriteTime() {
        FeatureStore store = FeatureStore.open(dir);
        try (FeatureSetWriter w = store.writer(TestData.trackFactors(), WriteOptions.producer("t").partRows(40))) {
            w.append(TestData.trackBatch(0, 100, 5));
            w.commit();
        }
        Manifest m = store.latest("track_factors");
        ColumnStats pop = m.stats().get("popularity");
        assertEquals(100, pop.count());
        assertEquals(0, pop.nulls());
        assertEquals(0.0, pop.min());
        assertEquals(990.0, pop.max());
        assertEquals(495.0, pop.mean(), 1e-9);
        assertEquals(Math.sqrt(100 * 101 / 12.0) * 10, pop.std(), 1e-6);
        assertFalse(pop.histogram().sampled());
        assertEquals(100, java.util.Arrays.stream(pop.histogram().counts()).sum());
        ColumnStats weight = m.stats().get("weight");
        assertEquals(20, weight.nulls()); // ids divisible by 5
        ColumnStats device = m.stats().get("device");
        assertEquals(3L, device.distinct());
        assertEquals("mobile", device.topValues().get(0).value()); // ids % 3 == 0: 34 of 100
        assertEquals(34, device.topValues().get(0).count());
        ColumnStats uri = m.stats().get("track_uri");
        assertEquals(14, uri.nulls()); // ids % 7 == 3
        ColumnStats f = m.stats().get("factors");
        assertEquals(100, f.count());
        double norm0 = 0;
        for (int d = 0; d < TestData.DIM; d++) norm0 += (d / 10.0) * (d / 10.0);
        assertEquals(Math.sqrt(norm0), f.norm().min(), 1e-5);
        assertEquals(0, f.zeroVectors());
    }

    @Test
    void eventTimeSetsLookUpLatestAndAsOf() {
        FeatureStore store = FeatureStore.open(dir);
        FeatureSetSchema s = FeatureSetSchema.builder("user_stats").entityKey("uid", FeatureType.UTF8)
                .eventTimestamp("ts").column("plays", FeatureType.INT32, "plays").build();
        try (FeatureSetWriter w = store.writer(s, WriteOptions.defaults())) {
            w.append(Batch.builder(4).strings("uid", new String[]{"bo", "al", "bo", "al"})
                    .timestamps("ts", new long[]{30, 10, 10, 20}).ints("plays", new int[]{3, 1, 1, 2}).build());
            w.commit();
        }
        try (FeatureSetReader r = store.read("user_stats")) {
            assertEquals(3, r.lookup("bo").orElseThrow().getInt("plays"));
            assertEquals(2, r.lookup("al").orElseThrow().getInt("plays"));
            assertTrue(r.lookup("cy").isEmpty());
            assertEquals(-1, r.rowOf("zz"));
        }
    }
}
