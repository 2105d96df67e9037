package dev.segue.genre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.store.FeatureStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone Spark master nobody listens at: one line naming the address, before any Spark context or store run
 * exists, so a store that held a version keeps exactly that version (nothing partial becomes visible).
 */
class UnreachableSparkMasterTest {
    @TempDir
    Path dir;

    @Test
    void oneLineNamesTheMasterAndTheStoreIsUntouched() throws Exception {
        Path audio = dir.resolve("tracks.csv");
        Files.write(audio, dev.segue.pipelines.spark.SparkTesting.audioLines(40));
        Path store = dir.resolve("store");
        GenrePipeline.run(PipelineOptionsFactory.fromArgs("--audio=" + audio, "--store=" + store,
                "--reportDir=" + dir.resolve("report")).as(GenreOptions.class));
        String before = FeatureStore.open(store).latest(GenreSchemas.NAME).version();
        List<String> filesBefore;
        try (var s = Files.walk(store)) {
            filesBefore = s.map(Path::toString).sorted().toList();
        }

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String master = "spark://127.0.0.1:" + port;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GenrePipeline.run(
                PipelineOptionsFactory.fromArgs("--audio=" + audio, "--store=" + store, "--reportDir=" + dir.resolve("report"),
                        "--runner=SparkRunner", "--sparkMaster=" + master).as(GenreOptions.class)));
        assertTrue(e.getMessage().startsWith("cannot reach the Spark master at " + master), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertEquals(before, FeatureStore.open(store).latest(GenreSchemas.NAME).version());
        try (var s = Files.walk(store)) {
            assertEquals(filesBefore, s.map(Path::toString).sorted().toList(), "the store changed");
        }
    }
}
