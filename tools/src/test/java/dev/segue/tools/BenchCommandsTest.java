package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's benchmark commands run end to end at toy sizes and print their headline figures (the real
 * figures come from the same commands at their default sizes).
 */
class BenchCommandsTest {
    @TempDir
    Path tmp;

    private static String run(String... args) {
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
            code = cli.execute(args);
            cli.getOut().flush();
            System.out.flush();
        } finally {
            System.setOut(stdout);
        }
        String all = out + captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, String.join(" ", args) + ": " + err + all);
        return all;
    }

    @Test
    void storeBenchmarkReportsEverySection() {
        String out = run("bench", "store", "--rows", "20000", "--join-rows", "20000", "--join-keys", "2000",
                "--reps", "1", "--lookups", "100", "--dir", tmp.resolve("store").toString());
        for (String section : new String[] {"write zstd", "scan  none", "open + load key index", "random lookups",
            "point-in-time join"}) {
            assertTrue(out.contains(section), "missing '" + section + "' in:\n" + out);
        }
    }

    @Test
    void annBenchmarkReportsRecallAndSpeedAgainstTheExactScan() {
        String out = run("bench", "ann", "--synthetic", "3000", "--queries", "20", "--ef", "50", "--ef-factor",
                "1", "--passes", "1");
        assertTrue(out.contains("recall@500") && out.contains("x exact"), out);
    }

    @Test
    void generateBenchmarkReportsTheMedian() {
        String out = run("bench", "generate", "--playlists", "300", "--runs", "1", "--dir", tmp.resolve("gen").toString());
        assertTrue(out.contains("median"), out);
    }
}
