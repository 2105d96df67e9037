package dev.segue.store.s3;

import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.Manifest;
import dev.segue.store.WriteOptions;
import dev.segue.store.hadoop.CrashingHdfsWriterMain;
import dev.segue.store.hadoop.PausingFileIO;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.segue.store.hadoop.HdfsStoreTest.eventBatch;
import static dev.segue.store.hadoop.HdfsStoreTest.events;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What the conditional PUT buys on S3: two writers of one feature set that want the same number get distinct
 * versions; a writer killed before its manifest leaves nothing visible.
 */
class ConcurrentS3WritersTest {
    /**
     * Two writers of one feature set that read the same highest version and so try to claim the same number: the
     * first claim's PUT wins, the second gets 412 and its writer takes the next number. The claims are ordered by
     * the test (the second waits until the first is written) because S3Mock evaluates {@code If-None-Match} before
     * it stores the object without a lock, so PUTs racing within the same milliseconds can both succeed there;
     * Amazon S3 applies the condition atomically (one 200, the others 412 or 409), which no local server reproduces.
     */
    @Test
    void twoWritersClaimingTheSameNumberGetDistinctVersionsAndBothAreReadable() throws Exception {
        String uri = S3StoreTest.root("concurrent");
        Location root = Location.of(uri);
        FeatureStore first = FeatureStore.open(uri);
        try (FeatureSetWriter w = first.writer(events(), WriteOptions.producer("first"))) {
            w.append(eventBatch(20, 5, 0));
            assertEquals("v000001", w.commit());
        }
        CyclicBarrier bothChoseANumber = new CyclicBarrier(2);
        CountDownLatch firstClaimed = new CountDownLatch(1);
        List<String> claims = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<String>> commits = new ArrayList<>();
        for (int writer = 0; writer < 2; writer++) {
            int me = writer;
            StoreFileIO io = new PausingFileIO(new S3FileIOProvider().open(root), 0) {
                private boolean ordered;

                @Override
                public boolean writeWhole(Location file, byte[] bytes, boolean replace) throws java.io.IOException {
                    if (!file.name().equals("_writer") || ordered) {
                        return super.writeWhole(file, bytes, replace);
                    }
                    ordered = true; // this writer's first claim: both have read the versions and picked a number
                    try {
                        bothChoseANumber.await(60, TimeUnit.SECONDS);
                        if (me == 1) {
                            firstClaimed.await(60, TimeUnit.SECONDS);
                        }
                        boolean won = super.writeWhole(file, bytes, replace);
                        claims.add("writer " + me + " " + file.parent().name() + " " + won);
                        return won;
                    } catch (InterruptedException | java.util.concurrent.BrokenBarrierException | java.util.concurrent.TimeoutException e) {
                        throw new java.io.IOException(e);
                    } finally {
                        if (me == 0) {
                            firstClaimed.countDown();
                        }
                    }
                }
            };
            commits.add(pool.submit(() -> {
                FeatureStore store = FeatureStore.open(io, root);
                try (FeatureSetWriter w = store.writer(events(), WriteOptions.producer("w" + me))) {
                    w.append(eventBatch(20, 5, (me + 1) * 1000));
                    return w.commit();
                }
            }));
        }
        String v0;
        String v1;
        try {
            v0 = commits.get(0).get(120, TimeUnit.SECONDS);
            v1 = commits.get(1).get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("writer 0 v000002 true", "writer 1 v000002 false"), claims, "the same number, one winner");
        assertEquals("v000002", v0);
        assertEquals("v000003", v1, "the loser took the next number");
        FeatureStore store = FeatureStore.open(uri);
        assertEquals(List.of("v000001", "v000002", "v000003"), store.versions("user_events").stream().map(Manifest::version).toList());
        for (int w = 0; w < 2; w++) {
            String v = w == 0 ? v0 : v1;
            try (FeatureSetReader r = store.read("user_events", v)) {
                assertEquals(20, r.rows());
                assertEquals((w + 1) * 1000, r.readAll("plays").ints("plays")[0], v + " holds its own writer's rows");
            }
            assertTrue(store.verify("user_events", v).ok(), v);
        }
        assertTrue(S3StoreTest.keys(uri).stream().noneMatch(k -> k.endsWith("/_writer") || k.contains("/_staging/")),
                "no claim or staging left: " + S3StoreTest.keys(uri));
    }

    @Test
    void aWriterKilledBeforeItsManifestLeavesNothingVisibleAndTheNextCommitWorks() throws Exception {
        String uri = S3StoreTest.root("killed");
        List<String> cmd = new ArrayList<>();
        cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens")) cmd.add(a);
        }
        cmd.add("-Xmx256m");
        cmd.addAll(S3Mock.childProperties());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashingHdfsWriterMain.class.getName()); // finds the root's file IO by scheme: S3FileIO here
        cmd.add(uri);
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.startsWith("committed ") && !line.startsWith("manifest-next ")) {
                    continue; // the child's logging, if any
                }
                lines.add(line);
                if (line.startsWith("manifest-next ")) {
                    child.toHandle().destroyForcibly(); // SIGKILL between the parts and the manifest
                    break;
                }
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(List.of("committed v000001", "manifest-next v000002"), lines);

        List<String> keys = S3StoreTest.keys(uri);
        assertTrue(keys.contains("user_events/versions/v000002/part-00004.arrow"), "the killed writer's parts are in place: " + keys);
        assertTrue(keys.contains("user_events/versions/v000002/keys.idx"));
        assertTrue(keys.contains("user_events/versions/v000002/_writer"));
        assertFalse(keys.contains("user_events/versions/v000002/manifest.json"));
        FeatureStore store = FeatureStore.open(uri);
        assertEquals(List.of("v000001"), store.versions("user_events").stream().map(Manifest::version).toList(),
                "the half-written version is invisible");
        try (FeatureSetReader r = store.read("user_events")) {
            assertEquals("v000001", r.manifest().version());
            assertEquals(1000, r.rows());
            assertEquals(0, r.readAll("plays").ints("plays")[0], "the first version's rows");
        }
        String next;
        try (FeatureSetWriter w = store.writer(events(), WriteOptions.producer("after"))) {
            w.append(eventBatch(10, 10, 5));
            next = w.commit();
        }
        assertEquals("v000003", next, "the next writer skips the dead writer's number");
        assertTrue(store.verify("user_events", next).ok());
        assertTrue(store.gc("user_events", 5).stagingRemoved() >= 1, "gc removes the dead writer's unfinished version");
        assertTrue(S3StoreTest.keys(uri).stream().noneMatch(k -> k.contains("/v000002/")), S3StoreTest.keys(uri).toString());
        assertEquals(List.of("v000001", "v000003"), store.versions("user_events").stream().map(Manifest::version).toList());
    }
}
