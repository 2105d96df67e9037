package dev.segue.tools.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.serving.bench.SyntheticCatalog;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the demo's shutdown hook does on Ctrl-C / SIGTERM: the index server child drains and exits. */
class StageRunnerTest {
    @TempDir
    Path dir;

    @Test
    void stopAllTerminatesTheServerChildAndWaitsForItsDrain() throws Exception {
        Path store = dir.resolve("store");
        new SyntheticCatalog(200, 8, 4, 1).writeTo(store);
        StageRunner stages = new StageRunner(dir.resolve("logs"), new PrintStream(OutputStream.nullOutputStream()),
                false, 1);
        Process server = stages.start("index server", List.of("serve", "--store", store.toString(), "--port", "0",
                "--build-threads", "1"));
        Path log = stages.logOf("index server");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains("segue serve: SERVING") && System.nanoTime() < deadline) {
            assertTrue(server.isAlive(), "segue serve exited: " + Files.readString(log));
            Thread.sleep(100);
        }
        assertTrue(Files.readString(log).contains("segue serve: SERVING"), Files.readString(log));
        assertFalse(stages.stopping());

        stages.stopAll(Duration.ofSeconds(20));

        assertTrue(stages.stopping());
        assertFalse(server.isAlive(), "stopAll returns only once the server is gone");
        assertTrue(Files.readString(log).contains("segue serve: shutting down, draining in-flight requests"),
                Files.readString(log));
    }
}
