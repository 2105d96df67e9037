package dev.segue.pipelines.continuation;

import dev.segue.pipelines.ranker.RankerAgreement;
import dev.segue.pipelines.spark.SparkTesting;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continuation and ranker pipelines on the DirectRunner and on Spark ({@code local[2]}), as
 * {@code RunnersAgreeTest} does for Flink, with the same checks ({@link ContinuationAgreement},
 * {@link RankerAgreement}).
 */
class ContinuationOnSparkTest {
    @TempDir
    Path tmp;

    @Test
    void sparkWritesWhatTheDirectRunnerWritesForBothPipelines() throws Exception {
        ContinuationAgreement.World world = ContinuationAgreement.world(tmp);
        Path direct = tmp.resolve("direct");
        ContinuationAgreement.runDirect(world, direct);
        ContinuationAgreement.runAndAssertAgrees(world, direct, tmp.resolve("spark"), tmp.resolve("spark-temp"),
                SparkTesting.local().toArray(new String[0]));
        // the ranker pipeline on copies of the DirectRunner's store
        RankerAgreement.runAndAssertAgrees(world.mpd(), direct, tmp, SparkTesting.local().toArray(new String[0]));
    }
}
