package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The README promises that {@code segue <command> --help} describes every command: check the whole tree. */
class HelpTest {
    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        List<List<String>> paths = new ArrayList<>();
        collect(SegueCli.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() > 20, "commands found: " + paths);
        for (List<String> path : paths) {
            CommandLine cli = SegueCli.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            int code = cli.execute(args.toArray(new String[0]));
            String name = String.join(" ", path);
            assertEquals(0, code, "segue " + name + " --help: " + err);
            assertTrue(out.toString().startsWith("Usage: segue"), "segue " + name + " --help printed: " + out + err);
        }
    }

    private static void collect(CommandLine cmd, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        for (var e : cmd.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            path.add(e.getKey());
            collect(e.getValue(), path, out);
            path.remove(path.size() - 1);
        }
    }
}
