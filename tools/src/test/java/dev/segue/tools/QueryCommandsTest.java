package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.segue.serving.bench.SyntheticCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and the bearer token through the command line on both sides: {@code segue serve --tls-cert --tls-key
 * --token-file} in a child JVM, {@code segue query ... --tls-ca --token-file} in this one.
 */
class QueryCommandsTest {
    private static final Pattern LISTENING = Pattern.compile("segue serve: listening on [^:]+:(\\d+) \\(TLS, bearer token\\)");

    @TempDir
    Path dir;
    private Thread reader;

    @Test
    void tlsAndTokenThroughTheCliOnBothSides() throws Exception {
        Path store = dir.resolve("store");
        new SyntheticCatalog(300, 8, 4, 1).writeTo(store);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSignedCertificate(cert, key);
        Path token = Files.writeString(dir.resolve("token"), "s3cret-token\n");
        Path wrong = Files.writeString(dir.resolve("wrong-token"), "guess\n");

        List<String> output = new ArrayList<>();
        Process serve = serve(List.of("serve", "--store", store.toString(), "--port", "0", "--build-threads", "1",
                "--tls-cert", cert.toString(), "--tls-key", key.toString(), "--token-file", token.toString()), output);
        try {
            int port = awaitPort(serve, output);
            String server = "localhost:" + port;
            Segue.Result status = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                status = Segue.run("query", "status", "--server", server, "--tls-ca", cert.toString(),
                        "--token-file", token.toString(), "--deadline-ms", "2000");
                if (status.code() == 0) {
                    break;
                }
                assertTrue(serve.isAlive(), "segue serve exited: " + output(output));
                Thread.sleep(200);
            }
            assertEquals(0, status.code(), status.err() + output(output));
            assertTrue(status.out().contains("items         300 tracks x 8 dimensions"), status.out());

            String continued = Segue.ok("query", "continue", "--server", server, "--tls-ca", cert.toString(),
                    "--token-file", token.toString(), "--title", "g1 mix", "--k", "5");
            assertTrue(continued.startsWith("strategy TITLE, data version v000001, 5 tracks"), continued);

            Segue.Result rejected = Segue.run("query", "status", "--server", server, "--tls-ca", cert.toString(),
                    "--token-file", wrong.toString());
            assertNotEquals(0, rejected.code());
            assertEquals("segue query status: UNAUTHENTICATED: invalid bearer token", rejected.err().strip());
            assertEquals("", rejected.out());
        } finally {
            // SIGTERM, as Process.destroy() sends, but through the handle: Process.destroy() also closes our end
            // of the output pipe at once, so the server's draining line would be lost
            serve.toHandle().destroy();
            boolean exited = serve.waitFor(30, TimeUnit.SECONDS);
            if (!exited) {
                serve.destroyForcibly();
            }
            assertTrue(exited, "segue serve did not exit on SIGTERM: " + output(output));
        }
        reader.join(10_000); // the last lines may still be in the pipe
        assertEquals(143, serve.exitValue(), "128 + SIGTERM, after the shutdown hook" + output(output));
        synchronized (output) {
            // Log lines carry a time stamp and level before the command's name.
            assertTrue(output.stream().anyMatch(l -> l.endsWith(" INFO  segue serve: shutting down, draining in-flight requests")),
                    output(output));
        }
    }

    /** {@code segue serve ...} in a child JVM: this JVM's java, class path and module flags; output collected. */
    private Process serve(List<String> args, List<String> output) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-modules")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SegueCli.class.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (output) {
                        output.add(line);
                        output.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "serve-output");
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    /** The port from the server's "listening on" line. */
    private static int awaitPort(Process serve, List<String> output) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (output) {
            while (System.nanoTime() < deadline) {
                for (String line : output) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
                if (!serve.isAlive()) {
                    break;
                }
                output.wait(200);
            }
        }
        fail("segue serve never said where it listens: " + output(output));
        return -1;
    }

    private static String output(List<String> output) {
        synchronized (output) {
            return "\n--- segue serve output ---\n" + String.join("\n", output);
        }
    }

    /** A throwaway self-signed certificate for localhost, made with openssl at test time. */
    private static void selfSignedCertificate(Path cert, Path key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "openssl failed: " + out);
    }
}
