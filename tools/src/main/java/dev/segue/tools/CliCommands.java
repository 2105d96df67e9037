package dev.segue.tools;

import dev.segue.generator.cli.ChallengeCommand;
import dev.segue.generator.cli.GenerateBenchCommand;
import dev.segue.generator.cli.GenerateCommand;
import dev.segue.generator.cli.OracleCommand;
import dev.segue.store.cli.StoreBenchCommand;
import dev.segue.store.cli.StoreCommand;
import picocli.CommandLine;

/** The one list of commands that make up {@code segue}; modules own the command classes. */
final class CliCommands {
    private CliCommands() {}

    static void register(CommandLine cli) {
        cli.addSubcommand("generate", new GenerateCommand());
        cli.addSubcommand("oracle", new OracleCommand());
        cli.addSubcommand("challenge", new ChallengeCommand());
        cli.addSubcommand("store", new StoreCommand());

        CommandLine bench = new CommandLine(new BenchCommand());
        bench.addSubcommand("generate", new GenerateBenchCommand());
        bench.addSubcommand("store", new StoreBenchCommand());
        cli.addSubcommand("bench", bench);
    }
}
