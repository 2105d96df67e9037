package dev.segue.cli;

import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one error convention of every Segue command line ({@code segue} and the modules' stand-alone mains).
 *
 * <ul>
 *   <li>An error is one line on stderr that starts with the command's full name:
 *       {@code segue store verify: --store /tmp/x is not a folder (no store there)}.</li>
 *   <li>Bad input exits 2: option and parameter errors, missing files, invalid data (an
 *       {@link IllegalArgumentException}, a {@link NoSuchFileException}, or a class named at {@link #install}).
 *       Everything else exits 1.</li>
 *   <li>A mistyped subcommand or option gets picocli's suggestions ("Did you mean: segue store?").</li>
 *   <li>No stack traces, unless {@code SEGUE_VERBOSE=1} or the command has a {@code --verbose} option that was given.</li>
 *   <li>{@code --version} prints the program version on every command; data versions are {@code --data-version}.</li>
 * </ul>
 *
 * It lives in featurestore because that is the lowest module every command line depends on and that has picocli
 * (proto, below it, carries only the contracts).
 */
public final class CliConvention {
    /** Exit code of bad input (usage errors, missing files, invalid data). */
    public static final int BAD_INPUT = 2;
    /** Exit code of any other failure. */
    public static final int FAILURE = 1;

    private CliConvention() {}

    /**
     * Sets the convention on {@code root} and every subcommand below it (call after all subcommands are added):
     * the two exception handlers, and a {@code --version} option on every command that lacks one.
     *
     * @param alsoBadInput further exception types that mean invalid input (e.g. a file-format exception)
     */
    @SafeVarargs
    public static CommandLine install(CommandLine root, Class<? extends Throwable>... alsoBadInput) {
        List<Class<? extends Throwable>> extra = List.of(alsoBadInput);
        root.setParameterExceptionHandler(new UsageErrors());
        root.setExecutionExceptionHandler(new Failures(extra));
        CommandLine.IVersionProvider version = new ProgramVersion();
        addVersionOption(root, version);
        return root;
    }

    /** Runs a stand-alone main with the convention and exits with its code. */
    public static void main(Object command, String... args) {
        System.exit(install(new CommandLine(command)).execute(args));
    }

    /** Whether {@code e} (or the exception it wraps) is bad input rather than a failure. */
    public static boolean isBadInput(Throwable e, List<Class<? extends Throwable>> alsoBadInput) {
        Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof IllegalArgumentException || t instanceof ParameterException
                || t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
            return true;
        }
        for (Class<? extends Throwable> c : alsoBadInput) {
            if (c.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The one-line message of {@code e}: what went wrong, naming the file where there is one. */
    public static String message(Throwable e) {
        Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof NoSuchFileException nsf) {
            return nsf.getFile() + ": " + (nsf.getReason() == null ? "no such file" : nsf.getReason());
        }
        if (t instanceof InterruptedException) {
            return "interrupted";
        }
        return t.getMessage() == null || t.getMessage().isBlank() ? t.toString() : t.getMessage();
    }

    /**
     * Prints {@code e} the conventional way for the command named {@code commandName} (full name, e.g.
     * {@code segue evaluate compare}) and returns its exit code; for commands that catch their own failures.
     */
    public static int report(PrintWriter err, String commandName, Throwable e, boolean verbose,
                             List<Class<? extends Throwable>> alsoBadInput) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        err.println(commandName + ": " + message(e));
        if (verbose || verboseFromEnvironment()) {
            e.printStackTrace(err);
        }
        err.flush();
        return isBadInput(e, alsoBadInput) ? BAD_INPUT : FAILURE;
    }

    static boolean verboseFromEnvironment() {
        return "1".equals(System.getenv("SEGUE_VERBOSE"));
    }

    private static void addVersionOption(CommandLine cmd, CommandLine.IVersionProvider version) {
        CommandSpec spec = cmd.getCommandSpec();
        if (spec.findOption("--version") == null) {
            spec.addOption(OptionSpec.builder("--version").versionHelp(true)
                    .description("Print the program version and exit.").build());
        }
        if (spec.versionProvider() == null && spec.version().length == 0) {
            spec.versionProvider(version);
        }
        for (CommandLine sub : cmd.getSubcommands().values()) {
            addVersionOption(sub, version); // idempotent: aliases reach the same CommandLine twice
        }
    }

    /**
     * Parameter errors, from parsing or from a command's own checks: the one line, then for a typo picocli's
     * suggestions and for a missing or unknown argument a pointer to --help; exit 2.
     */
    static final class UsageErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            String name = cmd.getCommandSpec().qualifiedName();
            err.println(name + ": " + message(e));
            if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                // picocli's own printSuggestions names a subcommand by the name it had before it was nested.
                List<String> names = u.getSuggestions().stream()
                        .map(x -> cmd.getSubcommands().containsKey(x) ? name + " " + x : x).toList();
                err.println("Did you mean: " + String.join(" or ", names) + "?");
            }
            if (e instanceof UnmatchedArgumentException || e instanceof MissingParameterException) {
                err.println("Try '" + name + " --help' for usage.");
            }
            err.flush();
            return BAD_INPUT;
        }
    }

    /** Failures inside a command: one line, exit 2 for bad input and 1 otherwise. */
    static final class Failures implements IExecutionExceptionHandler {
        private final List<Class<? extends Throwable>> alsoBadInput;

        Failures(List<Class<? extends Throwable>> alsoBadInput) {
            this.alsoBadInput = alsoBadInput;
        }

        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
            CommandLine.ParseResult leaf = parsed;
            while (leaf.subcommand() != null) {
                leaf = leaf.subcommand();
            }
            boolean verbose = leaf.hasMatchedOption("--verbose");
            return report(cmd.getErr(), cmd.getCommandSpec().qualifiedName(), e, verbose, alsoBadInput);
        }
    }

    /**
     * The program's version: the Maven version recorded in the featurestore jar (all modules share one version),
     * or "development build" when run from compiled classes.
     */
    static final class ProgramVersion implements CommandLine.IVersionProvider {
        static final String POM_PROPERTIES = "/META-INF/maven/dev.segue/segue-featurestore/pom.properties";

        @Override
        public String[] getVersion() {
            return new String[] {"segue " + programVersion()};
        }
    }

    /** The Maven version of this build, or "development build". */
    public static String programVersion() {
        try (java.io.InputStream in = CliConvention.class.getResourceAsStream(ProgramVersion.POM_PROPERTIES)) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
        } catch (java.io.IOException e) {
            // fall through: no readable version
        }
        String v = CliConvention.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
