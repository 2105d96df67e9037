package dev.segue.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fault matrix of snapshots and verified reads at the store level: a run that stops after any commit,
 * two writers, stores without snapshots, gc of orphans, and flipped, truncated and missing files.
 */
class SnapshotTest {
    @TempDir
    Path dir;

    @Test
    void aRunStoppedAfterEachCommitInTurnLeavesThePreviousSnapshotLatest() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        Map<String, String> first = RunFixtures.run(store, FeatureStore.newRun(), 1f, 3, true);
        assertEquals(first, RunFixtures.latest(store));
        for (int commits = 0; commits <= 3; commits++) {
            String run = RunFixtures.deadRun();
            Map<String, String> partial = RunFixtures.run(store, run, 2f, commits, false);
            assertEquals(commits, partial.size());
            assertEquals(first, RunFixtures.latest(store), "after " + commits + " commits of an unfinished run");
            try (FeatureSetReader r = store.read("factors")) {
                assertEquals(1f, r.readAll("value").floats("value")[0]);
            }
            if (commits < 3) {
                // the run's own snapshot refuses an incomplete run, naming what is missing
                StoreException e = assertThrows(StoreException.class, () -> store.commitRun(run, "test", RunFixtures.SETS));
                assertTrue(e.getMessage().contains(RunFixtures.SETS.subList(commits, 3).toString()), e.getMessage());
                assertEquals(first, RunFixtures.latest(store));
            }
            // gc removes the dead run's versions, never the snapshot's
            for (String s : RunFixtures.SETS) {
                GcResult gc = store.gc(s, 1);
                assertEquals(partial.containsKey(s) ? List.of(partial.get(s)) : List.of(), gc.removed(), s);
            }
            assertEquals(first, RunFixtures.latest(store));
        }
        Map<String, String> next = RunFixtures.run(store, FeatureStore.newRun(), 3f, 3, true);
        assertEquals(next, RunFixtures.latest(store));
        assertEquals(2, store.snapshots().size());
        Snapshot s = store.latestSnapshot().orElseThrow();
        assertEquals(next, Map.of("factors", s.version("factors"), "titles", s.version("titles"), "stats", s.version("stats")));
        assertEquals(next.get("factors"), store.latest("titles").builtFrom("factors"));
        assertEquals(next.get("factors"), store.latest("titles").inputs().get("factors"));
        assertTrue(Files.exists(dir.resolve("_snapshots").resolve(s.id() + ".json")));
    }

    @Test
    void aRunKilledWithSigkillAfterEachCommitLeavesThePreviousSnapshotLatest() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        Map<String, String> first = RunFixtures.run(store, FeatureStore.newRun(), 1f, 3, true);
        for (int killAfter = 1; killAfter <= 4; killAfter++) { // 4 = after the snapshot
            Process child = startChild(killAfter + 10f);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                 OutputStream in = child.getOutputStream()) {
                for (int step = 1; step <= killAfter; step++) {
                    String line = out.readLine();
                    assertEquals(step == 4 ? "snapshot" : "committed " + step, line);
                    if (step < killAfter) {
                        in.write('\n');
                        in.flush();
                    }
                }
                child.toHandle().destroyForcibly(); // SIGKILL right after this commit point
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            Map<String, String> latest = RunFixtures.latest(store);
            if (killAfter < 4) {
                assertEquals(first, latest, "killed after commit " + killAfter);
                for (String s : RunFixtures.SETS) {
                    store.gc(s, 5);
                }
                assertEquals(1, store.versions("factors").size(), "gc removed the killed run's factors");
            } else {
                assertNotEquals(first.get("factors"), latest.get("factors"));
                try (FeatureSetReader r = store.read("stats")) {
                    assertEquals(14f, r.readAll("value").floats("value")[0]);
                }
                assertEquals(latest.get("factors"), store.latest("titles").builtFrom("factors"));
            }
        }
    }

    private Process startChild(float value) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens")) cmd.add(a);
        }
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashingRunMain.class.getName());
        cmd.add(dir.toString());
        cmd.add(Float.toString(value));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void twoInterleavedWritersNeverMix() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        String a = FeatureStore.newRun();
        String b = FeatureStore.newRun();
        String fa = RunFixtures.write(store, "factors", a, 1f, Map.of());
        String fb = RunFixtures.write(store, "factors", b, 2f, Map.of());
        String tb = RunFixtures.write(store, "titles", b, 2f, Map.of("factors", fb));
        String ta = RunFixtures.write(store, "titles", a, 1f, Map.of("factors", fa));
        RunFixtures.write(store, "stats", b, 2f, Map.of("factors", fb));
        RunFixtures.write(store, "stats", a, 1f, Map.of("factors", fa));
        store.commitRun(b, "test", RunFixtures.SETS);
        assertEquals(fb, store.latest("factors").version());
        assertEquals(tb, store.latest("titles").version());
        store.commitRun(a, "test", RunFixtures.SETS); // A finishes last: its whole run is latest, though fb is newer
        assertEquals(fa, store.latest("factors").version());
        assertEquals(ta, store.latest("titles").version());
        assertEquals(store.latest("factors").version(), store.latest("titles").builtFrom("factors"));
        assertEquals(List.of("s000001", "s000002"), store.snapshots().stream().map(Snapshot::id).toList());
        // gc keeping 1 keeps the latest (fa) even though fb is the newest complete version
        GcResult gc = store.gc("factors", 1);
        assertTrue(gc.kept().contains(fa), gc.toString());
        assertEquals(fa, store.latest("factors").version());
    }

    @Test
    void concurrentSnapshotsGetDistinctNumbers() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String run = FeatureStore.newRun();
            RunFixtures.run(store, run, i, 3, false);
            runs.add(run);
        }
        List<Thread> threads = new ArrayList<>();
        for (String run : runs) {
            Thread t = new Thread(() -> store.commitRun(run, "test", RunFixtures.SETS));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Snapshot> all = store.snapshots();
        assertEquals(4, all.size());
        assertEquals(4, all.stream().map(Snapshot::run).distinct().count());
        try (var s = Files.list(dir.resolve("_snapshots"))) {
            assertEquals(4, s.count(), "no temporary files left");
        }
    }

    @Test
    void aStoreWithoutSnapshotsServesEachSetsNewestVersion() {
        FeatureStore store = FeatureStore.open(dir);
        RunFixtures.write(store, "factors", null, 1f, Map.of());
        String v2 = RunFixtures.write(store, "factors", null, 2f, Map.of());
        assertTrue(store.snapshots().isEmpty());
        assertEquals(v2, store.latest("factors").version());
        assertNull(store.latest("factors").run());
    }

    @Test
    void aSingleWriteNewerThanTheSnapshotIsLatest() {
        FeatureStore store = FeatureStore.open(dir);
        RunFixtures.run(store, FeatureStore.newRun(), 1f, 3, true);
        String single = RunFixtures.write(store, "stats", null, 5f, Map.of());
        assertEquals(single, store.latest("stats").version());
    }

    @Test
    void onlyAnUnfinishedRunIsAClearError() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        String run = RunFixtures.deadRun();
        String v = RunFixtures.write(store, "factors", run, 1f, Map.of());
        StoreException e = assertThrows(StoreException.class, () -> store.read("factors"));
        assertEquals("feature set 'factors' has no complete version in " + dir.toAbsolutePath().normalize() + ": " + v
                + " (run " + run + ") belongs to a run that wrote no snapshot (it failed, was killed or is still "
                + "running; 'segue store gc' removes it once its process is gone)", e.getMessage());
        store.read("factors", v).close(); // a named version is still readable
        assertEquals(List.of(v), store.gc("factors", 1).removed());
    }

    @Test
    void gcKeepsTheVersionsOfARunThatIsStillRunning() {
        FeatureStore store = FeatureStore.open(dir);
        RunFixtures.run(store, FeatureStore.newRun(), 1f, 3, true);
        String live = FeatureStore.newRun(); // this process: alive
        String v = RunFixtures.write(store, "factors", live, 2f, Map.of());
        GcResult gc = store.gc("factors", 1);
        assertTrue(gc.removed().isEmpty(), gc.toString());
        assertTrue(gc.kept().contains(v));
    }

    // ---- verified reads ----

    private FeatureStore storeWithOneVersion() {
        FeatureStore store = FeatureStore.open(dir);
        try (FeatureSetWriter w = store.writer(TestData.trackFactors(), WriteOptions.producer("t").partRows(300).batchRows(100))) {
            w.append(TestData.trackBatch(0, 900, 3));
            w.commit();
        }
        return store;
    }

    private Path file(String name) {
        return dir.resolve("track_factors/versions/v000001/" + name);
    }

    private static void flip(Path p, int bytes) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            long at = f.length() / 2;
            for (int i = 0; i < bytes; i++) {
                f.seek(at + i);
                int b = f.read();
                f.seek(at + i);
                f.write(b ^ 0x5a);
            }
        }
    }

    @Test
    void aFlippedPartIsRefusedByEveryReadNamingFileAndChecksums() throws Exception {
        FeatureStore store = storeWithOneVersion();
        Manifest m = store.latest("track_factors");
        Path p = file("part-00001.arrow");
        flip(p, 16);
        String expected = m.files().get(1).crc32c();
        String actual = Checksums.crc32c(p);
        String message = p + ": checksum mismatch: expected CRC32C " + expected + " (manifest), actual " + actual
                + "; the file is corrupt";
        try (FeatureSetReader r = store.read("track_factors")) {
            assertEquals(message, assertThrows(CorruptionException.class, () -> r.readAll(List.of())).getMessage());
        }
        try (FeatureSetReader r = store.read("track_factors")) {
            assertEquals(10, r.row(10).row()); // part 0 is intact and still readable
            int rowInPart1 = 450;
            assertEquals(message, assertThrows(CorruptionException.class, () -> r.row(rowInPart1)).getMessage());
        }
        try (FeatureSetReader r = store.read("track_factors")) {
            CorruptionException e = assertThrows(CorruptionException.class, () -> r.stream(List.of()).count());
            assertEquals(message, e.getMessage());
        }
    }

    @Test
    void aFlippedKeyIndexIsRefusedOnOpen() throws Exception {
        FeatureStore store = storeWithOneVersion();
        flip(file("keys.idx"), 4);
        CorruptionException e = assertThrows(CorruptionException.class, () -> store.read("track_factors"));
        assertTrue(e.getMessage().startsWith(file("keys.idx") + ": checksum mismatch: expected CRC32C "), e.getMessage());
    }

    @Test
    void aFlippedKeyIndexFailsAPointInTimeJoin() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        FeatureSetSchema schema = FeatureSetSchema.builder("events").entityKey("id", FeatureType.INT64)
                .eventTimestamp("ts").column("value", FeatureType.FLOAT32, "a value").build();
        try (FeatureSetWriter w = store.writer(schema, WriteOptions.producer("t"))) {
            w.append(Batch.builder(3).longs("id", new long[] {1, 2, 3}).timestamps("ts", new long[] {10, 20, 30})
                    .floats("value", new float[] {1, 2, 3}).build());
            w.commit();
        }
        PointInTimeJoin join = PointInTimeJoin.builder().feature(store, "events", "latest", null).build();
        assertEquals(0, join.join(new long[] {1}, new long[] {50}).rows(0)[0]);
        Path idx = dir.resolve("events/versions/v000001/keys.idx");
        flip(idx, 4);
        CorruptionException e = assertThrows(CorruptionException.class, () -> join.join(new long[] {1}, new long[] {50}));
        assertTrue(e.getMessage().startsWith(idx + ": checksum mismatch: expected CRC32C "), e.getMessage());
    }

    @Test
    void truncatedAndMissingPartsAreRefusedOnOpen() throws Exception {
        FeatureStore store = storeWithOneVersion();
        Path p = file("part-00002.arrow");
        long size = Files.size(p);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size - 10);
        }
        CorruptionException e = assertThrows(CorruptionException.class, () -> store.read("track_factors"));
        assertTrue(e.getMessage().contains(p + " is truncated: " + (size - 10) + " bytes on disk, manifest says " + size),
                e.getMessage());
        Files.delete(p);
        e = assertThrows(CorruptionException.class, () -> store.read("track_factors"));
        assertTrue(e.getMessage().contains(p + " is missing"), e.getMessage());
    }
}
