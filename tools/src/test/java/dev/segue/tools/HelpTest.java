package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README promises that {@code segue <command> --help} describes every command: check the whole tree, and that
 * help prints nothing on stderr (picocli formats help texts, and an unescaped {@code %} makes it print
 * "[picocli WARN] Could not format ..." above the usage).
 */
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

    /**
     * picocli's warnings go to the System.err it saw when its tracer was created, so this runs every
     * {@code --help} in a child JVM and reads that JVM's stderr, as a user's terminal would show it.
     */
    @Test
    void helpPrintsNoWarnings() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens")) { // not --add-modules: its incubator notice would be on stderr
                cmd.add(a);
            }
        }
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EveryHelp.class.getName());
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "child JVM timed out");
        assertEquals(0, p.exitValue(), err);
        assertEquals("", err.strip(), "--help printed on stderr (escape % as %% in descriptions)");
    }

    /** Child JVM of {@link #helpPrintsNoWarnings}: every command's help to a discarded stream; exit 1 on a failure. */
    static final class EveryHelp {
        public static void main(String[] args) {
            List<List<String>> paths = new ArrayList<>();
            collect(SegueCli.commandLine(), new ArrayList<>(), paths);
            int failures = 0;
            for (List<String> path : paths) {
                CommandLine cli = SegueCli.commandLine();
                cli.setOut(new PrintWriter(OutputStream.nullOutputStream(), true));
                List<String> a = new ArrayList<>(path);
                a.add("--help");
                if (cli.execute(a.toArray(new String[0])) != 0) {
                    failures++;
                }
            }
            System.exit(failures == 0 ? 0 : 1);
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
