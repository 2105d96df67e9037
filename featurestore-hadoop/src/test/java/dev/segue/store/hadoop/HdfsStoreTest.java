package dev.segue.store.hadoop;

import dev.segue.store.Batch;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.GcResult;
import dev.segue.store.Manifest;
import dev.segue.store.PointInTimeJoin;
import dev.segue.store.Row;
import dev.segue.store.StoreException;
import dev.segue.store.Table;
import dev.segue.store.VerifyResult;
import dev.segue.store.WriteOptions;
import dev.segue.store.cli.StoreCommand;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/** The store on a real (in-process) HDFS: every read and write path of the store, through the marker commit. */
public class HdfsStoreTest {
    public static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1000;

    public static FeatureSetSchema events() {
        return FeatureSetSchema.builder("user_events").entityKey("user", FeatureType.INT64)
                .eventTimestamp("ts").column("plays", FeatureType.INT32, "plays that hour")
                .embedding("taste", 4, "taste vector").build();
    }

    /** {@code n} rows: user i % users, hour i / users, plays = base + i. */
    public static Batch eventBatch(int n, int users, int base) {
        long[] user = new long[n];
        long[] ts = new long[n];
        int[] plays = new int[n];
        float[] taste = new float[n * 4];
        for (int i = 0; i < n; i++) {
            user[i] = i % users;
            ts[i] = T0 + (i / users) * 3_600_000_000L;
            plays[i] = base + i;
            taste[i * 4] = i;
        }
        return Batch.builder(n).longs("user", user).timestamps("ts", ts).ints("plays", plays).embeddings("taste", taste).build();
    }

    static String root(String name) throws Exception {
        return MiniHdfs.uri() + "/" + name + "-" + UUID.randomUUID();
    }

    @Test
    void writesReadsLooksUpJoinsKeepsHistoryAndCollectsGarbageOnHdfs() throws Exception {
        String uri = root("store");
        FeatureStore store = FeatureStore.open(uri);
        assertFalse(store.isLocal());
        assertEquals(uri, store.location());
        String v1;
        try (FeatureSetWriter w = store.writer(events(), WriteOptions.producer("test").partRows(300))) {
            w.append(eventBatch(1000, 100, 0));
            v1 = w.commit();
        }
        String v2;
        try (FeatureSetWriter w = store.writer(events(), WriteOptions.producer("test").compression(false))) {
            w.append(eventBatch(500, 50, 10_000));
            v2 = w.commit();
        }
        assertEquals(List.of("v000001", "v000002"), List.of(v1, v2));
        assertEquals(List.of("user_events"), store.list());
        assertEquals(List.of(v1, v2), store.versions("user_events").stream().map(Manifest::version).toList());
        assertEquals(4, store.manifest("user_events", v1).files().size(), "1000 rows in parts of 300");
        FileSystem fs = ((HadoopFileIO) store.io()).fileSystem();
        for (var st : fs.listStatus(new Path(uri + "/user_events/versions/" + v1))) {
            assertTrue(st.getPath().getName().matches("manifest\\.json|keys\\.idx|part-\\d{5}\\.arrow"),
                    "a committed version holds only its files: " + st.getPath());
        }

        try (FeatureSetReader r = store.read("user_events", v1)) {
            Table t = r.readAll("user", "plays");
            assertEquals(1000, t.rows());
            Optional<Row> last = r.lookup(7L);
            assertTrue(last.isPresent());
            assertEquals(907, last.get().getInt("plays"), "the latest row of user 7");
        }
        try (FeatureSetReader r = store.read("user_events")) {
            assertEquals(v2, r.manifest().version());
            assertEquals(500, r.rows());
        }
        for (String v : List.of(v1, v2)) {
            VerifyResult vr = store.verify("user_events", v);
            assertTrue(vr.ok(), vr.problems().toString());
        }

        // point-in-time join against v1: user 3 at hour 2.5 sees its hour-2 row (plays 203)
        PointInTimeJoin join = PointInTimeJoin.builder().feature(store, "user_events", v1, Duration.ofDays(1)).build();
        PointInTimeJoin.Matches m = join.join(new long[]{3, 3, 99}, new long[]{T0 + 9_000_000_000L, T0 - 1, T0});
        try (FeatureSetReader r = store.read("user_events", v1)) {
            Table t = r.readAll("plays");
            assertEquals(203, t.ints("plays")[m.rows(0)[0]]);
        }
        assertEquals(-1, m.rows(0)[1], "nothing before the first event");

        // a run's versions become latest together, through the snapshot record
        String run = FeatureStore.newRun();
        String v3;
        try (FeatureSetWriter w = store.writer(events(), WriteOptions.producer("test").run(run))) {
            w.append(eventBatch(10, 10, 0));
            v3 = w.commit();
        }
        assertEquals(v2, store.latest("user_events").version(), "a run without a snapshot is not latest");
        store.commitRun(run, "test", List.of("user_events"));
        assertEquals(v3, store.latest("user_events").version());
        assertEquals(1, store.snapshots().size());

        // the command line reads the same store
        String history = cli("history", "user_events", "--store", uri);
        assertTrue(history.contains(v1) && history.contains(v3), history);
        assertTrue(cli("verify", "user_events", "--store", uri).contains(v3));

        GcResult gc = store.gc("user_events", 1);
        assertEquals(List.of(v1, v2), gc.removed());
        assertFalse(fs.exists(new Path(uri + "/user_events/versions/" + v1)));
        assertEquals(List.of(v3), store.versions("user_events").stream().map(Manifest::version).toList());
        try (FeatureSetWriter w = store.writer(events(), WriteOptions.producer("test"))) {
            w.append(eventBatch(5, 5, 0));
            assertEquals("v000004", w.commit());
        }
    }

