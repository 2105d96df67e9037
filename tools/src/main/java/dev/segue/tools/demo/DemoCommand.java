package dev.segue.tools.demo;

import dev.segue.api.v1.StatusResponse;
import dev.segue.client.SegueClient;
import dev.segue.eval.report.EvaluationReport;
import dev.segue.eval.report.ReportFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The main job: generate a world, run the continuation, ranker, churn and genre pipelines into a store, start the
 * index server, evaluate it against every baseline and the oracle, and print a summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole system end to end on generated data:",
                "generate -> pipelines (DirectRunner) -> feature store -> index server -> evaluation report."})
public final class DemoCommand implements Callable<Integer> {
    static final String SEGUE = "segue";
    static final String POPULAR = "popular";

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", defaultValue = "small",
            description = "world size: tiny, small, medium (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--workdir", defaultValue = "demo-work", paramLabel = "DIR",
            description = "where the world, store, logs and report go (default: ${DEFAULT-VALUE})")
    Path workdir;

    @Option(names = "--seed", defaultValue = "42", description = "world seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--shape", defaultValue = "theme", paramLabel = "NAME",
            description = "playlist shape of the world: theme or drift (see segue generate; default: ${DEFAULT-VALUE})")
    String shape;

    @Option(names = "--churn", defaultValue = "abrupt", paramLabel = "NAME",
            description = "churn style of the logs: abrupt or gradual (see segue generate; default: ${DEFAULT-VALUE})")
    String churn;

    @Option(names = "--keep-server", description = "leave the index server running and print how to query it")
    boolean keepServer;

    @Option(names = "--port", defaultValue = "0", description = "server port, 0 = any free port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--force", description = "reuse a non-empty --workdir, replacing what an earlier demo wrote")
    boolean force;

    @Option(names = "--check", description = "exit 1 unless the report exists and Segue beats the popularity "
            + "baseline on R-precision and NDCG (used by CI)")
    boolean check;

    @Override
    public Integer call() throws Exception {
        if (!List.of("tiny", "small", "medium").contains(preset)) {
            throw new ParameterException(spec.commandLine(),
                    "--preset must be tiny, small or medium (the mpd preset is for benchmarks), got '" + preset + "'");
        }
        PrintStream out = System.out;
        Path work = workdir.toAbsolutePath().normalize();
        prepareWorkdir(work);
        Path world = work.resolve("world");
        Path store = work.resolve("store");
        Path report = work.resolve("report");
        Path oracle = work.resolve("oracle.csv");
        boolean live = dev.segue.cli.ProgressMeter.stdoutIsTerminal();
        StageRunner stages = new StageRunner(work.resolve("logs"), out, live, 8);

        out.println("Segue demo: preset " + preset + ", work folder " + work);
        long t0 = System.nanoTime();
        Process server = null;
        // Ctrl-C / SIGTERM: stop the running stage or the index server too, waiting for the server to drain.
        Thread stopChildren = new Thread(() -> stages.stopAll(Duration.ofSeconds(20)), "segue-demo-stop");
        Runtime.getRuntime().addShutdownHook(stopChildren);
        try {
            stages.run("generate", List.of("generate", "--out", world.toString(), "--preset", preset,
                    "--seed", Long.toString(seed), "--shape", shape, "--churn", churn, "--force"));
            stages.run("oracle", List.of("oracle", "--world", world.toString(), "--out", oracle.toString(),
                    "--force"));
            stages.run("continuation pipeline", List.of("pipeline", "continuation",
                    "--mpd", world.resolve("mpd").toString(), "--store", store.toString()));
            stages.run("ranker pipeline", List.of("pipeline", "ranker",
                    "--mpd", world.resolve("mpd").toString(), "--store", store.toString()));
            stages.run("churn pipeline", List.of("pipeline", "churn",
                    "--logs", world.resolve("logs").toString(), "--store", store.toString()));
            stages.run("genre pipeline", List.of("pipeline", "genre",
                    "--audio", world.resolve("audio").resolve("tracks.csv").toString(), "--store", store.toString()));

            int serverPort = port == 0 ? freePort() : port;
            long serveStart = System.nanoTime();
            server = stages.start("index server", List.of("serve", "--store", store.toString(),
                    "--port", Integer.toString(serverPort)));
            String target = "127.0.0.1:" + serverPort;
            StatusResponse status = awaitServer(server, target, stages.logOf("index server"));
            stages.ready("index server", serveStart);

            stages.run("evaluate", List.of("evaluate",
                    "--challenge", world.resolve("challenge/challenge_set.json").toString(),
                    "--truth", world.resolve("challenge/truth.json").toString(),
                    "--server", target, "--server-name", SEGUE,
                    "--baseline", "all", "--oracle", oracle.toString(),
                    "--mpd", world.resolve("mpd").toString(), "--store", store.toString(),
                    "--out", report.toString(), "--force", "--no-progress"));

            EvaluationReport r = ReportFiles.read(report);
            out.println();
            Summary.print(r, out);
            out.println();
            for (StageRunner.Timing t : stages.timings()) {
                out.printf(Locale.ROOT, "  %-24s %s%n", t.stage(), StageRunner.fmt(t.seconds()));
            }
            out.printf(Locale.ROOT, "  %-24s %s%n", "total", StageRunner.fmt((System.nanoTime() - t0) / 1e9));
            out.println();
            out.println("Report: " + report.resolve(ReportFiles.MARKDOWN) + " (charts beside it)");
            out.println("Store:  " + store + "   (inspect: bin/segue store list --store " + store + ")");
            out.println(rankerLine(store));
            out.println("Served: track_factors " + status.getDataVersion() + ", " + status.getItemCount()
                    + " tracks, " + status.getDimensions() + " dimensions");

            int code = check ? Summary.check(r, SEGUE, POPULAR, out) : 0;
            if (keepServer) {
                printHowToQuery(out, target, server.pid());
                Process running = server;
                server = null;
                running.waitFor(); // until Ctrl-C / SIGTERM: the shutdown hook stops the server
                if (!stages.stopping()) {
                    System.err.println("segue demo: the index server exited (code " + running.exitValue()
                            + "); see " + stages.logOf("index server"));
                    return 1;
                }
            }
            return code;
        } catch (StageRunner.StageFailedException e) {
            System.err.println("segue demo: " + e.getMessage());
            return 1;
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stopChildren);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
        }
    }

    /** The ranker the ranker pipeline stored, with its validation NDCG beside the first stage's. */
    static String rankerLine(Path store) {
        dev.segue.ranking.RankerArtifacts artifacts =
                new dev.segue.ranking.RankerArtifacts(dev.segue.store.FeatureStore.open(store));
        String version = artifacts.latest().orElse(null);
        if (version == null) {
            return "Ranker: none in the store";
        }
        try (dev.segue.ranking.RankerModel m = artifacts.load(version, dev.segue.ranking.RankFeatures.NAMES)) {
            Map<String, String> metrics = m.metrics();
            String at = metrics.keySet().stream().filter(k -> k.startsWith("validation_ndcg@") && !k.endsWith("@10"))
                    .findFirst().orElse(null);
            String firstStage = at == null ? null : metrics.get(at.replace("validation_", "validation_first_stage_"));
            return "Ranker: " + version + (at == null ? " (no validation groups)" : ", " + at.replace("validation_", "validation ")
                    + " " + fmt3(metrics.get(at)) + " (first stage " + fmt3(firstStage) + ")");
        }
    }

    private static String fmt3(String v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", Double.parseDouble(v));
    }

    private void prepareWorkdir(Path work) throws IOException {
        if (Files.isDirectory(work)) {
            boolean empty;
            try (Stream<Path> s = Files.list(work)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !force) {
                throw new ParameterException(spec.commandLine(), "work folder " + work
                        + " is not empty; pass --force to replace an earlier demo there, or choose another --workdir");
            }
            for (String owned : List.of("store", "report", "models", "logs", "oracle.csv")) {
                deleteRecursively(work.resolve(owned));
            }
        }
        Files.createDirectories(work);
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Polls Status until the server answers; fails if the server process exits first. */
    private static StatusResponse awaitServer(Process server, String target, Path log)
            throws IOException, InterruptedException, StageRunner.StageFailedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (SegueClient client = SegueClient.forTarget(target).deadline(Duration.ofSeconds(2))
                .retries(1, Duration.ofMillis(100), Duration.ofMillis(100), 1.0).build()) {
            while (System.nanoTime() < deadline) {
                if (!server.isAlive()) {
                    throw new StageRunner.StageFailedException("index server", server.exitValue(), log);
                }
                try {
                    if (client.serving()) { // the standard readiness signal
                        return client.status();
                    }
                } catch (io.grpc.StatusRuntimeException e) {
                    // not listening yet, or UNAVAILABLE while the index is built
                }
                Thread.sleep(300);
            }
        }
        throw new StageRunner.StageFailedException("index server", -1, log);
    }

    private static void printHowToQuery(PrintStream out, String target, long pid) {
        out.println();
        out.println("The index server is running at " + target + " (pid " + pid
                + "; Ctrl-C or SIGTERM to this demo stops it). Query it with:");
        out.println("  shell:  bin/segue query continue --server " + target + " --title chill --k 10");
        out.println("          bin/segue query status --server " + target);
        out.println("  Java:   try (SegueClient c = SegueClient.forTarget(\"" + target + "\").build()) {");
        out.println("            c.continuePlaylist(ContinueRequest.newBuilder().setTitle(\"chill\").setK(10).build()); }");
        out.println("  Python: pip install ./client/python-grpc   (README.md, 'Calling the API')");
        out.println("          python3 -c 'from segue_client import SegueClient; print(SegueClient(\"" + target
                + "\").continue_(title=\"chill\", k=10))'");
        out.println("  grpcurl (not part of Segue; server reflection is on):");
        out.println("          grpcurl -plaintext -d '{\"title\": \"workout\", \"k\": 10}' " + target
                + " segue.v1.Recommender/Continue");
        out.flush();
    }
}
