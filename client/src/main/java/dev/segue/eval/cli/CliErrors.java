package dev.segue.eval.cli;

import dev.segue.baselines.BaselineInputs;
import dev.segue.eval.BadInputException;
import dev.segue.eval.ServerSource;
import dev.segue.format.FormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;

/** The shared error convention of these commands: one line, exit 2 for bad input, 1 for failures. */
final class CliErrors {
    private CliErrors() {}

    static int run(String command, PrintWriter err, boolean verbose, Callable<Integer> body) {
        try {
            return body.call();
        } catch (NoSuchFileException e) {
            err.println("segue " + command + ": " + e.getFile() + ": "
                    + (e.getReason() == null ? "no such file" : e.getReason()));
            return 2;
        } catch (FormatException | BadInputException | BaselineInputs.MissingInputException e) {
            err.println("segue " + command + ": " + e.getMessage());
            trace(err, verbose, e);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("segue " + command + ": " + e.getMessage());
            trace(err, verbose, e);
            return 2;
        } catch (ServerSource.ServerUnavailableException e) {
            err.println("segue " + command + ": " + e.getMessage());
            trace(err, verbose, e);
            return 1;
        } catch (IOException e) {
            err.println("segue " + command + ": " + e.getMessage());
            trace(err, verbose, e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("segue " + command + ": interrupted");
            return 1;
        } catch (Exception e) {
            err.println("segue " + command + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            trace(err, verbose, e);
            return 1;
        }
    }

    private static void trace(PrintWriter err, boolean verbose, Exception e) {
        if (verbose || "1".equals(System.getenv("SEGUE_VERBOSE"))) {
            e.printStackTrace(err);
        }
    }
}
