package dev.segue.serving.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandsTest {
    record Run(int exit, String out, String err) {}

    static Run run(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        PrintStream previous = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = cli.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(previous);
        }
    }

    @Test
    void serveRejectsBadOptionsWithUsageErrors(@TempDir Path dir) throws Exception {
        Run noStore = run(new ServeCommand());
        assertEquals(2, noStore.exit());
        assertTrue(noStore.err().contains("--store"), noStore.err());
        Run halfTls = run(new ServeCommand(), "--store", dir.toString(), "--tls-cert", "c.pem");
        assertEquals(2, halfTls.exit());
        assertTrue(halfTls.err().contains("--tls-cert and --tls-key go together"), halfTls.err());
        Path empty = Files.writeString(dir.resolve("token"), "  \n");
        Run emptyToken = run(new ServeCommand(), "--store", dir.toString(), "--token-file", empty.toString());
        assertEquals(2, emptyToken.exit());
        assertTrue(emptyToken.err().contains("is empty"), emptyToken.err());
        Run badM = run(new ServeCommand(), "--store", dir.toString(), "--m", "1");
        assertEquals(2, badM.exit());
        assertTrue(badM.err().contains("M must be in 2..256"), badM.err());
        Run unsetEnv = run(new ServeCommand(), "--store", dir.toString(), "--token-env", "SEGUE_TEST_UNSET_VAR_42");
        assertEquals(2, unsetEnv.exit());
        Run emptyAdmin = run(new ServeCommand(), "--store", dir.toString(), "--admin-token-file", empty.toString());
        assertEquals(2, emptyAdmin.exit());
        assertTrue(emptyAdmin.err().contains("--admin-token-file " + empty + " is empty"), emptyAdmin.err());
        Path admin = Files.writeString(dir.resolve("admin"), "root-ish\n");
        Run both = run(new ServeCommand(), "--store", dir.toString(), "--admin-token-file", admin.toString(),
                "--allow-unauthenticated-reload");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("contradict"), both.err());
        Run sameTokens = run(new ServeCommand(), "--store", dir.toString(), "--admin-token-file", admin.toString(),
                "--token-file", admin.toString());
        assertEquals(2, sameTokens.exit());
        assertTrue(sameTokens.err().contains("the admin token must differ from the client token"), sameTokens.err());
        Run badLog = run(new ServeCommand(), "--store", dir.toString(), "--access-log", "xml");
        assertEquals(2, badLog.exit());
        assertTrue(badLog.err().contains("--access-log") && badLog.err().contains("off, plain, json"), badLog.err());
        Run badMetrics = run(new ServeCommand(), "--store", dir.toString(), "--metrics-port", "70000");
        assertEquals(2, badMetrics.exit());
        assertTrue(badMetrics.err().contains("--metrics-port must be in 0..65535, got 70000"), badMetrics.err());
        Run noFactors = run(new ServeCommand(), "--store", dir.toString(), "--port", "0");
        assertTrue(noFactors.exit() != 0);
    }

    @Test
    void benchAnnRunsEndToEndOnASmallSyntheticSet() {
        Run r = run(new AnnBenchCommand(), "--synthetic", "600", "--dim", "8", "--queries", "5", "--passes", "1",
                "--m", "8", "--ef-construction", "40", "--ef", "10,50", "--ef-factor", "1,2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("recall@10"), r.out());
        assertTrue(r.out().contains("recall@500"), r.out());
        assertTrue(r.out().contains("build:") && r.out().contains("save:") && r.out().contains("heap:"), r.out());
        Run both = run(new AnnBenchCommand(), "--synthetic", "600", "--store", "x");
        assertEquals(2, both.exit());
    }

    @Test
    void benchServeRunsEndToEndOnASmallSyntheticSet() {
        Run r = run(new ServeBenchCommand(), "--synthetic", "500", "--dim", "8", "--seconds", "1", "--warmup", "0",
                "--rate", "20", "--similar-rate", "40", "--k", "20", "--seeds", "3", "--m", "8",
                "--ef-construction", "40");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Continue k=20"), r.out());
        assertTrue(r.out().contains("errors 0"), r.out());
        assertTrue(r.out().contains("p99"), r.out());
        // each open-loop run says how late its callers woke and what the JVM did meanwhile (JIT, GC)
        assertTrue(r.out().contains("caller woke late ms p50"), r.out());
        assertTrue(r.out().contains("JVM meanwhile: JIT compiling"), r.out());
    }

    @Test
    void benchServeMeasuresTheCostOfTelemetryOnTwoServersInTurn() {
        Run r = run(new ServeBenchCommand(), "--synthetic", "500", "--dim", "8", "--seconds", "1", "--warmup", "0",
                "--similar-rate", "40", "--k", "20", "--seeds", "3", "--m", "8", "--ef-construction", "40",
                "--telemetry-cost", "1");
        assertEquals(0, r.exit(), r.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Continue back to back (\\d+) \\+ (\\d+) calls, "
                + "mean [0-9.]+ ms off, [0-9.]+ ms on: throughput [-+][0-9.]+ %").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Integer.parseInt(m.group(1)) > 0 && Integer.parseInt(m.group(2)) > 0, r.out());
        m = java.util.regex.Pattern.compile("meanwhile: (\\d+) access-log lines").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Integer.parseInt(m.group(1)) > 0, "the 'on' server wrote its access log: " + r.out());
        Run bad = run(new ServeBenchCommand(), "--synthetic", "500", "--telemetry-cost", "-1");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--telemetry-cost >= 0"), bad.err());
    }
}
