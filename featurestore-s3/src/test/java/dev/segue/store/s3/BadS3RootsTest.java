package dev.segue.store.s3;

import com.sun.net.httpserver.HttpServer;
import dev.segue.store.FeatureStore;
import dev.segue.store.StoreException;
import dev.segue.store.io.Location;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** A missing bucket, an unreachable endpoint, denied access, a root without a bucket: one line each, naming it. */
class BadS3RootsTest {
    static void oneLine(StoreException e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("\tat "), e.getMessage());
    }

    @Test
    void aMissingBucketFailsInOneLineNamingIt() throws Exception {
        String endpoint = S3Mock.endpoint();
        StoreException e = assertThrows(StoreException.class, () -> FeatureStore.open("s3://no-such-bucket-segue/store"));
        assertEquals("store s3://no-such-bucket-segue/store: the bucket 'no-such-bucket-segue' does not exist at " + endpoint, e.getMessage());
        oneLine(e);
    }

    @Test
    void anUnreachableEndpointFailsInOneLineNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        S3Config c = new S3Config(URI.create("http://127.0.0.1:" + port), true, "us-east-1", 2);
        long t0 = System.nanoTime();
        StoreException e = assertThrows(StoreException.class, () -> S3FileIOProvider.open(Location.of("s3://bucket/store"), c));
        assertTrue(e.getMessage().startsWith("store s3://bucket/store: cannot reach the S3 endpoint http://127.0.0.1:" + port + " ("),
                e.getMessage());
        oneLine(e);
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "fails within seconds");
    }

    @Test
    void deniedAccessFailsInOneLineNamingTheBucketAndEndpoint() throws Exception {
        // an endpoint that refuses every request as S3 does for wrong credentials
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                    + "<Message>Access Denied</Message></Error>").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/xml");
            if (x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(403, -1);
            } else {
                x.sendResponseHeaders(403, body.length);
                x.getResponseBody().write(body);
            }
            x.close();
        });
        server.start();
        try {
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
            S3Config c = new S3Config(URI.create(endpoint), true, "us-east-1", 1);
            StoreException e = assertThrows(StoreException.class, () -> S3FileIOProvider.open(Location.of("s3://private/store"), c));
            assertTrue(e.getMessage().startsWith("store s3://private/store: access to the bucket 'private' denied by " + endpoint),
                    e.getMessage());
            oneLine(e);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRootWithoutABucketFailsInOneLine() {
        StoreException e = assertThrows(StoreException.class, () -> FeatureStore.open("s3:///store"));
        assertTrue(e.getMessage().startsWith("store s3:///store: "), e.getMessage());
        assertTrue(e.getMessage().contains("names no bucket"), e.getMessage());
        oneLine(e);
    }
}
