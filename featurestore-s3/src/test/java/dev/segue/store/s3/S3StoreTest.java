package dev.segue.store.s3;

import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.GcResult;
import dev.segue.store.Manifest;
import dev.segue.store.PointInTimeJoin;
import dev.segue.store.Row;
import dev.segue.store.StoreException;
import dev.segue.store.Table;
import dev.segue.store.VerifyResult;
import dev.segue.store.WriteOptions;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static dev.segue.store.hadoop.HdfsStoreTest.T0;
import static dev.segue.store.hadoop.HdfsStoreTest.cli;
import static dev.segue.store.hadoop.HdfsStoreTest.eventBatch;
import static dev.segue.store.hadoop.HdfsStoreTest.events;
import static org.junit.jupiter.api.Assertions.*;

/** The store on a real S3 server (S3Mock, a separate process): every read and write path, through the marker commit. */
class S3StoreTest {
    static String root(String name) throws Exception {
        return "s3://" + S3Mock.bucket("segue") + "/" + name + "-" + UUID.randomUUID();
    }

    /** Keys under a store root, relative to it. */
    static List<String> keys(String uri) throws Exception {
        S3FileIO.Key k = S3FileIO.Key.of(Location.of(uri));
        return S3Mock.client().listObjectsV2Paginator(b -> b.bucket(k.bucket()).prefix(k.prefix())).contents().stream()
                .map(o -> o.key().substring(k.prefix().length())).sorted().toList();
    }

