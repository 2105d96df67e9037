package dev.segue.tools;

import static dev.segue.tools.BenchCommandsTest.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's pipeline options are checked before any pipeline runs: a bad value is one line naming it, exit
 * code 2, and nothing is written to the store. (The pipelines themselves run in CI's demo and in
 * {@link TrainCommandsTest}.)
 */
class PipelineOptionsTest {
    @TempDir
    Path tmp;

    private void rejected(String expected, String... args) {
        Segue.Result r = Segue.run(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err() + r.out());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertOneLine(r.err());
        assertFalse(Files.exists(tmp.resolve("store")), "a rejected command wrote to the store");
    }

    @Test
    void continuationOptionsAreValidatedFirst() {
        String mpd = TinyWorld.path("mpd");
        String store = tmp.resolve("store").toString();
        rejected("factors must be in 1..4096, got 0", "pipeline", "continuation", "--mpd", mpd, "--store", store,
                "--factors", "0");
        rejected("iterations", "pipeline", "continuation", "--mpd", mpd, "--store", store, "--iterations", "0");
        rejected("alpha must be a positive number", "pipeline", "continuation", "--mpd", mpd, "--store", store,
                "--alpha", "-1");
        rejected("regularization must be a positive number", "pipeline", "continuation", "--mpd", mpd, "--store",
                store, "--regularization", "0");
        rejected("unexpected argument 'stray'", "pipeline", "continuation", "--mpd", mpd, "--store", store, "stray");
        rejected("no such folder or file", "pipeline", "continuation", "--mpd", tmp.resolve("nowhere").toString(),
                "--store", store);
    }

    @Test
    void churnOptionsAreValidatedFirst() {
        String logs = TinyWorld.path("logs");
        String store = tmp.resolve("store").toString();
        rejected("--ratings-factors must not be negative", "pipeline", "churn", "--logs", logs, "--store", store,
                "--ratings-factors", "-1");
        rejected("iterations must be at least 1", "pipeline", "churn", "--logs", logs, "--store", store,
                "--ratings-factors", "4", "--ratings-iterations", "0");
        rejected("--snapshots: not a valid date: '2017-99-01'", "pipeline", "churn", "--logs", logs, "--store",
                store, "--snapshots", "2017-99-01");
        rejected("not a folder", "pipeline", "churn", "--logs", tmp.resolve("nowhere").toString(), "--store", store);
        rejected("Missing required option", "pipeline", "genre", "--store", store);
    }
}
