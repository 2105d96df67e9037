package dev.segue.pipelines.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code segue pipeline}: runs a Beam pipeline in this JVM (DirectRunner by default) or submits it to the runner
 * named with {@code --runner}. Subcommands: one per pipeline; add new ones to the list below.
 */
@Command(name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "Run a Beam pipeline (DirectRunner by default; --runner=FlinkRunner|SparkRunner for clusters).",
        subcommands = {
            ContinuationCommand.class,
            RankerCommand.class,
        })
public final class PipelineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** A standalone entry point with the same error conventions as {@code segue}. */
    public static void main(String[] args) {
        dev.segue.cli.CliConvention.main(new PipelineCommand(), args);
    }
}
