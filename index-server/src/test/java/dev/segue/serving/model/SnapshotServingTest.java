package dev.segue.serving.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.serving.TestData;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.store.CorruptionException;
import dev.segue.store.FeatureStore;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's side of the fault matrix: torn runs, mismatched pairs, corrupt reloads and reload races. */
class SnapshotServingTest {
    private static final List<String> SETS = List.of("track_factors", "track_stats", "title_embeddings");

    /** One complete run (snapshot written); returns the factor version. */
    private static String completeRun(Path store, long seed) {
        String run = FeatureStore.newRun();
        String v = new SyntheticCatalog(300, 8, 4, seed).writeTo(store, run);
        FeatureStore.open(store).commitRun(run, "test", SETS);
        return v;
    }

    /** A run that committed its sets and died before its snapshot. */
    private static String tornRun(Path store, long seed) throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return new SyntheticCatalog(300, 8, 4, seed).writeTo(store, p.pid() + "-dead");
    }

    @Test
    void aRunWithoutItsSnapshotIsNeitherServedNorReloaded(@TempDir Path store) throws Exception {
        String v1 = completeRun(store, 1);
        ModelManager models = TestData.manager(store);
        assertEquals(v1, models.current().dataVersion());
        String torn = tornRun(store, 2);
        assertEquals("v000002", torn);
        ModelManager.ReloadResult r = models.reload(null, BuildProgress.NONE, Cancellation.NEVER);
        assertFalse(r.changed(), "a reload during (or after the death of) a run stays on the complete snapshot");
        assertEquals(v1, models.current().dataVersion());
        assertEquals("v000001", models.current().info().titlesVersion());
        assertEquals(v1, TestData.loader(store).resolveVersion(null), "a restart serves it too");
        String v3 = completeRun(store, 3);
        r = models.reload(null, BuildProgress.NONE, Cancellation.NEVER);
        assertTrue(r.changed());
        assertEquals(v3, models.current().dataVersion());
        assertEquals("v000003", models.current().info().titlesVersion(), "titles from the same snapshot");
        assertEquals("v000003", models.current().info().statsVersion());
    }

    @Test
    void aMismatchedPairIsRefusedNamingBothVersions(@TempDir Path store) throws Exception {
        completeRun(store, 1);
        String v2 = completeRun(store, 2);
        StoreModelLoader pinned = new StoreModelLoader(store, null, TestData.PARAMS, 2, "v000001", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pinned.load(v2, BuildProgress.NONE, Cancellation.NEVER));
        assertEquals("title_embeddings v000001: title_embeddings v000001 was built from track_factors v000001, not "
                + "from track_factors v000002 being loaded; refusing to mix runs", e.getMessage());
    }

    @Test
    void aCorruptVersionOnReloadKeepsThePreviousOneServed(@TempDir Path store) throws Exception {
        String v1 = completeRun(store, 1);
        ModelManager models = TestData.manager(store);
        String v2 = completeRun(store, 2);
        Path part = store.resolve("track_factors/versions/" + v2 + "/part-00000.arrow");
        try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
            for (int i = 0; i < 16; i++) {
                f.seek(f.length() / 2 + i);
                int b = f.read();
                f.seek(f.length() / 2 + i);
                f.write(b ^ 0xff);
            }
        }
        CorruptionException e = assertThrows(CorruptionException.class,
                () -> models.reload(null, BuildProgress.NONE, Cancellation.NEVER));
        assertTrue(e.getMessage().startsWith(part + ": checksum mismatch: expected CRC32C "), e.getMessage());
        assertEquals(v1, models.current().dataVersion(), "still serving the previous version");
        Files.delete(part);
        e = assertThrows(CorruptionException.class, () -> models.reload(null, BuildProgress.NONE, Cancellation.NEVER));
        assertTrue(e.getMessage().contains(part + " is missing"), e.getMessage());
        assertEquals(v1, models.current().dataVersion());
    }

    @Test
    void aReloadThatLosesARaceRetriesWithTheNewestSnapshot(@TempDir Path store) throws Exception {
        String v1 = completeRun(store, 1);
        StoreModelLoader real = TestData.loader(store);
        AtomicBoolean armed = new AtomicBoolean();
        AtomicBoolean raced = new AtomicBoolean();
        // between resolving "latest" and reading it, a newer run completes and the resolved version disappears
        ModelLoader racing = new ModelLoader() {
            @Override
            public String resolveVersion(String requested) throws VersionNotFoundException {
                return real.resolveVersion(requested);
            }

            @Override
            public ServingModel load(String version, dev.segue.serving.index.BuildProgress progress,
                                     dev.segue.serving.index.Cancellation cancel) throws Exception {
                if (armed.get() && raced.compareAndSet(false, true)) {
                    completeRun(store, 3);
                    Files.delete(store.resolve("track_factors/versions/" + version + "/part-00000.arrow"));
                }
                return real.load(version, progress, cancel);
            }

            @Override
            public String source() {
                return real.source();
            }
        };
        ModelManager models = new ModelManager(racing);
        models.reload(null, BuildProgress.NONE, Cancellation.NEVER);
        assertEquals(v1, models.current().dataVersion());
        completeRun(store, 2);
        armed.set(true);
        ModelManager.ReloadResult r = models.reload(null, BuildProgress.NONE, Cancellation.NEVER);
        assertTrue(raced.get());
        assertTrue(r.changed());
        assertEquals("v000003", models.current().dataVersion(), "retried with the newest complete snapshot");
        assertEquals("v000003", models.current().info().titlesVersion());
    }

}
