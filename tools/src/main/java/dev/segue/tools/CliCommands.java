package dev.segue.tools;

import picocli.CommandLine;

/** The one list of commands that make up {@code segue}; modules own the command classes. */
final class CliCommands {
    private CliCommands() {}

    static void register(CommandLine cli) {
        CommandLine bench = new CommandLine(new BenchCommand());
        cli.addSubcommand("bench", bench);
    }
}
