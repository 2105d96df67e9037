package dev.segue.pipelines.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.genre.GenrePipeline;
import dev.segue.genre.GenreSchemas;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled jar on a real standalone Spark cluster: a master and a worker, each its own JVM started from Spark's
 * Maven artifacts ({@code target/spark.classpath}, laid out as a Spark home whose {@code jars/} the worker starts its
 * executors from), and {@code spark-submit} — the driver's command built by Spark's launcher
 * ({@code org.apache.spark.launcher.Main}) as the script builds it, README's line — submitting {@link GenrePipeline}
 * from {@code pipelines/target/segue-pipelines-*-bundled.jar}; then the store is read back. Everything on loopback; every process (and the worker's executors) is killed afterwards.
 *
 * <p>Run by CI (.ci/run) after {@code mvn -pl pipelines -am package -Pbundle}:
 * {@code mvn -B -pl pipelines,pipelines-spark -am verify -Pbundle -Dtest=BundledJarIT,FlinkClusterIT,SparkStandaloneIT
 * -Dsurefire.failIfNoSpecifiedTests=false}. Not part of the default test run (its name ends in IT).
 */
class SparkStandaloneIT {
    /** The flags the README asks of Spark's JVMs (those of bin/segue and the parent pom's segue.jvm.flags). */
    static final List<String> JVM_FLAGS = Arrays.stream(("--add-opens=java.base/java.nio=ALL-UNNAMED"
            + " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED"
            + " --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
            + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED"
            + " --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
            + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED"
            + " --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED"
            + " --add-opens=java.base/sun.util.calendar=ALL-UNNAMED").split(" ")).toList();
    private static final int TRACKS = 60;

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killEverything() throws InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // the worker's executor JVMs
            p.destroyForcibly();
        }
        for (Process p : started) {
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void submitsTheBundledJarToAStandaloneMasterAndWorker() throws Exception {
        Path jar = Paths.get(System.getProperty("segue.bundled.jar"));
        assertTrue(Files.isRegularFile(jar), "no bundled jar at " + jar + ": build it first with"
                + " mvn -B -pl pipelines -am package -Pbundle -DskipTests");
        Path classpathFile = Paths.get(System.getProperty("segue.spark.classpath"));
        assertTrue(Files.isRegularFile(classpathFile), "no " + classpathFile + " (mvn -pl pipelines-spark generate-resources)");
        String sparkClasspath = Files.readString(classpathFile).trim();
        Path sparkHome = sparkHome(sparkClasspath);

        int masterPort = freePort();
        String master = "spark://127.0.0.1:" + masterPort;
        Path masterLog = dir.resolve("master.log");
        start(sparkHome, sparkClasspath, "256m", masterLog, "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort()));
        awaitLine(masterLog, "I have been elected leader", 120);

        Path workerLog = dir.resolve("worker.log");
        start(sparkHome, sparkClasspath, "256m", workerLog, "org.apache.spark.deploy.worker.Worker",
                "--host", "127.0.0.1", "--port", Integer.toString(freePort()), "--webui-port", Integer.toString(freePort()),
                "--cores", "2", "--memory", "1g", "--work-dir", dir.resolve("work").toString(), master);
        awaitLine(workerLog, "Successfully registered with master", 120);

        Path audio = dir.resolve("tracks.csv");
        Files.write(audio, dev.segue.pipelines.spark.SparkTesting.audioLines(TRACKS));
        Path store = dir.resolve("store");
        Path submitLog = dir.resolve("submit.log");
        // spark-submit's own arguments, as README's "Run on your cluster — Spark" gives them: the jar on the driver's
        // and the executors' class path (not only in Spark's user class loader: arrow-memory-netty's io.netty.buffer
        // classes must be loaded by the loader that loads Netty's, or Arrow's allocator cannot start)
        String flags = String.join(" ", JVM_FLAGS);
        List<String> submitArgs = List.of("--master", master, "--deploy-mode", "client",
                "--class", GenrePipeline.class.getName(), "--driver-memory", "1g",
                "--driver-class-path", jar.toString(), "--driver-java-options", flags,
                "--conf", "spark.executor.extraClassPath=" + jar, "--conf", "spark.executor.extraJavaOptions=" + flags,
                "--conf", "spark.executor.memory=768m", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                jar.toString(), "--runner=SparkRunner", "--filesToStage=" + jar, "--audio=" + audio, "--store=" + store,
                "--reportDir=" + dir.resolve("report"));
        Process submit = startCommand(sparkSubmit(sparkHome, submitArgs), sparkHome, submitLog);
        if (!submit.waitFor(6, TimeUnit.MINUTES)) {
            throw new AssertionError("spark-submit did not finish in 6 minutes:\n" + tail(submitLog) + "\nworker:\n"
                    + tail(workerLog));
        }
        String out = Files.readString(submitLog);
        assertEquals(0, submit.exitValue(), "spark-submit failed:\n" + tail(submitLog));
        assertTrue(out.contains("genre: " + TRACKS + " tracks -> " + GenreSchemas.NAME), tail(submitLog));
        // the tasks ran in the worker's executor, not in the driver
        assertTrue(out.contains("Granted executor ID") || Files.readString(workerLog).contains("Asked to launch executor"),
                "no executor was launched:\n" + tail(workerLog));

        try (FeatureSetReader reader = FeatureStore.open(store).read(GenreSchemas.NAME)) {
            Table t = reader.readAll(List.of());
            assertEquals(TRACKS, t.rows());
            Set<String> ids = new TreeSet<>();
            for (String uri : t.strings(GenreSchemas.TRACK_URI)) {
                ids.add(uri.substring("spotify:track:".length()));
            }
            assertEquals(TRACKS, ids.size());
        }
    }

    /** A Spark home as a distribution lays it out: {@code jars/} with Spark's jars (links to the Maven ones). */
    private Path sparkHome(String classpath) throws IOException {
        Path jars = Files.createDirectories(dir.resolve("spark-home/jars"));
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path p = Paths.get(entry);
            Path link = jars.resolve(p.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, p);
            }
        }
        return jars.getParent();
    }

    private Process start(Path sparkHome, String classpath, String heap, Path log, String mainClass, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.add("-Xmx" + heap);
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", mainClass));
        cmd.addAll(List.of(args));
        return startCommand(cmd, sparkHome, log);
    }

    private Process startCommand(List<String> cmd, Path sparkHome, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        sparkEnvironment(pb, sparkHome);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The environment of Spark's scripts: this Spark home, this JVM's Java, loopback, nothing inherited. */
    private static void sparkEnvironment(ProcessBuilder pb, Path sparkHome) {
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("HADOOP_") || k.startsWith("YARN_")
                || k.equals("CLASSPATH") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.12"); // the launcher's and the worker's command builders ask for it
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
    }

    /**
     * The driver's command line for {@code spark-submit ARGS}, made as the {@code spark-submit} script makes it:
     * {@code bin/spark-class} runs {@code org.apache.spark.launcher.Main}, which prints the JVM command
     * (NUL-separated) that applies {@code --driver-class-path}, {@code --driver-java-options} and
     * {@code --driver-memory} — options a {@code SparkSubmit} started directly would silently ignore in client mode.
     */
    private List<String> sparkSubmit(Path sparkHome, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx128m", "-cp", sparkHome.resolve("jars") + "/*",
                "org.apache.spark.launcher.Main", "org.apache.spark.deploy.SparkSubmit"));
        cmd.addAll(args);
        Path out = dir.resolve("launcher.out");
        Path err = dir.resolve("launcher.err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        sparkEnvironment(pb, sparkHome);
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("Spark's launcher failed:\n" + Files.readString(err));
        }
        // the script reads NUL-separated words; the launcher's output starts with a line break, no part of the command
        List<String> command = new ArrayList<>(Arrays.asList(Files.readString(out).split("\0")));
        command.removeIf(String::isBlank);
        command.set(0, command.get(0).strip());
        assertTrue(command.stream().anyMatch(a -> a.contains(args.get(args.indexOf("--driver-class-path") + 1))),
                "the launcher put the jar on the driver's class path: " + command);
        return command;
    }

    private static void awaitLine(Path log, String line, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no '" + line + "' in " + seconds + " s:\n" + tail(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

}
