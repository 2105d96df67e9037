package dev.segue.tools;

import static dev.segue.tools.BenchCommandsTest.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.store.FeatureStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's genre commands through {@code segue}: {@code pipeline genre} on a tiny generated world's audio
 * features, then {@code train genre} on that store, and its refusals of bad options and stores.
 */
class GenreCommandsTest {
    @TempDir
    Path dir;

    @Test
    void trainGenreBeatsTheMajorityClassAndWritesItsReport() throws Exception {
        Path store = dir.resolve("store");
        Segue.ok("pipeline", "genre", "--audio", TinyWorld.path("audio/tracks.csv"), "--store", store.toString());
        assertTrue(FeatureStore.open(store).list().contains("track_genre_features"),
                "feature sets: " + FeatureStore.open(store).list());

        Path report = dir.resolve("report");
        String out = Segue.ok("train", "genre", "--store", store.toString(), "--out", report.toString(),
                "--trees", "10");
        assertTrue(out.startsWith("genre: ") && out.contains("labelled tracks"), out);
        double majority = accuracyOf(out, "majority");
        double best = 0;
        for (String line : out.split("\n")) {
            if (line.contains("accuracy") && !line.contains("majority")) {
                best = Math.max(best, Double.parseDouble(line.replaceAll(".*accuracy ([0-9.]+).*", "$1")));
            }
        }
        assertTrue(best > majority, "a classifier beats the majority class: " + out);
        assertTrue(Files.isRegularFile(report.resolve("genre-metrics.json")), "no genre-metrics.json");
        assertTrue(Files.isRegularFile(report.resolve("genre-summary.md")), "no genre-summary.md");

        Segue.Result badFraction = Segue.run("train", "genre", "--store", store.toString(), "--test-fraction", "1.5");
        assertTrue(badFraction.code() != 0 && badFraction.err().contains("--test-fraction must be in (0, 1)"),
                badFraction.err());
        assertOneLine(badFraction.err());

        Segue.Result noStore = Segue.run("train", "genre", "--store", dir.resolve("nowhere").toString());
        assertTrue(noStore.code() != 0 && noStore.err().contains("nowhere"), noStore.err());
        assertOneLine(noStore.err());
    }

    /** The README's way onto Flink: Beam options after the command's own; here Flink's embedded local cluster. */
    @Test
    void beamOptionsPassThroughToTheFlinkRunner() throws Exception {
        Path store = dir.resolve("flink-store");
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream(); // slf4j-simple writes to the current System.err
        String out;
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            out = Segue.ok("pipeline", "genre", "--audio", TinyWorld.path("audio/tracks.csv"), "--store",
                    store.toString(), "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=1");
        } finally {
            System.setErr(stderr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("Executing pipeline using FlinkRunner"), "not run by Flink:\n" + logged);
        assertTrue(FeatureStore.open(store).list().contains("track_genre_features"), out);
    }

    /**
     * The README sends Beam options such as {@code --runner=SparkRunner} through {@code segue pipeline}; Spark's own
     * classes are not bundled (spark-submit provides them), so the command must say so in one line instead of
     * dying with a NoClassDefFoundError stack trace.
     */
    @Test
    void sparkRunnerWithoutSparkOnTheClassPathIsOneClearLine() {
        Path store = dir.resolve("spark-store");
        Segue.Result r = Segue.run("pipeline", "genre", "--audio", TinyWorld.path("audio/tracks.csv"), "--store",
                store.toString(), "--runner=SparkRunner");
        assertEquals(1, r.code(), r.err() + r.out());
        assertTrue(r.err().contains("Spark runner needs Spark's classes") && r.err().contains("spark-submit"),
                r.err());
        assertOneLine(r.err());
    }

    private static double accuracyOf(String out, String model) {
        for (String line : out.split("\n")) {
            if (line.contains(model) && line.contains("accuracy")) {
                return Double.parseDouble(line.replaceAll(".*accuracy ([0-9.]+).*", "$1"));
            }
        }
        throw new AssertionError("no " + model + " line in: " + out);
    }
}
