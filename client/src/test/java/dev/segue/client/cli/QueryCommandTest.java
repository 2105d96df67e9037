package dev.segue.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.ScoredTrack;
import dev.segue.client.SegueClient;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.grpc.SegueServer;
import dev.segue.serving.grpc.ServerConfig;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.model.ModelManager;
import dev.segue.serving.model.StoreModelLoader;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.TlsTesting;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code segue query} against a real loopback server on a small synthetic catalog. */
class QueryCommandTest {
    record Result(int code, String out, String err) {}

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static SyntheticCatalog catalog;
    static ModelManager models;
    static SegueServer server;
    static String target;

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("store");
        catalog = new SyntheticCatalog(300, 8, 4, 1);
        catalog.writeTo(store);
        models = new ModelManager(new StoreModelLoader(store, null, new HnswParams(16, 100, 100, 3.0), 1, null, null));
        models.reload(null, BuildProgress.NONE, Cancellation.NEVER);
        server = SegueServer.start(ServerConfig.defaults().withPort(0), models);
        target = "127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Result query(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new QueryCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Result ok(String... args) {
        Result r = query(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err() + r.out());
        assertEquals("", r.err());
        return r;
    }

    /** One line on stderr, no stack trace. */
    static void oneLine(Result r) {
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertEquals("", r.out());
    }

    /** The data rows of a printed table: rank, score, track, artist. */
    static List<String[]> rows(String out) {
        List<String[]> rows = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 4 && f[0].matches("\\d+")) {
                rows.add(f);
            }
        }
        return rows;
    }

    @Test
    void continuePrintsTheServersRankingStrategyUnknownSeedsAndVersion() throws Exception {
        int[] playlist = catalog.playlist(new java.util.SplittableRandom(5), 3);
        String s0 = SyntheticCatalog.trackUri(playlist[0]);
        String s1 = SyntheticCatalog.trackUri(playlist[1]);
        String excluded = catalog.artistUriOf(playlist[2]);
        Result r = ok("continue", "--server", target, "--title", "g1 mix", "--seed", s0, "--seed", "spotify:track:nope",
                "--seed", s1, "--k", "7", "--exclude-artist", excluded);
        ContinueResponse expected;
        try (SegueClient c = SegueClient.forTarget(target).build()) {
            expected = c.continuePlaylist(ContinueRequest.newBuilder().setTitle("g1 mix").addSeedTrackUris(s0)
                    .addSeedTrackUris("spotify:track:nope").addSeedTrackUris(s1).setK(7)
                    .setFilter(dev.segue.api.v1.Filter.newBuilder().addExcludeArtistUris(excluded)).build());
        }
        assertTrue(r.out().startsWith("strategy SEEDS_AND_TITLE, data version v000001, 7 tracks"), r.out());
        assertTrue(r.out().contains("ignored unknown seeds: spotify:track:nope"), r.out());
        assertTrue(r.out().contains("first stage only (wrmf): no ranker is served"), r.out());
        List<String[]> rows = rows(r.out());
        assertEquals(7, rows.size(), r.out());
        for (int i = 0; i < 7; i++) {
            ScoredTrack t = expected.getTracks(i);
            assertEquals(Integer.toString(i + 1), rows.get(i)[0]);
            assertEquals(t.getScore(), Float.parseFloat(rows.get(i)[1]), 1e-4);
            assertEquals(t.getTrackUri(), rows.get(i)[2]);
            assertEquals(t.getArtistUri(), rows.get(i)[3]);
            assertFalse(rows.get(i)[3].equals(excluded) || rows.get(i)[2].equals(s0), r.out());
        }

        Result titleOnly = ok("continue", "--server", target, "--title", "chill");
        assertEquals(10, rows(titleOnly.out()).size(), titleOnly.out());
    }

    @Test
    void jsonIsOneParsableObject() throws Exception {
        String seed = SyntheticCatalog.trackUri(3);
        JsonNode c = JSON.readTree(ok("continue", "--server", target, "--seed", seed, "--k", "5", "--json").out());
        assertEquals("SEEDS", c.get("strategy").asText());
        assertFalse(c.get("stages").get("second_stage").asBoolean(), "no ranker in this store");
        assertEquals("v000001", c.get("data_version").asText());
        assertEquals(5, c.get("tracks").size());
        assertEquals(1, c.get("tracks").get(0).get("rank").asInt());
        assertTrue(c.get("tracks").get(0).get("track_uri").asText().startsWith("spotify:track:syn"));
        assertTrue(c.get("tracks").get(0).get("score").asDouble() >= c.get("tracks").get(4).get("score").asDouble());
        assertEquals(0, c.get("unknown_seed_uris").size());

        JsonNode s = JSON.readTree(ok("similar", "--server", target, "--track", seed, "--k", "4", "--json").out());
        assertEquals(4, s.get("tracks").size());
        assertEquals(seed, s.get("track_uri").asText());

        JsonNode st = JSON.readTree(ok("status", "--server", target, "--json").out());
        assertTrue(st.get("serving").asBoolean());
        assertEquals(300, st.get("item_count").asInt());
        assertEquals(8, st.get("dimensions").asInt());
        assertEquals(16, st.get("index").get("m").asInt());
        assertTrue(st.get("latencies").size() > 0, st.toString());
    }

    @Test
    void similarAndStatusText() {
        String track = SyntheticCatalog.trackUri(10);
        Result s = ok("similar", "--server", target, "--track", track, "--k", "3");
        assertTrue(s.out().startsWith("similar to " + track + ", data version v000001, 3 tracks"), s.out());
        assertEquals(3, rows(s.out()).size(), s.out());

        ok("continue", "--server", target, "--title", "g2 mix", "--k", "3");
        Result st = ok("status", "--server", target);
        assertTrue(st.out().contains("data version  v000001"), st.out());
        assertTrue(st.out().contains("items         300 tracks x 8 dimensions"), st.out());
        assertTrue(st.out().contains("feature sets  titles v000001, track_stats v000001, title_tracks off"), st.out());
        assertTrue(st.out().contains("HNSW M=16 efConstruction=100 ef=100 ef-factor=3.0"), st.out());
        assertTrue(st.out().lines().anyMatch(l -> l.strip().startsWith("Continue ")), st.out());
        assertTrue(st.out().contains("p99"), st.out());
    }

    @Test
    void rejectedRequestsShowTheServersMessageAndExit2() {
        Result unknown = query("similar", "--server", target, "--track", "spotify:track:nope");
        assertEquals(2, unknown.code());
        oneLine(unknown);
        assertTrue(unknown.err().startsWith("query similar: NOT_FOUND: unknown track_uri \"spotify:track:nope\""),
                unknown.err());

        Result tooMany = query("continue", "--server", target, "--title", "x", "--k", "100000");
        assertEquals(2, tooMany.code());
        oneLine(tooMany);
        assertTrue(tooMany.err().startsWith("query continue: INVALID_ARGUMENT: "), tooMany.err());
        assertTrue(tooMany.err().contains("1000"), "the server's limit is named: " + tooMany.err());
    }

    @Test
    void aServerThatIsNotRunningIsAClearMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Result r = query("status", "--server", "127.0.0.1:" + port, "--deadline-ms", "3000");
        assertEquals(1, r.code());
        oneLine(r);
        assertTrue(r.err().startsWith("query status: cannot reach 127.0.0.1:" + port + " ("), r.err());
        assertTrue(r.err().contains("(connection refused): is 'segue serve' running there?"), r.err());
    }

    @Test
    void bearerTokenFromFileOrEnvironment() throws Exception {
        Path good = Files.writeString(dir.resolve("good.token"), "s3cret\n");
        Path bad = Files.writeString(dir.resolve("bad.token"), "guess");
        try (SegueServer secured = SegueServer.start(ServerConfig.defaults().withPort(0).withBearerToken("s3cret"),
                models)) {
            String t = "127.0.0.1:" + secured.port();
            ok("status", "--server", t, "--token-file", good.toString());

            Result wrong = query("status", "--server", t, "--token-file", bad.toString());
            assertEquals(1, wrong.code());
            oneLine(wrong);
            assertEquals("query status: UNAUTHENTICATED: invalid bearer token", wrong.err().strip());

            Result missing = query("status", "--server", t);
            assertEquals(1, missing.code());
            assertTrue(missing.err().contains("UNAUTHENTICATED") && missing.err().contains("--token-file"),
                    missing.err());
        }
        Result both = query("status", "--server", target, "--token-file", good.toString(), "--token-env", "X");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("give --token-file or --token-env, not both"), both.err());
        Result unset = query("status", "--server", target, "--token-env", "SEGUE_TEST_SURELY_UNSET_VARIABLE");
        assertEquals(2, unset.code());
        assertTrue(unset.err().contains("SEGUE_TEST_SURELY_UNSET_VARIABLE (--token-env) is not set"), unset.err());
        Result empty = query("status", "--server", target, "--token-file",
                Files.writeString(dir.resolve("empty.token"), " \n").toString());
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("is empty"), empty.err());
    }

    @Test
    void tlsTrustsTheGivenCaAndExplainsAnUntrustedServer() throws Exception {
        Path cert = copy("server1.pem");
        Path key = copy("server1.key");
        Path ca = copy("ca.pem");
        Path other = copy("server0.pem");
        // grpc-testing's certificate names *.test.google.fr: a caller-made Netty builder on loopback
        SegueServer tls = SegueServer.start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                TlsServerCredentials.create(cert.toFile(), key.toFile())), ServerConfig.defaults(), models);
        try {
            String t = "localhost:" + tls.port();
            Result r = ok("status", "--server", t, "--tls-ca", ca.toString(), "--authority", "foo.test.google.fr");
            assertTrue(r.out().contains("v000001"), r.out());

            Result untrusted = query("status", "--server", t, "--tls-ca", other.toString(), "--authority",
                    "foo.test.google.fr", "--deadline-ms", "3000");
            assertEquals(1, untrusted.code());
            oneLine(untrusted);
            assertTrue(untrusted.err().startsWith("query status: cannot reach " + t + ": TLS handshake failed ("),
                    untrusted.err());

            Result plaintext = query("status", "--server", t, "--deadline-ms", "3000");
            assertEquals(1, plaintext.code());
            oneLine(plaintext);
            assertTrue(plaintext.err().contains("If it uses TLS, pass --tls-ca"), plaintext.err());

            Result tlsToPlain = query("status", "--server", target, "--tls-ca", ca.toString(), "--deadline-ms", "3000");
            assertEquals(1, tlsToPlain.code());
            oneLine(tlsToPlain);
            assertTrue(tlsToPlain.err().startsWith("query status: cannot reach " + target + " over TLS: the server "
                    + "answers in plaintext; drop --tls-ca"), tlsToPlain.err());
        } finally {
            tls.close();
        }
        Result missing = query("status", "--server", target, "--tls-ca", dir.resolve("nope.pem").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--tls-ca " + dir.resolve("nope.pem") + " cannot be read"), missing.err());
    }

    private static Path copy(String name) throws Exception {
        Path p = dir.resolve(name);
        if (!Files.exists(p)) {
            try (InputStream in = TlsTesting.loadCert(name)) {
                Files.copy(in, p);
            }
        }
        return p;
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, query("continue", "--server", target, "--k", "0").code());
        assertEquals(2, query("similar", "--server", target).code());
        assertEquals(2, query("status").code());
        assertEquals(2, query("status", "--server", target, "--deadline-ms", "0").code());
        assertEquals(2, query().code());
    }
}
