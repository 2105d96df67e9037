package dev.segue.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.RecommenderGrpc;
import dev.segue.api.v1.StatusRequest;
import dev.segue.serving.TestData;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.model.ModelManager;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sockets (Netty): loopback binding, message-size limit, TLS and the bearer token. */
class SecurityTest {
    @TempDir
    static Path dir;
    static ModelManager models;

    @BeforeAll
    static void data() throws Exception {
        Path store = dir.resolve("store");
        new SyntheticCatalog(300, 8, 4, 1).writeTo(store);
        models = TestData.manager(store);
    }

    static RecommenderGrpc.RecommenderBlockingStub stub(ManagedChannel ch, String token) {
        RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(ch)
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        if (token == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(AccessControl.AUTHORIZATION, "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Test
    void bindsToLoopbackByDefaultAndLimitsMessageSize() throws Exception {
        Limits small = new Limits(500, 10, 1000, 1000, 256, 10_000, 2048, 2, 1000, 2);
        try (SegueServer server = SegueServer.start(ServerConfig.defaults().withPort(0).withLimits(small), models)) {
            assertEquals(1, server.listenAddresses().size());
            InetSocketAddress address = (InetSocketAddress) server.listenAddresses().get(0);
            assertTrue(address.getAddress().isLoopbackAddress(), address.toString());
            ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                assertEquals("v000001", stub(ch, null).status(StatusRequest.getDefaultInstance()).getDataVersion());
                ContinueRequest huge = ContinueRequest.newBuilder()
                        .addAllSeedTrackUris(Collections.nCopies(200, "spotify:track:0123456789")).build();
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub(ch, null).continue_(huge));
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void tlsWithBearerTokenAcceptsTheRightTokenOnly() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSignedCertificate(cert, key);
        ServerConfig config = ServerConfig.defaults().withPort(0).withTls(cert, key).withBearerToken("s3cret-token");
        try (SegueServer server = SegueServer.start(config, models)) {
            ChannelCredentials tls = TlsChannelCredentials.newBuilder().trustManager(cert.toFile()).build();
            ManagedChannel secure = Grpc.newChannelBuilderForAddress("localhost", server.port(), tls).build();
            ManagedChannel plain = Grpc.newChannelBuilderForAddress("localhost", server.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                assertEquals(3, stub(secure, "s3cret-token").continue_(ContinueRequest.newBuilder().setK(3)
                        .addSeedTrackUris(SyntheticCatalog.trackUri(1)).build()).getTracksCount());
                StatusRuntimeException wrong = assertThrows(StatusRuntimeException.class,
                        () -> stub(secure, "guess").status(StatusRequest.getDefaultInstance()));
                assertEquals(Status.Code.UNAUTHENTICATED, wrong.getStatus().getCode());
                assertEquals("invalid bearer token", wrong.getStatus().getDescription());
                StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                        () -> stub(secure, null).status(StatusRequest.getDefaultInstance()));
                assertEquals(Status.Code.UNAUTHENTICATED, missing.getStatus().getCode());
                assertTrue(missing.getStatus().getDescription().contains("Bearer <token>"));
                // Health checking needs no token: load balancers and Kubernetes gRPC probes send no headers.
                assertEquals(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING,
                        HealthGrpc.newBlockingStub(secure).check(HealthCheckRequest.getDefaultInstance()).getStatus());
                StatusRuntimeException clear = assertThrows(StatusRuntimeException.class,
                        () -> stub(plain, "s3cret-token").status(StatusRequest.getDefaultInstance()));
                assertEquals(Status.Code.UNAVAILABLE, clear.getStatus().getCode(), "plaintext cannot talk to TLS");
            } finally {
                secure.shutdownNow();
                plain.shutdownNow();
            }
        }
    }

    @Test
    void missingTlsFilesAreAClearError() {
        ServerConfig config = ServerConfig.defaults().withPort(0).withTls(dir.resolve("nope.pem"), dir.resolve("k.pem"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SegueServer.start(config, models));
        assertTrue(e.getMessage().contains("nope.pem"));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withTls(dir.resolve("a"), null));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withBearerToken(" "));
    }

    /** A throwaway self-signed certificate for localhost, made with openssl at test time. */
    static void selfSignedCertificate(Path cert, Path key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "openssl failed: " + output);
    }
}
