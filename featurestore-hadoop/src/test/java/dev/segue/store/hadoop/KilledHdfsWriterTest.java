package dev.segue.store.hadoop;

import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.GcResult;
import dev.segue.store.Manifest;
import dev.segue.store.WriteOptions;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A writer process killed with SIGKILL after its parts are in the version folder and before its manifest (the
 * last, single write) leaves the previous version latest and the half-written one invisible; the next commit works.
 */
class KilledHdfsWriterTest {
    @Test
    void aWriterKilledBeforeItsManifestLeavesNothingVisibleAndTheNextCommitWorks() throws Exception {
        String uri = MiniHdfs.uri() + "/killed-" + UUID.randomUUID();
        List<String> cmd = new ArrayList<>();
        cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens")) cmd.add(a);
        }
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashingHdfsWriterMain.class.getName());
        cmd.add(uri);
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        String paused = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("manifest-next ")) {
                    paused = line.substring("manifest-next ".length());
                    child.toHandle().destroyForcibly(); // SIGKILL between the parts and the manifest
                    break;
                }
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(List.of("committed v000001", "manifest-next v000002"), lines);

        FeatureStore store = FeatureStore.open(uri);
        FileSystem fs = ((HadoopFileIO) store.io()).fileSystem();
        Path half = new Path(uri + "/user_events/versions/v000002");
        assertTrue(fs.exists(new Path(half, "part-00004.arrow")), "the killed writer's parts are in place");
        assertTrue(fs.exists(new Path(half, "keys.idx")));
        assertFalse(fs.exists(new Path(half, "manifest.json")));
        assertEquals(List.of("v000001"), store.versions("user_events").stream().map(Manifest::version).toList(),
                "the half-written version is invisible");
        assertEquals("v000001", store.latest("user_events").version());
        try (FeatureSetReader r = store.read("user_events")) {
            assertEquals(1000, r.rows());
            assertEquals(0, r.readAll("plays").ints("plays")[0], "the first version's rows");
        }

        String next;
        try (FeatureSetWriter w = store.writer(HdfsStoreTest.events(), WriteOptions.producer("after"))) {
            w.append(HdfsStoreTest.eventBatch(10, 10, 5));
            next = w.commit();
        }
        assertEquals("v000003", next, "the next writer skips the dead writer's number");
        assertEquals(next, store.latest("user_events").version());
        assertTrue(store.verify("user_events", next).ok());

        GcResult gc = store.gc("user_events", 5);
        assertEquals(2, gc.stagingRemoved(), "gc removes the dead writer's unfinished version folder and its emptied staging folder");
        assertFalse(fs.exists(half));
        assertEquals(List.of("v000001", "v000003"), store.versions("user_events").stream().map(Manifest::version).toList());
        assertNotNull(paused);
    }
}