    public static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new StoreCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = cl.execute(args);
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    @Test
    void aStorePathNoFileSystemServesFailsInOneLineNamingIt() {
        StoreException e = assertThrows(StoreException.class, () -> FeatureStore.open("nosuchfs://host/store"));
        assertTrue(e.getMessage().startsWith("store nosuchfs://host/store: no file system for scheme 'nosuchfs'"), e.getMessage());
        assertTrue(e.getMessage().contains("hdfs"), "names what is available: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void anUnreachableNamenodeFailsInOneLineNamingTheStore() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String uri = "hdfs://127.0.0.1:" + port + "/store";
        long t0 = System.nanoTime();
        StoreException e = assertThrows(StoreException.class, () -> FeatureStore.open(uri));
        assertTrue(e.getMessage().startsWith("store " + uri + ": cannot reach the file system"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 60_000_000_000L, "gives up after one connection attempt, not Hadoop's ten");
    }

    @Test
    void aRootWithoutWritePermissionFailsInOneLineAndNoVersionAppears() throws Exception {
        String uri = root("readonly");
        FeatureStore owner = FeatureStore.open(uri);
        try (FeatureSetWriter w = owner.writer(events(), WriteOptions.producer("test"))) {
            w.append(eventBatch(10, 10, 0));
            w.commit();
        }
        FileSystem fs = ((HadoopFileIO) owner.io()).fileSystem();
        // the store belongs to another user and is read-only for everyone else
        fs.setOwner(new Path(uri), "someone-else", "nobody");
        fs.setOwner(new Path(uri + "/user_events"), "someone-else", "nobody");
        fs.setPermission(new Path(uri), new FsPermission((short) 0755));
        fs.setPermission(new Path(uri + "/user_events"), new FsPermission((short) 0755));
        org.apache.hadoop.security.UserGroupInformation alice =
                org.apache.hadoop.security.UserGroupInformation.createUserForTesting("alice", new String[]{"users"});
        alice.doAs((java.security.PrivilegedExceptionAction<Void>) () -> {
            FeatureStore store = FeatureStore.open(uri);
            assertEquals("v000001", store.latest("user_events").version(), "alice can read");
            StoreException e = assertThrows(StoreException.class, () -> {
                try (FeatureSetWriter w = store.writer(events(), WriteOptions.producer("test"))) {
                    w.append(eventBatch(10, 10, 0));
                    w.commit();
                }
            });
            assertTrue(e.getMessage().contains(uri), e.getMessage());
            assertTrue(e.getMessage().contains("Permission denied"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            StoreException e2 = assertThrows(StoreException.class, () -> FeatureStore.open(uri + "/sub/store"));
            assertTrue(e2.getMessage().startsWith("cannot create store folder " + uri + "/sub/store: "), e2.getMessage());
            assertFalse(e2.getMessage().contains("\n"), e2.getMessage());
            return null;
        });
        assertEquals(List.of("v000001"), owner.versions("user_events").stream().map(Manifest::version).toList());
    }
}
