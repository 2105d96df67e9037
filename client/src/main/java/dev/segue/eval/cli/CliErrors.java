package dev.segue.eval.cli;

import dev.segue.cli.CliConvention;
import dev.segue.format.FormatException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Runs a command body under the shared error convention ({@link CliConvention}): one line that starts with the
 * command's full name, exit 2 for bad input (including a malformed challenge, truth or submission file), 1 for
 * failures such as an unreachable server.
 */
final class CliErrors {
    private CliErrors() {}

    static int run(String command, PrintWriter err, boolean verbose, Callable<Integer> body) {
        try {
            return body.call();
        } catch (Exception e) {
            return CliConvention.report(err, "segue " + command, e, verbose, List.of(FormatException.class));
        }
    }
}