    @Test
    void writesReadsLooksUpJoinsKeepsHistoryAndCollectsGarbageOnS3() throws Exception {
        String uri = root("store");
        FeatureStore store = FeatureStore.open(uri);
        assertFalse(store.isLocal());
        assertEquals("s3", store.io().scheme());
        assertEquals(uri, store.location());
        store.checkWritable();
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
        List<String> all = keys(uri);
        for (String k : all) {
            assertTrue(k.matches("user_events/versions/v00000[12]/(manifest\\.json|keys\\.idx|part-\\d{5}\\.arrow)"),
                    "only committed versions' files remain (no claim, no staging, no probe): " + k);
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

        PointInTimeJoin join = PointInTimeJoin.builder().feature(store, "user_events", v1, Duration.ofDays(1)).build();
        PointInTimeJoin.Matches m = join.join(new long[]{3, 3, 99}, new long[]{T0 + 9_000_000_000L, T0 - 1, T0});
        try (FeatureSetReader r = store.read("user_events", v1)) {
            assertEquals(203, r.readAll("plays").ints("plays")[m.rows(0)[0]], "user 3 at hour 2.5 sees its hour-2 row");
        }
        assertEquals(-1, m.rows(0)[1], "nothing before the first event");

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

        String history = cli("history", "user_events", "--store", uri);
        assertTrue(history.contains(v1) && history.contains(v3), history);
        assertTrue(cli("verify", "user_events", "--store", uri).contains(v3));
        assertTrue(cli("list", "--store", uri).contains("user_events"));

        GcResult gc = store.gc("user_events", 1);
        assertEquals(List.of(v1, v2), gc.removed());
        assertTrue(keys(uri).stream().noneMatch(k -> k.contains("/v000001/") || k.contains("/v000002/")), keys(uri).toString());
        assertEquals(List.of(v3), store.versions("user_events").stream().map(Manifest::version).toList());
        try (FeatureSetWriter w = store.writer(events(), WriteOptions.producer("test"))) {
            w.append(eventBatch(5, 5, 0));
            assertEquals("v000004", w.commit());
        }
    }

    @Test
    void theFileIoKeepsTheStoreContract() throws Exception {
        String uri = root("io");
        StoreFileIO io = FeatureStore.open(uri).io();
        Location dir = Location.of(uri).resolve("d");
        Location a = dir.resolve("a.bin");
        assertFalse(io.exists(a));
        assertThrows(NoSuchFileException.class, () -> io.openRead(a));
        assertThrows(NoSuchFileException.class, () -> io.length(a));
        assertEquals(List.of(), io.list(dir));

        // create-new: sequential writes, visible on close, a second create of the name fails
        byte[] bytes = new byte[3 * S3FileIO.READ_BLOCK + 12_345];
        new Random(7).nextBytes(bytes);
        try (WritableByteChannel ch = io.create(a)) {
            ch.write(ByteBuffer.wrap(bytes, 0, 1000));
            assertFalse(io.exists(a), "nothing under the name before close");
            ch.write(ByteBuffer.wrap(bytes, 1000, bytes.length - 1000));
        }
        assertThrows(FileAlreadyExistsException.class, () -> io.create(a));
        assertEquals(bytes.length, io.length(a));
        assertTrue(io.isDirectory(dir));
        assertFalse(io.isDirectory(a));

        // positioned reads: the tail first (as Arrow reads a footer), then a large read and small ones
        try (SeekableByteChannel ch = io.openRead(a)) {
            assertEquals(bytes.length, ch.size());
            ByteBuffer tail = ByteBuffer.allocate(10);
            ch.position(bytes.length - 10);
            assertEquals(10, ch.read(tail));
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length), tail.array());
            assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
            ch.position(5);
            ByteBuffer big = ByteBuffer.allocate(2 * S3FileIO.READ_BLOCK);
            while (big.hasRemaining()) {
                assertTrue(ch.read(big) > 0);
            }
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 5, 5 + big.capacity()), big.array());
            ByteBuffer small = ByteBuffer.allocateDirect(100);
            ch.position(17);
            assertEquals(100, ch.read(small));
            small.flip();
            for (int i = 0; i < 100; i++) {
                assertEquals(bytes[17 + i], small.get(i));
            }
        }

        // write-whole: create-if-absent loses to an existing file; replace replaces
        Location w = dir.resolve("w.json");
        assertTrue(io.writeWhole(w, "one".getBytes(StandardCharsets.UTF_8), false));
        assertFalse(io.writeWhole(w, "two".getBytes(StandardCharsets.UTF_8), false));
        assertEquals("one", read(io, w));
        assertTrue(io.writeWhole(w, "three".getBytes(StandardCharsets.UTF_8), true));
        assertEquals("three", read(io, w));
        io.touch(dir.resolve("t"));
        assertThrows(FileAlreadyExistsException.class, () -> io.touch(dir.resolve("t")));

        // list: files and sub-folders (prefixes), one level
        io.writeWhole(dir.resolve("sub").resolve("x"), new byte[]{1}, false);
        List<String> names = io.list(dir).stream().map(e -> e.name() + (e.directory() ? "/" : "")).sorted().toList();
        assertEquals(List.of("a.bin", "sub/", "t", "w.json"), names);
        assertTrue(io.modified(dir.resolve("sub")).isAfter(java.time.Instant.now().minus(Duration.ofHours(1))));

        // rename: a file, a folder; false (nothing copied) onto an existing target
        Location b = dir.resolve("b.bin");
        assertTrue(io.rename(a, b));
        assertFalse(io.exists(a));
        assertEquals(bytes.length, io.length(b));
        assertFalse(io.rename(w, b), "the target exists");
        assertEquals("three", read(io, w));
        Location moved = Location.of(uri).resolve("moved");
        assertTrue(io.rename(dir, moved));
        assertFalse(io.exists(dir));
        assertEquals(List.of("b.bin", "sub/", "t", "w.json"),
                io.list(moved).stream().map(e -> e.name() + (e.directory() ? "/" : "")).sorted().toList());
        assertTrue(io.delete(moved.resolve("t")));
        assertFalse(io.delete(moved.resolve("t")));
        io.deleteTree(moved);
        assertFalse(io.exists(moved));
        assertEquals(List.of(), keys(uri));
    }

    @Test
    void aPartLargerThanOnePutIsAMultipartUploadThatAppearsOnlyOnClose() throws Exception {
        String uri = root("multipart");
        StoreFileIO io = FeatureStore.open(uri).io();
        Location f = Location.of(uri).resolve("big.bin");
        byte[] chunk = new byte[1 << 20];
        new Random(3).nextBytes(chunk);
        int chunks = S3FileIO.PART_BYTES / chunk.length + 3; // one full part and a partial one
        try (WritableByteChannel ch = io.create(f)) {
            for (int i = 0; i < chunks; i++) {
                ch.write(ByteBuffer.wrap(chunk));
            }
            assertFalse(io.exists(f), "an unfinished multipart upload is no object");
        }
        assertEquals((long) chunks * chunk.length, io.length(f));
        try (SeekableByteChannel ch = io.openRead(f)) {
            ByteBuffer b = ByteBuffer.allocate(chunk.length);
            ch.position((long) (chunks - 1) * chunk.length);
            while (b.hasRemaining()) {
                ch.read(b);
            }
            assertArrayEquals(chunk, b.array());
        }
    }

    static String read(StoreFileIO io, Location f) throws Exception {
        try (SeekableByteChannel ch = io.openRead(f)) {
            ByteBuffer b = ByteBuffer.allocate((int) ch.size());
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
            return new String(b.array(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aStoreWithoutAnS3ProviderNamesTheSchemesThereAre() {
        StoreException e = assertThrows(StoreException.class, () -> FeatureStore.open("nosuchfs://host/store"));
        assertTrue(e.getMessage().contains("s3"), e.getMessage());
    }
}
