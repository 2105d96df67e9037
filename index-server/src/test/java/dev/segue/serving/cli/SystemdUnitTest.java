package dev.segue.serving.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped unit file passes {@code systemd-analyze verify} (skipped where systemd is not installed). The unit
 * names the installed launcher, /opt/segue/bin/segue; the check points it at this checkout's bin/segue, which
 * systemd requires to exist. A unit with its ExecStart removed must fail, so the check is a real one.
 */
class SystemdUnitTest {
    static final Path UNIT = Path.of("deploy/segue-serve.service");

    record Result(int exit, String output) {}

    static Result verify(Path unit) throws Exception {
        Process p = new ProcessBuilder("systemd-analyze", "verify", "--man=no", unit.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze took over a minute");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theUnitFileVerifies(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");
        String text = Files.readString(UNIT);
        assertTrue(text.contains("ExecStart=/opt/segue/bin/segue serve"), "the unit runs segue serve");
        assertTrue(text.contains("--admin-token-file") && text.contains("--metrics-port"), "roles and metrics");
        Path launcher = Path.of("../bin/segue").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(launcher), launcher.toString());
        Path local = Files.writeString(dir.resolve("segue-serve.service"),
                text.replace("/opt/segue/bin/segue", launcher.toString()));
        Result ok = verify(local);
        assertEquals(0, ok.exit(), ok.output());
        assertEquals("", ok.output().strip(), "no warnings");

        Path broken = Files.writeString(dir.resolve("broken.service"),
                text.replaceAll("(?m)^ExecStart=[^\\n]*(\\\\\\n[^\\n]*)*\\n", ""));
        assertNotEquals(0, verify(broken).exit(), "a unit without ExecStart is refused");
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
