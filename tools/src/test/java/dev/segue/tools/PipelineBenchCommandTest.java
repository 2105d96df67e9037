package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segue bench pipeline}'s input checks, before any run or cluster starts: one line each, exit 2. (The runs
 * themselves start a Flink cluster and Spark; they are measured, not unit-tested: docs/benchmarks.md.)
 */
class PipelineBenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void badInputIsOneLineBeforeAnythingStarts() throws Exception {
        Path mpd = Files.createDirectories(dir.resolve("mpd"));
        Segue.Result unknown = Segue.run("bench", "pipeline", "--mpd", mpd.toString(), "--runners", "direct,storm");
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().startsWith("segue bench pipeline: --runners: unknown runner 'storm'"), unknown.err());

        Segue.Result noMpd = Segue.run("bench", "pipeline", "--mpd", dir.resolve("nowhere").toString(), "--runners", "direct");
        assertEquals(2, noMpd.code(), noMpd.err());
        assertEquals("segue bench pipeline: --mpd " + dir.resolve("nowhere") + ": no such folder", noMpd.err().strip());

        Path jar = dir.resolve("none-bundled.jar");
        Segue.Result noJar = Segue.run("bench", "pipeline", "--mpd", mpd.toString(), "--runners", "flink-cluster",
                "--bundled-jar", jar.toString(), "--workdir", dir.resolve("w").toString());
        assertEquals(2, noJar.code(), noJar.err());
        assertTrue(noJar.err().contains("no " + jar) && noJar.err().contains("-Pbundle"), noJar.err());

        Path cp = dir.resolve("spark.classpath");
        Segue.Result noSpark = Segue.run("bench", "pipeline", "--mpd", mpd.toString(), "--runners", "spark-local",
                "--spark-classpath", cp.toString());
        assertEquals(2, noSpark.code(), noSpark.err());
        assertTrue(noSpark.err().contains("no " + cp), noSpark.err());

        Segue.Result zero = Segue.run("bench", "pipeline", "--mpd", mpd.toString(), "--runs", "0");
        assertEquals(2, zero.code(), zero.err());
        for (Segue.Result r : new Segue.Result[] {unknown, noMpd, noJar, noSpark, zero}) {
            assertEquals(1, r.err().strip().split("\n").length, r.err());
        }
        assertTrue(!Files.exists(dir.resolve("w")), "nothing is created before the inputs are checked");
    }
}
