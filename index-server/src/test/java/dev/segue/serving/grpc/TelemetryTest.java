package dev.segue.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.LatencySummary;
import dev.segue.api.v1.RecommenderGrpc;
import dev.segue.api.v1.ReloadRequest;
import dev.segue.api.v1.SimilarTracksRequest;
import dev.segue.api.v1.StatusRequest;
import dev.segue.api.v1.StatusResponse;
import dev.segue.serving.TestData;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.cli.LogSetup;
import dev.segue.serving.model.ModelManager;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server (Netty, loopback) with client and admin tokens, the metrics endpoint and the access log: calls
 * of each role, then the endpoint scraped over HTTP and its text format parsed; the Status RPC reads the same
 * figures; each call left one access-log line.
 */
class TelemetryTest {
    @TempDir
    static Path dir;
    static ModelManager models;

    @BeforeAll
    static void data() throws Exception {
        new SyntheticCatalog(300, 8, 4, 1).writeTo(dir.resolve("store"));
        models = TestData.manager(dir.resolve("store"));
    }

    @AfterEach
    void restoreLogging() {
        LogSetup.reset();
    }

    static RecommenderGrpc.RecommenderBlockingStub stub(ManagedChannel ch, String token, String requestId,
                                                        AtomicReference<Metadata> responseHeaders) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(AccessControl.AUTHORIZATION, "Bearer " + token);
        }
        if (requestId != null) {
            headers.put(CallTelemetry.REQUEST_ID, requestId);
        }
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        RecommenderGrpc.RecommenderBlockingStub s = RecommenderGrpc.newBlockingStub(ch)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        return responseHeaders == null ? s
                : s.withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers));
    }

    /** Prometheus text format: {@code name{labels} value} per sample line, comments skipped. */
    static Map<String, Double> parse(String text) {
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( \\d+)?$");
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = sample.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            out.put(m.group(1) + "{" + (m.group(3) == null ? "" : m.group(3)) + "}", Double.parseDouble(m.group(4)));
        }
        return out;
    }

    /** The value of the one sample of {@code name} whose labels contain every {@code label="value"} given. */
    static double value(Map<String, Double> samples, String name, String... labels) {
        Double found = null;
        for (var e : samples.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= key.contains(l);
            }
            if (all) {
                assertTrue(found == null, "more than one sample of " + name + " with " + String.join(",", labels));
                found = e.getValue();
            }
        }
        assertTrue(found != null, "no sample " + name + " with " + String.join(",", labels) + " in " + samples.keySet());
        return found;
    }

    @Test
    void metricsEndpointStatusAndJsonAccessLog() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LogSetup.apply(LogSetup.AccessLogMode.json, log);
        ServerConfig config = ServerConfig.defaults().withPort(0).withBearerToken("client-t").withAdminToken("admin-t")
                .withTelemetry(ServerConfig.Telemetry.DEFAULT.withMetricsPort(0).withAccessLog(true));
        String scraped;
        try (SegueServer server = SegueServer.start(config, models)) {
            ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                AtomicReference<Metadata> headers = new AtomicReference<>();
                String seed = SyntheticCatalog.trackUri(3);
                assertEquals(5, stub(ch, "client-t", "req-42", headers).continue_(ContinueRequest.newBuilder()
                        .setK(5).addSeedTrackUris(seed).addSeedTrackUris(SyntheticCatalog.trackUri(4)).build())
                        .getTracksCount());
                assertEquals("req-42", headers.get().get(CallTelemetry.REQUEST_ID), "the request id is echoed");
                assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class,
                        () -> stub(ch, "client-t", null, null).continue_(ContinueRequest.newBuilder().setK(-1).build()))
                        .getStatus().getCode());
                stub(ch, "client-t", null, null).similarTracks(SimilarTracksRequest.newBuilder().setTrackUri(seed).build());
                assertEquals(Status.Code.UNAUTHENTICATED, assertThrows(StatusRuntimeException.class,
                        () -> stub(ch, "guess", null, null).status(StatusRequest.getDefaultInstance())).getStatus().getCode());
                StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                        () -> stub(ch, "client-t", null, null).reload(ReloadRequest.getDefaultInstance()));
                assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
                assertEquals("v000001", stub(ch, "admin-t", null, null).reload(ReloadRequest.getDefaultInstance())
                        .getDataVersion());
                assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(ch)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus(), "health needs no token");

                StatusResponse asClient = stub(ch, "client-t", null, null).status(StatusRequest.getDefaultInstance());
                assertEquals("", asClient.getStorePath(), "the store path is for the admin only");
                StatusResponse asAdmin = stub(ch, "admin-t", null, null).status(StatusRequest.getDefaultInstance());
                assertEquals(dir.resolve("store").toAbsolutePath().toString(), asAdmin.getStorePath());
                LatencySummary cont = asAdmin.getLatenciesList().stream().filter(l -> l.getMethod().equals("Continue"))
                        .findFirst().orElseThrow();
                assertEquals(2, cont.getCount());
                assertEquals(1, cont.getErrors());
                assertTrue(cont.getP50Ms() > 0 && cont.getP99Ms() >= cont.getP50Ms() && cont.getMaxMs() > 0, cont.toString());
                assertTrue(asAdmin.getLatenciesList().stream().noneMatch(l -> l.getMethod().equals("Check")),
                        "Status lists the Recommender's methods");

                InetSocketAddressCheck.loopback(server);
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
                scraped = r.body();
                assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort()
                        + "/nope")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            } finally {
                ch.shutdownNow();
            }
        }
        Map<String, Double> m = parse(scraped);
        String calls = "segue_grpc_server_calls_seconds_count";
        assertEquals(1, value(m, calls, "method=\"Continue\"", "code=\"OK\""));
        assertEquals(1, value(m, calls, "method=\"Continue\"", "code=\"INVALID_ARGUMENT\""));
        assertEquals(1, value(m, calls, "method=\"SimilarTracks\"", "code=\"OK\""));
        assertEquals(1, value(m, calls, "method=\"Status\"", "code=\"UNAUTHENTICATED\""));
        assertEquals(1, value(m, calls, "method=\"Check\"", "code=\"OK\""));
        assertTrue(value(m, "segue_grpc_server_calls_seconds_bucket", "method=\"Continue\"", "code=\"OK\"", "le=\"+Inf\"") == 1);
        assertEquals(2, value(m, "segue_grpc_server_rejected_total", "reason=\"auth\"", "method=\"Reload\"")
                + value(m, "segue_grpc_server_rejected_total", "reason=\"auth\"", "method=\"Status\"") );
        assertEquals(0, value(m, "segue_grpc_server_in_flight", "method=\"Continue\""));
        assertEquals(1, value(m, "segue_reloads_total", "result=\"ok\""));
        assertEquals(1, value(m, "segue_reloads_total", "result=\"refused\""));
        assertEquals(1, value(m, "segue_model_info", "data_version=\"v000001\"", "ranker=\"none\""));
        assertEquals(300, value(m, "segue_model_items"));
        assertTrue(value(m, "segue_model_index_seconds") >= 0);
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{") && k.contains("area=\"heap\"")),
                "JVM metrics");
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("jvm_threads_live_threads")), "JVM metrics");
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("process_uptime_seconds")));

        // One JSON line per call, health and the refused ones included (stopping the logging writes out the queue).
        LogSetup.reset();
        ObjectMapper json = new ObjectMapper();
        String[] lines = log.toString(StandardCharsets.UTF_8).strip().split("\n");
        JsonNode first = null;
        int count = 0;
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            assertEquals("segue.access", n.get("loggerName").asText(), line);
            Map<String, String> kv = new HashMap<>();
            n.get("kvpList").forEach(p -> p.fields().forEachRemaining(f -> kv.put(f.getKey(), f.getValue().asText())));
            if ("req-42".equals(kv.get("request_id"))) {
                first = n;
                assertEquals("Continue", kv.get("method"));
                assertEquals("OK", kv.get("status"));
                assertEquals("5", kv.get("k"));
                assertEquals("2", kv.get("seeds"));
                assertEquals("SEEDS", kv.get("strategy"));
                assertTrue(kv.get("peer").startsWith("127.0.0.1:"), kv.toString());
                assertTrue(Double.parseDouble(kv.get("latency_ms")) > 0);
            } else {
                assertTrue(kv.get("request_id").matches("[0-9a-f]{16}"), "generated ids: " + kv);
            }
            count++;
        }
        assertTrue(first != null, "the Continue call's line: " + String.join("\n", lines));
        assertEquals(9, count, String.join("\n", lines));
    }

    @Test
    void plainAccessLogAndNoTelemetry() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LogSetup.apply(LogSetup.AccessLogMode.plain, log);
        ServerConfig config = ServerConfig.defaults().withPort(0)
                .withTelemetry(ServerConfig.Telemetry.DEFAULT.withAccessLog(true));
        try (SegueServer server = SegueServer.start(config, models)) {
            assertEquals(-1, server.metricsPort(), "no endpoint unless asked for");
            ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                stub(ch, null, "abc", null).similarTracks(SimilarTracksRequest.newBuilder()
                        .setTrackUri(SyntheticCatalog.trackUri(1)).setK(4).build());
                StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                        () -> stub(ch, null, null, null).reload(ReloadRequest.getDefaultInstance()));
                assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode(),
                        "no token configured: Reload is off");
            } finally {
                ch.shutdownNow();
            }
        }
        LogSetup.reset();
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(Pattern.compile("INFO  access: call method=SimilarTracks status=OK latency_ms=[0-9.]+ k=4 "
                + "peer=127\\.0\\.0\\.1:\\d+ request_id=abc\n").matcher(text).find(), text);
        assertTrue(text.contains("method=Reload status=PERMISSION_DENIED"), text);

        try (SegueServer server = SegueServer.start(ServerConfig.defaults().withPort(0)
                .withTelemetry(ServerConfig.Telemetry.off()), models)) {
            ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                stub(ch, null, null, null).continue_(ContinueRequest.newBuilder().setK(3).build());
                assertEquals(0, stub(ch, null, null, null).status(StatusRequest.getDefaultInstance()).getLatenciesCount(),
                        "telemetry off: nothing recorded");
            } finally {
                ch.shutdownNow();
            }
        }
    }

    /** The metrics endpoint binds to loopback unless told otherwise. */
    static final class InetSocketAddressCheck {
        static void loopback(SegueServer server) {
            assertTrue(server.metricsAddress().getAddress().isLoopbackAddress(), server.metricsAddress().toString());
        }
    }
}
