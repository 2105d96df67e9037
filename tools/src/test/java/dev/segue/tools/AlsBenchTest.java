package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code segue bench als} on the tiny world: Segue's solver and Spark MLlib's ALS (a child JVM on the bench-spark
 * module's class path, built before this module) both fit the same matrix, and both beat the popularity floor on
 * the held-out tracks; bad options get one line and exit 2.
 */
class AlsBenchTest {
    private static final Pattern ROW = Pattern.compile("^(segue \\(in-memory solver\\)|spark mllib \\(local\\[2\\]\\)|"
            + "popularity \\(floor\\))\\s+.*?([\\d.]+)\\s+([\\d.]+)$", Pattern.MULTILINE);

    @BeforeAll
    static void home() {
        // Surefire runs in tools/; bin/segue sets segue.home to the checkout.
        if (System.getProperty("segue.home") == null) {
            System.setProperty("segue.home", Path.of("").toAbsolutePath().getParent().toString());
        }
    }

    @Test
    void segueAndSparkFitTheSameMatrixAndBothBeatPopularity() {
        assertTrue(Files.isRegularFile(Path.of(System.getProperty("segue.home"), "bench-spark", "target",
                "bench-spark.classpath")), "bench-spark must be built before tools (the reactor orders it)");
        String out = Segue.ok("bench", "als", "--mpd", TinyWorld.path("mpd"), "--factors", "8", "--iterations", "4",
                "--threads", "2", "--holdout-playlists", "100", "--k", "50", "--peer-heap", "512", "--quiet");
        Matcher m = ROW.matcher(out);
        double segue = Double.NaN;
        double spark = Double.NaN;
        double popularity = Double.NaN;
        while (m.find()) {
            double recall = Double.parseDouble(m.group(2));
            assertTrue(recall >= 0 && recall <= 1, m.group());
            switch (m.group(1).charAt(1)) {
                case 'e' -> segue = recall;
                case 'p' -> spark = recall;
                default -> popularity = recall;
            }
        }
        assertTrue(out.contains("segue vs spark: per iteration"), out);
        assertTrue(segue > popularity && spark > popularity, "recall@50 segue " + segue + ", spark " + spark
                + ", popularity " + popularity + " in:\n" + out);
    }

    @Test
    void withoutPeersOnlySegueRuns() {
        String out = Segue.ok("bench", "als", "--mpd", TinyWorld.path("mpd"), "--factors", "8", "--iterations", "2",
                "--peers", "none", "--holdout-playlists", "50", "--quiet");
        assertTrue(out.contains("segue (in-memory solver)") && !out.contains("spark mllib"), out);
    }

    @Test
    void badOptionsAreOneLine() {
        Segue.Result peers = Segue.run("bench", "als", "--mpd", TinyWorld.path("mpd"), "--peers", "implicit");
        assertEquals(2, peers.code(), peers.err());
        assertTrue(peers.err().contains("--peers must be none or spark, got 'implicit'"), peers.err());
        Segue.Result missing = Segue.run("bench", "als", "--mpd", "/nonexistent/mpd", "--peers", "none");
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("--mpd /nonexistent/mpd is not a folder"), missing.err());
        Segue.Result alpha = Segue.run("bench", "als", "--mpd", TinyWorld.path("mpd"), "--alpha", "-1");
        assertEquals(2, alpha.code(), alpha.err());
        assertTrue(alpha.err().contains("alpha must be a positive number"), alpha.err());
    }
}
