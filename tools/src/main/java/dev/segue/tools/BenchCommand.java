package dev.segue.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Parent of the {@code segue bench ...} benchmark commands; each subcommand prints medians and the machine. */
@Command(name = "bench", description = "Benchmarks: report medians on this machine.",
        mixinStandardHelpOptions = true)
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a benchmark: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
