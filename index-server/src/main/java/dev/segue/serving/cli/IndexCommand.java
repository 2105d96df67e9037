package dev.segue.serving.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Parent of {@code segue index ...}: the serving index as a store artifact. */
@Command(name = "index", description = "The HNSW index of a store's track factors, kept as a store artifact.",
        mixinStandardHelpOptions = true, subcommands = IndexBuildCommand.class)
public final class IndexCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a subcommand: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
