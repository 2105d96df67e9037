package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.store.FeatureStore;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code segue serve} on a store it must not serve: one line naming the file or versions, and the exit code. */
class ServeStoreErrorsTest {
    private static final List<String> SETS = List.of("track_factors", "track_stats", "title_embeddings");

    @TempDir
    Path dir;

    private static String completeRun(Path store, long seed) {
        String run = FeatureStore.newRun();
        String v = new SyntheticCatalog(200, 8, 4, seed).writeTo(store, run);
        FeatureStore.open(store).commitRun(run, "test", SETS);
        return v;
    }

    private static void assertOneLine(Segue.Result r, int code, String... parts) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("segue serve: "), r.err());
        assertTrue(!r.err().contains("Exception"), r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "missing '" + p + "' in " + r.err());
        }
    }

    @Test
    void aCorruptPartIsExit1NamingTheFileAndBothChecksums() throws Exception {
        Path store = dir.resolve("store");
        String v = completeRun(store, 1);
        Path part = store.resolve("track_factors/versions/" + v + "/part-00000.arrow");
        try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x10);
        }
        Segue.Result r = Segue.run("serve", "--store", store.toString(), "--port", "0", "--build-threads", "1");
        assertOneLine(r, 1, part + ": checksum mismatch: expected CRC32C ", "(manifest), actual ");
    }

    @Test
    void aMismatchedPinnedPairIsExit2NamingBothVersions() {
        Path store = dir.resolve("store");
        completeRun(store, 1);
        completeRun(store, 2);
        Segue.Result r = Segue.run("serve", "--store", store.toString(), "--port", "0", "--build-threads", "1",
                "--titles-version", "v000001");
        assertOneLine(r, 2, "title_embeddings v000001 was built from track_factors v000001, not from track_factors "
                + "v000002 being loaded");
    }

    @Test
    void aStoreWithOnlyAnUnfinishedRunIsExit2() throws Exception {
        Path store = dir.resolve("store");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        new SyntheticCatalog(200, 8, 4, 1).writeTo(store, gone.pid() + "-killed");
        Segue.Result r = Segue.run("serve", "--store", store.toString(), "--port", "0");
        assertOneLine(r, 2, "feature set 'track_factors' has no complete version", "v000001");
    }
}
