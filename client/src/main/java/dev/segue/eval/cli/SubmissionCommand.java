package dev.segue.eval.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code segue submission ...}: tools for challenge submission files. */
@Command(name = "submission", mixinStandardHelpOptions = true, subcommands = {ValidateCommand.class},
        description = "Challenge submission files (team_info line, then pid and 500 track URIs per line).")
public final class SubmissionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a subcommand: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
