package dev.segue.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Writes the store the Python package's tests read ({@code client/python/tests}): the Java writer is the only
 * writer, so the Python reader and its point-in-time join are tested against what Java really writes. Folder:
 * system property {@code segue.pythonFixture}, default {@code target/python-fixture/store} (rewritten each run).
 * <ul>
 * <li>{@code users}: int64 key, event and created timestamps (ties on event time broken by created time),
 * nullable float64, categorical, 4-dim embedding; several parts; two versions (the first smaller).
 * <li>{@code tracks}: utf8 key (URIs), event timestamp, ties broken by write order; ZSTD off.
 * <li>{@code items}: int32 key without event time (unique keys), for lookups.
 * <li>{@code runs} and {@code runs_partial}: snapshot resolution. {@code runs} v1 is a complete run (snapshot
 * s000001), v2 a run that wrote no snapshot (as if killed), so "latest" is v1; {@code runs_partial} has only the
 * unfinished run's version, so it has no complete version. {@code expected-latest.json} beside the store holds
 * the Java store's "latest" of every set for the Python tests to compare with.
 * </ul>
 */
class PythonFixtureTest {
    static final long T0 = 1_700_000_000_000_000L;
    static final long HOUR = 3_600_000_000L;

    @Test
    void writeFixtureStore() throws IOException {
        Path root = Path.of(System.getProperty("segue.pythonFixture", "target/python-fixture/store"));
        if (Files.exists(root)) {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        FeatureStore store = FeatureStore.open(root);
        SplittableRandom r = new SplittableRandom(2024);

        FeatureSetSchema users = FeatureSetSchema.builder("users").entityKey("user", FeatureType.INT64)
                .eventTimestamp("ts").createdTimestamp("created", "ingestion time")
                .column("plays", FeatureType.FLOAT64, "plays in the window").categorical("device", "device family")
                .embedding("v", 4, "user vector").build();
        for (int version = 1; version <= 2; version++) {
            int n = version == 1 ? 500 : 3_000;
            long[] u = new long[n], ts = new long[n], created = new long[n];
            double[] plays = new double[n];
            boolean[] valid = new boolean[n];
            String[] device = new String[n];
            float[] v = new float[n * 4];
            String[] devices = {"mobile", "desktop", "tv", null};
            for (int i = 0; i < n; i++) {
                u[i] = r.nextInt(400) - 50;              // negative keys too
                ts[i] = T0 + r.nextInt(2_000) * HOUR;    // many exact ties
                created[i] = T0 + r.nextInt(5);          // ties on created too: then write order
                plays[i] = i;
                valid[i] = i % 13 != 0;
                device[i] = devices[i % 4];
                for (int d = 0; d < 4; d++) v[i * 4 + d] = i + d / 10f;
            }
            try (FeatureSetWriter w = store.writer(users, WriteOptions.producer("python-fixture").param("round", "" + version)
                    .partRows(700).batchRows(256))) {
                w.append(Batch.builder(n).longs("user", u).timestamps("ts", ts).timestamps("created", created)
                        .doubles("plays", plays, valid).strings("device", device).embeddings("v", v).build());
                w.commit();
            }
            sleep(); // distinct createdAt instants for as_of
        }

        FeatureSetSchema tracks = FeatureSetSchema.builder("tracks").entityKey("track_uri", FeatureType.UTF8)
                .eventTimestamp("ts").categorical("genre", "broad genre").column("score", FeatureType.FLOAT32, "score")
                .build();
        int n = 2_000;
        String[] uri = new String[n], genre = new String[n];
        long[] ts = new long[n];
        float[] score = new float[n];
        String[] genres = {"rock", "jazz", "pop", "électro"};
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(300);
            uri[i] = k % 17 == 0 ? "spotify:track:é" + k : "spotify:track:" + k; // lexicographic != numeric order
            ts[i] = T0 + r.nextInt(1_000) * HOUR;
            genre[i] = genres[i % 4];
            score[i] = i / 10f;
        }
        try (FeatureSetWriter w = store.writer(tracks, WriteOptions.producer("python-fixture").compression(false).partRows(900))) {
            w.append(Batch.builder(n).strings("track_uri", uri).timestamps("ts", ts).strings("genre", genre)
                    .floats("score", score).build());
            w.commit();
        }

        FeatureSetSchema items = FeatureSetSchema.builder("items").entityKey("item", FeatureType.INT32)
                .column("name", FeatureType.UTF8, "name").column("price", FeatureType.FLOAT64, "price").build();
        int m = 1_000;
        int[] ids = new int[m];
        String[] names = new String[m];
        double[] price = new double[m];
        for (int i = 0; i < m; i++) {
            ids[i] = (i * 7919) % m; // a permutation: stored order differs from key order
            names[i] = "item " + ids[i];
            price[i] = ids[i] * 0.5;
        }
        try (FeatureSetWriter w = store.writer(items, WriteOptions.producer("python-fixture").partRows(300))) {
            w.append(Batch.builder(m).ints("item", ids).strings("name", names).doubles("price", price).build());
            w.commit();
        }

        FeatureSetSchema runs = FeatureSetSchema.builder("runs").entityKey("id", FeatureType.INT32)
                .column("value", FeatureType.FLOAT64, "which run wrote it").build();
        FeatureSetSchema partial = FeatureSetSchema.builder("runs_partial").entityKey("id", FeatureType.INT32)
                .column("value", FeatureType.FLOAT64, "which run wrote it").build();
        String complete = FeatureStore.newRun();
        String killed = FeatureStore.newRun();
        writeRun(store, runs, complete, 1.0);
        store.commitRun(complete, "python-fixture", java.util.List.of("runs"));
        writeRun(store, runs, killed, 2.0);
        writeRun(store, partial, killed, 2.0);

        assertEquals(java.util.List.of("items", "runs", "runs_partial", "tracks", "users"), store.list());
        assertEquals(2, store.versions("users").size());
        assertEquals("v000001", store.latest("runs").version(), "the unfinished run's v2 is never latest");
        assertThrows(StoreException.class, () -> store.latest("runs_partial"));
        java.util.Map<String, String> expected = new java.util.TreeMap<>();
        for (String s : java.util.List.of("items", "runs", "tracks", "users")) {
            assertTrue(store.verify(s, "latest").ok(), s);
            expected.put(s, store.latest(s).version());
        }
        Files.writeString(root.resolveSibling("expected-latest.json"),
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(expected));
    }

    private static void writeRun(FeatureStore store, FeatureSetSchema schema, String run, double value)
            throws IOException {
        try (FeatureSetWriter w = store.writer(schema, WriteOptions.producer("python-fixture").run(run))) {
            w.append(Batch.builder(3).ints("id", new int[] {1, 2, 3}).doubles("value", new double[] {value, value, value})
                    .build());
            w.commit();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
