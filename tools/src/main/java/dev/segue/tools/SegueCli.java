package dev.segue.tools;

import dev.segue.cli.CliConvention;
import dev.segue.format.FormatException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code segue} command line. Each module contributes its picocli commands; this class only assembles
 * them and applies the shared error convention, {@link CliConvention}: one line that starts with the
 * command's full name, exit 2 for bad input and 1 otherwise, suggestions for typos, {@code --version} everywhere.
 */
@Command(name = "segue",
        mixinStandardHelpOptions = true,
        description = "Segue: an offline feature store and ANN serving index for music recommendation.",
        subcommands = {CommandLine.HelpCommand.class})
public final class SegueCli {

    /** Builds the full command tree. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SegueCli());
        CliCommands.register(cli);
        // A malformed MPD / challenge / truth file is invalid input (exit 2), like an IllegalArgumentException.
        return CliConvention.install(cli, FormatException.class);
    }

    public static void main(String[] args) {
        System.exit(execute(commandLine(), args));
    }

    /**
     * Runs the command line; a class missing at run time (picocli lets {@link Error}s through) becomes one line and
     * exit code 1 too. The likely case is {@code --runner=SparkRunner}: Beam's Spark runner expects Spark's own jars,
     * which {@code spark-submit} provides and {@code bin/segue} only with {@code SEGUE_EXTRA_CLASSPATH} (the pipelines
     * check this first, {@code RunnerCheck}; this is the fallback for a Spark class missing later).
     */
    static int execute(CommandLine cli, String... args) {
        try {
            return cli.execute(args);
        } catch (NoClassDefFoundError e) {
            PrintWriter err = cli.getErr();
            String missing = String.valueOf(e.getMessage()).replace('/', '.');
            if (missing.startsWith("org.apache.spark.")) {
                err.println("segue: " + dev.segue.pipelines.RunnerCheck.SPARK_CLASSES_HINT + " (" + missing + " is missing)");
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
}
