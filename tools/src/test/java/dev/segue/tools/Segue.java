package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs {@code segue ...} in this JVM as a user would, capturing what it prints and its exit code. */
final class Segue {
    record Result(int code, String out, String err) {}

    private Segue() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            // Before the command tree is built: nested subcommands keep the writers made at construction.
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            CommandLine cli = SegueCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            code = SegueCli.execute(cli, args);
            cli.getOut().flush();
            System.out.flush();
        } finally {
            System.setOut(stdout);
        }
        return new Result(code, out + captured.toString(StandardCharsets.UTF_8), err.toString());
    }

    /** Runs and requires exit code 0; returns everything printed on standard output. */
    static String ok(String... args) {
        Result r = run(args);
        assertEquals(0, r.code(), "segue " + String.join(" ", args) + ": " + r.err() + r.out());
        return r.out();
    }
}
