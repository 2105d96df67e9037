package dev.segue.tools;

import dev.segue.churn.cli.ChurnBenchCommand;
import dev.segue.churn.cli.ChurnPipelineCommand;
import dev.segue.churn.cli.TrainCommand;
import dev.segue.client.cli.QueryCommand;
import dev.segue.eval.cli.BenchEvaluateCommand;
import dev.segue.eval.cli.EvaluateCommand;
import dev.segue.eval.cli.SubmissionCommand;
import dev.segue.generator.cli.ChallengeCommand;
import dev.segue.generator.cli.GenerateBenchCommand;
import dev.segue.generator.cli.GenerateCommand;
import dev.segue.generator.cli.OracleCommand;
import dev.segue.genre.cli.GenrePipelineCommand;
import dev.segue.pipelines.cli.PipelineCommand;
import dev.segue.serving.cli.AnnBenchCommand;
import dev.segue.serving.cli.IndexCommand;
import dev.segue.serving.cli.ServeBenchCommand;
import dev.segue.serving.cli.ServeCommand;
import dev.segue.store.cli.StoreBenchCommand;
import dev.segue.store.cli.StoreCommand;
import dev.segue.tools.als.AlsBenchCommand;
import dev.segue.tools.demo.DemoCommand;
import picocli.CommandLine;

/** The one list of commands that make up {@code segue}; modules own the command classes. */
final class CliCommands {
    private CliCommands() {}

    static void register(CommandLine cli) {
        cli.addSubcommand("demo", new DemoCommand());
        cli.addSubcommand("generate", new GenerateCommand());
        cli.addSubcommand("oracle", new OracleCommand());
        cli.addSubcommand("challenge", new ChallengeCommand());

        CommandLine pipeline = new CommandLine(new PipelineCommand());
        pipeline.addSubcommand("churn", new ChurnPipelineCommand());
        pipeline.addSubcommand("genre", new GenrePipelineCommand());
        cli.addSubcommand("pipeline", pipeline);
        cli.addSubcommand("train", new TrainCommand());

        cli.addSubcommand("store", new StoreCommand());
        cli.addSubcommand("index", new IndexCommand());
        cli.addSubcommand("serve", new ServeCommand());
        cli.addSubcommand("query", new QueryCommand());
        cli.addSubcommand("evaluate", new EvaluateCommand());
        cli.addSubcommand("submission", new SubmissionCommand());

        CommandLine bench = new CommandLine(new BenchCommand());
        bench.addSubcommand("generate", new GenerateBenchCommand());
        bench.addSubcommand("store", new StoreBenchCommand());
        bench.addSubcommand("ann", new AnnBenchCommand());
        bench.addSubcommand("serve", new ServeBenchCommand());
        bench.addSubcommand("evaluate", new BenchEvaluateCommand());
        bench.addSubcommand("churn", new ChurnBenchCommand());
        bench.addSubcommand("als", new AlsBenchCommand());
        bench.addSubcommand("pipeline", new dev.segue.tools.runners.PipelineBenchCommand());
        cli.addSubcommand("bench", bench);
    }
}
