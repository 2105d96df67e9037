package dev.segue.pipelines.continuation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.pipelines.quality.HoldoutRPrecision;
import dev.segue.pipelines.ranker.RankerAgreement;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continuation and ranker pipelines on the DirectRunner and on an embedded Flink cluster: the same feature sets
 * ({@link ContinuationAgreement}, {@link RankerAgreement}); the held-out quality must beat popularity.
 */
class RunnersAgreeTest {
    @TempDir
    Path tmp;

    @Test
    void directAndFlinkAgreeOnBothPipelinesAndBeatPopularity() throws Exception {
        ContinuationAgreement.World world = ContinuationAgreement.world(tmp);
        Path direct = tmp.resolve("direct");
        ContinuationAgreement.runDirect(world, direct);
        HoldoutRPrecision.Result d = HoldoutRPrecision.fromStore(direct).evaluate(world.cases());
        assertTrue(d.foldIn() >= 2 * d.popularity(), "fold-in " + d.foldIn() + " vs popularity " + d.popularity());
        assertTrue(d.title() > d.titlePopularity(), "title " + d.title() + " vs popularity " + d.titlePopularity());
        assertTrue(d.titleCases() > 50, "titled cases: " + d.titleCases());

        ContinuationAgreement.runAndAssertAgrees(world, direct, tmp.resolve("flink"), tmp.resolve("flink-temp"),
                "--runner=FlinkRunner", "--parallelism=2",
                // Flink's batch (DataSet) optimizer walks every path of the plan: exponential in unrolled iterations.
                "--streaming=true");
        // the ranker pipeline on copies of the DirectRunner's store
        RankerAgreement.runAndAssertAgrees(world.mpd(), direct, tmp, "--runner=FlinkRunner", "--parallelism=2");
    }
}
