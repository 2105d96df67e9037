package dev.segue.genre;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segue.pipelines.spark.SparkTesting;
import dev.segue.pipelines.testing.StoreAgreement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The genre pipeline on Spark ({@code local[2]}) writes the feature set the DirectRunner writes: the same tracks,
 * the same standardised values (to 1e-12 relative: both fit passes sum exactly), the same dead letters.
 */
class GenreOnSparkTest {
    @TempDir
    Path dir;

    @Test
    void sparkWritesWhatTheDirectRunnerWrites() throws Exception {
        Path audio = dir.resolve("tracks.csv");
        Files.write(audio, SparkTesting.audioLines(240));
        GenrePipeline.Report direct = GenrePipeline.run(options(audio, "direct", List.of("--targetParallelism=2",
                "--enforceImmutability=false", "--enforceEncodability=false")));
        GenrePipeline.Report spark = GenrePipeline.run(options(audio, "spark", SparkTesting.local()));

        assertEquals(240, spark.rows());
        assertEquals(direct.rows(), spark.rows());
        assertEquals(direct.deadLetters(), spark.deadLetters());
        assertEquals(direct.standardization().toParameters(), spark.standardization().toParameters());
        assertEquals(Files.readAllLines(dir.resolve("direct-report/dead-letters.csv")).stream().sorted().toList(),
                Files.readAllLines(dir.resolve("spark-report/dead-letters.csv")).stream().sorted().toList());
        StoreAgreement.assertSameRows(dir.resolve("direct"), dir.resolve("spark"), GenreSchemas.NAME,
                List.of(GenreSchemas.TRACK_URI), 1e-12);
    }

    private GenreOptions options(Path audio, String name, List<String> runner) {
        List<String> args = new ArrayList<>(List.of("--audio=" + audio, "--store=" + dir.resolve(name),
                "--reportDir=" + dir.resolve(name + "-report"), "--splitBytes=4096", "--audioShards=3"));
        args.addAll(runner);
        return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(GenreOptions.class);
    }
}
