package dev.segue.churn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The churn pipeline and the ratings ALS on Spark ({@code local[2]}): the churn sets equal the plain-Java reference
 * ({@link ChurnReference}, as on the DirectRunner, to 1e-9) and the DirectRunner's run row for row; the user and
 * song factors of {@link RatingsAls} agree with the DirectRunner's within 1e-5, with the same loss history.
 */
class ChurnOnSparkTest {
    @TempDir
    Path dir;

    @Test
    void churnAndRatingsFactorsOnSparkEqualTheDirectRunners() throws Exception {
        Path logs = dir.resolve("logs");
        TinyLogs.write(logs, 300, 11);
        Path direct = dir.resolve("direct");
        Path spark = dir.resolve("spark");
        ChurnPipeline.run(churn(logs, direct, List.of("--targetParallelism=2",
                "--enforceImmutability=false", "--enforceEncodability=false")));
        ChurnPipeline.run(churn(logs, spark, SparkTesting.local()));

        ChurnReference ref = ChurnReference.compute(logs, List.of(TinyLogs.SNAPSHOT), 30, 14);
        assertTrue(ChurnPipelineTest.assertFeaturesEqual(spark, ref) > 1000);
        ChurnPipelineTest.assertLabelsEqual(ChurnPipelineTest.readAll(spark, ChurnSchemas.LABELS), ref);
        StoreAgreement.assertSameRows(direct, spark, ChurnSchemas.FEATURES, 1e-9);
        StoreAgreement.assertSameRows(direct, spark, ChurnSchemas.LABELS, 0);
        StoreAgreement.assertSameRows(direct, spark, ChurnSchemas.RATINGS, List.of(ChurnSchemas.UID, ChurnSchemas.SONG_ID),
                1e-9);
        assertEquals(Files.readAllLines(dir.resolve("direct-report/dead-letters.csv")).stream().sorted().toList(),
                Files.readAllLines(dir.resolve("spark-report/dead-letters.csv")).stream().sorted().toList());

        RatingsAls.Result rd = RatingsAls.run(ratings(direct, List.of("--targetParallelism=2",
                "--enforceImmutability=false", "--enforceEncodability=false")));
        RatingsAls.Result rs = RatingsAls.run(ratings(spark, SparkTesting.local()));
        assertEquals(rd.users(), rs.users());
        assertEquals(rd.songs(), rs.songs());
        assertArrayEquals(rd.lossHistory(), rs.lossHistory());
        StoreAgreement.assertSameRows(direct, spark, RatingsAls.USER_FACTORS, 1e-5);
        StoreAgreement.assertSameRows(direct, spark, RatingsAls.SONG_FACTORS, 1e-5);
    }

    private ChurnOptions churn(Path logs, Path store, List<String> runner) {
        List<String> args = new ArrayList<>(List.of("--logs=" + logs, "--store=" + store, "--userShards=3",
                "--reportDir=" + store.resolveSibling(store.getFileName() + "-report")));
        args.addAll(runner);
        return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(ChurnOptions.class);
    }

    private static RatingsAlsOptions ratings(Path store, List<String> runner) {
        List<String> args = new ArrayList<>(List.of("--store=" + store, "--ratingsFactors=16", "--ratingsIterations=3",
                "--ratingsBlockRows=64"));
        args.addAll(runner);
        return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(RatingsAlsOptions.class);
    }
}
