package dev.segue.pipelines.testing;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;

/**
 * Beam's {@link TestPipeline} for JUnit 5 tests. TestPipeline is a JUnit 4 {@code @Rule}; without the rule its
 * {@code run()} refuses to start, so the run enforcement is switched on here instead. {@code run()} then runs the
 * pipeline to completion, rethrows a failed {@code PAssert} as its {@link AssertionError} and checks that every
 * {@code PAssert} of the pipeline ran and succeeded.
 */
public final class TestPipelines {
    private TestPipelines() {}

    /** A TestPipeline on the DirectRunner with these extra options (e.g. {@code --targetParallelism=2}). */
    public static TestPipeline direct(String... options) {
        List<String> args = new ArrayList<>(List.of("--runner=DirectRunner"));
        args.addAll(List.of(options));
        return TestPipeline.fromOptions(PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create())
                .enableAbandonedNodeEnforcement(true);
    }

    /** {@link #direct} without the DirectRunner's immutability and encodability checks (large array elements). */
    public static TestPipeline directUnchecked(String... options) {
        List<String> args = new ArrayList<>(List.of("--enforceImmutability=false", "--enforceEncodability=false"));
        args.addAll(List.of(options));
        return direct(args.toArray(new String[0]));
    }
}
