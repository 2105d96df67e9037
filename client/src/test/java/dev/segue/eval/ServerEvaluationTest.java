package dev.segue.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.RecommenderGrpc;
import dev.segue.api.v1.RequestError;
import dev.segue.api.v1.ScoredTrack;
import dev.segue.api.v1.StatusRequest;
import dev.segue.api.v1.StatusResponse;
import dev.segue.eval.report.EvaluationReport;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdTrack;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The evaluator against a scripted server on a real loopback port: batching, retries, failures, exit codes. */
class ServerEvaluationTest {
    @TempDir
    Path dir;
    TinyWorld world;
    Server server;
    Scripted service;

    /** Answers with the oracle's list; pid 1003 fails once (UNAVAILABLE), pid 1007 always (INVALID_ARGUMENT). */
    final class Scripted extends RecommenderGrpc.RecommenderImplBase {
        final Map<String, Integer> indexOf = new HashMap<>();
        final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();

        Scripted() {
            for (int i = 0; i < world.challenge.size(); i++) {
                assertNull(indexOf.put(key(world.challenge.get(i)), i));
            }
        }

        static String key(ChallengePlaylist p) {
            StringBuilder s = new StringBuilder(String.valueOf(p.name()));
            for (MpdTrack t : p.tracks()) {
                s.append('|').append(t.trackUri());
            }
            return s.toString();
        }

        @Override
        public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
            out.onNext(StatusResponse.newBuilder().setDataVersion("v000001").setItemCount(720).build());
            out.onCompleted();
        }

        @Override
        public StreamObserver<ContinueRequest> continueBatch(StreamObserver<ContinueResponse> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(ContinueRequest r) {
                    StringBuilder s = new StringBuilder(r.hasTitle() ? r.getTitle() : "null");
                    r.getSeedTrackUrisList().forEach(u -> s.append('|').append(u));
                    int i = indexOf.get(s.toString());
                    long pid = world.challenge.get(i).pid();
                    int attempt = attempts.computeIfAbsent(pid, p -> new AtomicInteger()).incrementAndGet();
                    ContinueResponse.Builder b = ContinueResponse.newBuilder().setRequestId(r.getRequestId());
                    if (pid == 1003 && attempt == 1) {
                        b.setError(RequestError.newBuilder().setCode(Status.Code.UNAVAILABLE.value())
                                .setMessage("shard reloading"));
                    } else if (pid == 1007) {
                        b.setError(RequestError.newBuilder().setCode(Status.Code.INVALID_ARGUMENT.value())
                                .setMessage("too many seeds"));
                    } else {
                        for (String uri : world.oracleList(i, r.getK())) {
                            b.addTracks(ScoredTrack.newBuilder().setTrackUri(uri)
                                    .setArtistUri(uri.replace("track:", "artist:").replaceAll("t\\d+$", "")));
                        }
                    }
                    synchronized (out) {
                        out.onNext(b.build());
                    }
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {
                    synchronized (out) {
                        out.onCompleted();
                    }
                }
            };
        }
    }

    @BeforeEach
    void start() throws Exception {
        world = new TinyWorld(dir.resolve("world"));
        service = new Scripted();
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(service).build().start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private EvaluationRun.Spec spec(String target, Path out) {
        return new EvaluationRun.Spec(world.challengeFile, world.truthFile,
                new EvaluationRun.ServerSpec(target, "segue", 2, 3, Duration.ofSeconds(5), null, null, null),
                List.of(), List.of(), null, null, null, 5.0, 50, 2, 2, Duration.ofMillis(10), out, false, true, null, null);
    }

    @Test
    void retriesRetryableFailuresAndListsTheRest() throws Exception {
        EvaluationRun.Outcome o = EvaluationRun.run(spec("localhost:" + server.getPort(), dir.resolve("r")));
        EvaluationReport.MethodReport m = o.report().method("segue");
        assertFalse(o.complete());
        assertEquals(19, m.scored());
        assertEquals(1, m.failed());
        assertEquals(1007L, m.failures().get(0).pid());
        assertEquals("INVALID_ARGUMENT: too many seeds", m.failures().get(0).reason());
        assertEquals(2, m.attempts(), "one extra pass for the UNAVAILABLE one");
        assertEquals(2, service.attempts.get(1003L).get());
        assertEquals(1, service.attempts.get(1007L).get(), "INVALID_ARGUMENT is not retried");
        assertEquals("v000001", m.details().get("data_version"));
        assertEquals("19", m.details().get("strategy strategy_unspecified"), m.details().toString());
        // 19 perfect answers and one empty list
        assertEquals(19.0 / 20, m.overall().get("ndcg"), 1e-12);
        assertEquals(0, m.unknownArtistPositions());
        assertEquals(19, Files.readAllLines(dir.resolve("r/submissions/segue.csv")).size() - 1);
    }

    @Test
    void commandLineExitCodesAndMessages() throws Exception {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new dev.segue.eval.cli.EvaluateCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("--challenge", world.challengeFile.toString(), "--truth", world.truthFile.toString(),
                "--server", "localhost:" + server.getPort(), "--k", "50", "--out", dir.resolve("cli").toString(),
                "--no-progress", "--no-charts", "--retry-backoff-ms", "5");
        assertEquals(1, code, err.toString());
        assertTrue(err.toString().contains("segue: 1 of 20 playlists failed (first: pid 1007"), err.toString());
        assertTrue(out.toString().contains("segue *"), out.toString());

        // a second run into the same folder needs --force
        err.getBuffer().setLength(0);
        code = cli.execute("--challenge", world.challengeFile.toString(), "--truth", world.truthFile.toString(),
                "--server", "localhost:" + server.getPort(), "--out", dir.resolve("cli").toString(), "--no-progress");
        assertEquals(2, code);
        assertTrue(err.toString().contains("already holds a report; use --force"), err.toString());
    }

    @Test
    void serverDownIsAClearFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ServerSource.ServerUnavailableException e = assertThrows(ServerSource.ServerUnavailableException.class,
                () -> EvaluationRun.run(spec("localhost:" + port, dir.resolve("down"))));
        assertTrue(e.getMessage().startsWith("cannot use the Segue server at localhost:" + port + ": UNAVAILABLE"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("down/report.json")));

        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new dev.segue.eval.cli.EvaluateCommand());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("--challenge", world.challengeFile.toString(), "--truth", world.truthFile.toString(),
                "--server", "localhost:" + port, "--out", dir.resolve("down").toString(), "--no-progress");
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("segue evaluate: cannot use the Segue server at localhost:" + port),
                err.toString());
    }
}
