package dev.segue.pipelines.continuation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * Which runs keep every iteration's factor files: a runner that may recompute a finished step (Spark re-reads an
 * earlier iteration's file when it recomputes an uncached partition) keeps them until the run ends; the
 * DirectRunner, which runs each step once, deletes each side's previous version; {@code --keepFactorFiles} wins.
 */
class FactorFileRetentionTest {
    private static ContinuationOptions options(String... args) {
        return PipelineOptionsFactory.fromArgs(args).as(ContinuationOptions.class);
    }

    @Test
    void directRunnerPrunesAndRecomputingRunnersKeep() {
        assertFalse(ContinuationPipeline.keepFactorFiles(options("--runner=DirectRunner")));
        assertTrue(ContinuationPipeline.keepFactorFiles(options("--runner=FlinkRunner")));
        assertTrue(ContinuationPipeline.alsConfig(options("--runner=FlinkRunner")).keepFactorVersions());
        assertFalse(ContinuationPipeline.alsConfig(options("--runner=DirectRunner")).keepFactorVersions());
    }

    @Test
    void theOptionWins() {
        assertFalse(ContinuationPipeline.keepFactorFiles(options("--runner=FlinkRunner", "--keepFactorFiles=false")));
        assertTrue(ContinuationPipeline.keepFactorFiles(options("--runner=DirectRunner", "--keepFactorFiles=true")));
    }
}
