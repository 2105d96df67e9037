package dev.segue.tools;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * The {@code segue} command line. Each module contributes its picocli commands; this class only assembles
 * them and sets the shared error conventions: a usage error prints one line and exits 2, a failure prints
 * one line (the stack trace only with {@code SEGUE_VERBOSE=1}) and exits 1.
 */
@Command(name = "segue",
        mixinStandardHelpOptions = true,
        versionProvider = SegueCli.Version.class,
        description = "Segue: an offline feature store and ANN serving index for music recommendation.",
        subcommands = {CommandLine.HelpCommand.class})
public final class SegueCli {

    /** Builds the full command tree. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SegueCli());
        CliCommands.register(cli);
        cli.setParameterExceptionHandler(new UsageErrors());
        cli.setExecutionExceptionHandler(new Failures());
        return cli;
    }

    public static void main(String[] args) {
        System.exit(execute(commandLine(), args));
    }

    /**
     * Runs the command line; a class missing at run time (picocli lets {@link Error}s through) becomes one line and
     * exit code 1 too. The likely case is {@code --runner=SparkRunner}: Beam's Spark runner expects Spark's own jars,
     * which {@code spark-submit} provides and {@code bin/segue} does not.
     */
    static int execute(CommandLine cli, String... args) {
        try {
            return cli.execute(args);
        } catch (NoClassDefFoundError e) {
            PrintWriter err = cli.getErr();
            String missing = String.valueOf(e.getMessage()).replace('/', '.');
            if (missing.startsWith("org.apache.spark.")) {
                err.println("segue: the Spark runner needs Spark's classes (" + missing + " is missing), which this"
                        + " command line does not bundle: submit the pipeline's main class with spark-submit (see"
                        + " pipelines/README.md)");
            } else {
                err.println("segue: a class is missing from the class path: " + missing);
            }
            if ("1".equals(System.getenv("SEGUE_VERBOSE"))) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        }
    }

    /** Bad options: one clear line, a hint, exit code 2. */
    static final class UsageErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("segue: " + e.getMessage());
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            return 2;
        }
    }

    /** Failures inside a command: one line naming the problem, exit code 1 (2 for invalid input). */
    static final class Failures implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
            PrintWriter err = cmd.getErr();
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            // The full name: "churn" alone would not say whether pipeline, train or bench churn failed.
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
            if ("1".equals(System.getenv("SEGUE_VERBOSE"))) {
                e.printStackTrace(err);
            }
            return e instanceof IllegalArgumentException ? 2 : 1;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SegueCli.class.getPackage().getImplementationVersion();
            return new String[] {"segue " + (v == null ? "development build" : v)};
        }
    }
}
