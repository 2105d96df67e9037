package dev.segue.store.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One real S3 server for the tests of this module: Adobe's S3Mock (a Spring Boot S3 implementation that honours
 * {@code If-None-Match: *}) started as a separate JVM on the class path {@code s3-test-server} resolved
 * ({@code -Dsegue.s3mock.classpath}), so its Spring Boot, Jackson and AWS SDK never meet this module's. Started on
 * first use, stopped when the test JVM exits. Sets this JVM's {@code segue.s3.endpoint}, region and credentials.
 */
final class S3Mock {
    static final String ACCESS_KEY = "segue-test";
    static final String SECRET_KEY = "segue-test-secret";
    private static String endpoint;
    private static S3Client client;
    private static IllegalStateException failure;

    private S3Mock() {
    }

    /** The server's endpoint, {@code http://127.0.0.1:PORT}. */
    static synchronized String endpoint() throws Exception {
        if (endpoint != null) {
            return endpoint;
        }
        if (failure != null) {
            throw failure; // started once per JVM, failed once per JVM
        }
        String cpFile = System.getProperty("segue.s3mock.classpath");
        if (cpFile == null || !Files.isRegularFile(Path.of(cpFile))) {
            throw new IllegalStateException("S3Mock's class path file " + cpFile + " is missing: build s3-test-server first "
                    + "(mvn -o install -pl s3-test-server)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = Files.createTempDirectory("segue-s3mock");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dhttp.port=" + port, "-Dserver.port=0", "-Dserver.address=127.0.0.1",
                "-Dcom.adobe.testing.s3mock.store.root=" + data,
                "-Dcom.adobe.testing.s3mock.store.retainFilesOnExit=false",
                "-Dspring.main.banner-mode=off", "-Dlogging.level.root=WARN",
                "-cp", Files.readString(Path.of(cpFile)).trim(),
                "com.adobe.testing.s3mock.S3MockApplication"));
        // through a shell that stops the server when its stdin closes: when this JVM exits, however it exits
        // (surefire may halt it), the pipe closes and the server goes too
        List<String> sh = new ArrayList<>(List.of("/bin/sh", "-c",
                "\"$@\" & pid=$!; trap 'kill $pid 2>/dev/null' EXIT INT TERM; cat > /dev/null; kill $pid; wait $pid", "s3mock"));
        sh.addAll(cmd);
        Process p = new ProcessBuilder(sh).redirectErrorStream(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                p.getOutputStream().close();
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException ignored) {
                // exiting anyway
            }
            p.destroyForcibly();
        }));
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        if (log.length() < 20_000) {
                            log.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException ignored) {
                // the server went away
            }
        }, "s3mock-log");
        reader.setDaemon(true);
        reader.start();
        // ready when its HTTP connector answers (it opens last, once the application is up)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!answers(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                synchronized (log) {
                    failure = new IllegalStateException("S3Mock did not start" + (p.isAlive() ? " in 180 s" : "") + ":\n" + log);
                }
                throw failure;
            }
            Thread.sleep(200);
        }
        String e = "http://127.0.0.1:" + port;
        System.setProperty("segue.s3.endpoint", e);
        System.setProperty("segue.s3.region", "us-east-1");
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        client = S3Client.builder().endpointOverride(URI.create(e)).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))).build();
        endpoint = e;
        return e;
    }

    private static boolean answers(int port) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            c.getResponseCode(); // any answer (S3Mock lists buckets at /)
            c.disconnect();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A raw client of the server (to make buckets and look at objects). */
    static S3Client client() throws Exception {
        endpoint();
        return client;
    }

    /** A new bucket with a fresh name. */
    static String bucket(String prefix) throws Exception {
        String name = prefix + "-" + Long.toHexString(System.nanoTime());
        client().createBucket(b -> b.bucket(name));
        return name;
    }

    /** The system properties a child JVM needs to reach the server as this JVM does. */
    static List<String> childProperties() throws Exception {
        endpoint();
        List<String> out = new ArrayList<>();
        for (String k : List.of("segue.s3.endpoint", "segue.s3.region", "aws.accessKeyId", "aws.secretAccessKey")) {
            out.add("-D" + k + "=" + System.getProperty(k));
        }
        return out;
    }
}
