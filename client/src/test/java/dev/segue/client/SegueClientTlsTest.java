package dev.segue.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.testing.TlsTesting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a trusted CA file and a bearer token, over a real loopback socket (grpc-testing's test certificates). */
class SegueClientTlsTest {
    @TempDir
    Path dir;

    private Path copy(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = TlsTesting.loadCert(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void tlsWithTrustedCertificateAndToken() throws Exception {
        FakeRecommender fake = new FakeRecommender();
        Server server = Grpc.newServerBuilderForPort(0,
                        TlsServerCredentials.create(copy("server1.pem").toFile(), copy("server1.key").toFile()))
                .addService(ServerInterceptors.intercept(fake, fake.recordAuthorization())).build().start();
        try (SegueClient client = SegueClient.forTarget("localhost:" + server.getPort())
                .tls(copy("ca.pem")).overrideAuthority("foo.test.google.fr")
                .bearerToken("tok").deadline(Duration.ofSeconds(5)).build()) {
            assertEquals("v1", client.status().getDataVersion());
            assertEquals("Bearer tok", fake.authorizations.get(0));
        }
        // without trusting the CA the handshake fails: UNAVAILABLE, after the configured retries
        try (SegueClient untrusted = SegueClient.forTarget("localhost:" + server.getPort())
                .tls(copy("server0.pem")).overrideAuthority("foo.test.google.fr")
                .retries(2, Duration.ofMillis(5), Duration.ofMillis(10), 2).deadline(Duration.ofSeconds(5)).build()) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, untrusted::status);
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            fake.shutdown();
        }
        assertThrows(IOException.class,
                () -> SegueClient.forTarget("localhost:1").tls(dir.resolve("missing.pem")).build());
    }
}
