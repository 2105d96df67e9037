package dev.segue.pipelines.flink;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A standalone Flink session cluster of separate JVMs on loopback: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and {@code n} TaskManagers ({@code TaskManagerRunner}), Flink's own
 * entry points (what {@code bin/jobmanager.sh} and {@code bin/taskmanager.sh} of a Flink distribution start), run
 * from Flink's Maven artifacts — the version the Beam Flink runner uses — with a small {@code flink-conf.yaml} in
 * a temporary folder. Their class path is this JVM's minus Segue's classes and Beam, Hadoop, Spark, Arrow and
 * AWS: jobs bring those in their own jar, as on a real cluster. {@link #close} kills every process.
 *
 * <p>One home for starting a cluster: {@code FlinkClusterIT} (the bundled jar on a standalone cluster) and
 * {@code segue bench pipeline} (the continuation pipeline on 1 JobManager + 2 TaskManagers) both use it, which is
 * why it is main code of this module although nothing else in the pipelines needs it.
 */
public final class FlinkCluster implements AutoCloseable {
    /** Arrow's buffer access in the TaskManagers, as the README asks of Flink's {@code env.java.opts.all}. */
    public static final List<String> JVM_FLAGS = List.of("--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED");
    private static final List<String> NOT_FLINK = List.of("/org/apache/beam/", "/org/apache/hadoop/",
            "/org/apache/spark/", "/org/apache/arrow/", "/software/amazon/", "/dev/segue/", "/ml/dmlc/", "/org/tribuo/",
            "/junit/", "/org/junit/", "/org/opentest4j/", "/org/apiguardian/", "/org/hamcrest/");

    private final Path dir;
    private final int restPort;
    private final List<String> names = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /**
     * Starts the JobManager and {@code taskManagers} TaskManagers of {@code slots} slots each, {@code tmMemory}
     * (Flink's {@code taskmanager.memory.process.size}, e.g. "1200m") each, and waits until the REST API lists
     * them all.
     */
    public FlinkCluster(Path dir, int taskManagers, int slots, String tmMemory) throws IOException, InterruptedException {
        this(dir, taskManagers, slots, tmMemory, List.of());
    }

    /**
     * As {@link #FlinkCluster(Path, int, int, String)}, with {@code taskManagerFlags} added to the TaskManagers' JVM
     * flags (Flink's {@code env.java.opts.taskmanager}), e.g. {@code --add-modules=jdk.incubator.vector} for the
     * ALS's SIMD row kernels.
     */
    public FlinkCluster(Path dir, int taskManagers, int slots, String tmMemory, List<String> taskManagerFlags)
            throws IOException, InterruptedException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("tmp"));
        restPort = freePort();
        int rpcPort = freePort();
        Files.writeString(dir.resolve("conf").resolve("flink-conf.yaml"), String.join("\n",
                "jobmanager.rpc.address: localhost",
                "jobmanager.rpc.port: " + rpcPort,
                "jobmanager.bind-host: localhost",
                "jobmanager.memory.process.size: 768m",
                "rest.address: localhost",
                "rest.bind-address: localhost",
                "rest.port: " + restPort,
                "taskmanager.host: localhost",
                "taskmanager.bind-host: localhost",
                "taskmanager.numberOfTaskSlots: " + slots,
                "taskmanager.memory.process.size: " + tmMemory,
                // Beam's batch translation shuffles between many operators at once: more than the default 10 %
                "taskmanager.memory.network.min: 160m",
                "taskmanager.memory.network.max: 160m",
                // every blocking (batch) result takes at least this many buffers for its sort shuffle (default 512)
                "taskmanager.network.sort-shuffle.min-buffers: 64",
                // Arrow (the store's writer) allocates direct buffers: the task's off-heap budget
                "taskmanager.memory.task.off-heap.size: 256m",
                "taskmanager.memory.managed.fraction: 0.1",
                "parallelism.default: 1",
                // a busy 2-core machine can stall an RPC reply past the 10 s default ask timeout (seen in CI at
                // load ~40: the job failed with AskTimeoutException on the TaskManager); a test must not flake on that
                "pekko.ask.timeout: 120 s",
                "heartbeat.timeout: 180000",
                "web.timeout: 120000",
                "io.tmp.dirs: " + dir.resolve("tmp"),
                "blob.server.port: 0",
                ""), StandardCharsets.UTF_8);
        // Logback, when the class path brings it (bin/segue's does; the tests' has slf4j-simple), logs DEBUG without a
        // configuration: INFO with time stamps, as Flink's own log4j configuration would
        Files.writeString(dir.resolve("conf").resolve("logback.xml"), String.join("\n",
                "<configuration>",
                "  <statusListener class=\"ch.qos.logback.core.status.NopStatusListener\"/>",
                "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
                "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger: %msg%n</pattern></encoder>",
                "  </appender>",
                "  <root level=\"INFO\"><appender-ref ref=\"OUT\"/></root>",
                "</configuration>", ""), StandardCharsets.UTF_8);
        try {
            start("jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    List.of("-Xmx512m"), List.of());
            // what bin/taskmanager.sh asks BashJavaUtils for: the JVM's memory flags and the derived memory settings
            TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(
                    GlobalConfiguration.loadConfiguration(dir.resolve("conf").toString()));
            List<String> jvm = new ArrayList<>(List.of(ProcessMemoryUtils.generateJvmParametersStr(spec).trim().split("\\s+")));
            jvm.addAll(taskManagerFlags);
            List<String> derived = List.of(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec).trim().split("\\s+"));
            for (int i = 0; i < taskManagers; i++) {
                start("taskmanager-" + i, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", jvm, derived);
            }
            awaitTaskManagers(taskManagers, 180);
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@code localhost:PORT}, the value of {@code --flinkMaster}. */
    public String master() {
        return "localhost:" + restPort;
    }

    /** The REST API's {@code /jobs/overview}: every job the cluster ran, with its state. */
    public String jobsOverview() throws IOException {
        return rest("/jobs/overview");
    }

    /** The cluster's processes by name ({@code jobmanager}, {@code taskmanager-0}, …), in start order. */
    public java.util.Map<String, ProcessHandle> processes() {
        java.util.Map<String, ProcessHandle> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < processes.size(); i++) {
            m.put(names.get(i), processes.get(i).toHandle());
        }
        return m;
    }

    /** The console log of the named process ({@code <dir>/<name>.log}). */
    public Path logFile(String name) {
        return dir.resolve(name + ".log");
    }

    /** A GET on the REST API ({@code /jobs/overview}, {@code /jobs/<id>}, …): the JSON it answers. */
    public String rest(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + master() + path).toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(10000);
        return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The logs of every process, for a failure message. */
    public String logs() {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                String text = Files.readString(p);
                b.append("---- ").append(p.getFileName()).append(" (last 4000 chars) ----\n")
                        .append(text.substring(Math.max(0, text.length() - 4000))).append('\n');
            }
        } catch (IOException e) {
            b.append("(logs unreadable: ").append(e.getMessage()).append(")");
        }
        return b.toString();
    }

    /** The class path of the cluster's JVMs: Flink's jars and their dependencies, nothing of a job's. */
    static String flinkClassPath() {
        List<String> keep = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            if (e.endsWith(".jar") && NOT_FLINK.stream().noneMatch(e::contains)) {
                keep.add(entry);
            }
        }
        if (keep.stream().noneMatch(e -> e.contains("flink-runtime"))) {
            throw new IllegalStateException("flink-runtime is not on this JVM's class path: " + System.getProperty("java.class.path"));
        }
        return String.join(File.pathSeparator, keep);
    }

    private void start(String name, String mainClass, List<String> memory, List<String> dynamic) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(memory);
        cmd.addAll(JVM_FLAGS);
        cmd.add("-Dlogback.configurationFile=" + dir.resolve("conf").resolve("logback.xml"));
        cmd.addAll(List.of("-cp", flinkClassPath(), mainClass, "--configDir", dir.resolve("conf").toString()));
        cmd.addAll(dynamic);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().remove("CLASSPATH");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("HADOOP_CONF_DIR");
        processes.add(pb.start());
        names.add(name);
    }

    private void awaitTaskManagers(int n, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a Flink process exited with " + p.exitValue() + ":\n" + logs());
                }
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://" + master() + "/taskmanagers").toURL()
                        .openConnection();
                c.setConnectTimeout(2000);
                c.setReadTimeout(5000);
                if (c.getResponseCode() == 200) {
                    last = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (count(last, "\"id\"") >= n) {
                        return;
                    }
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the Flink cluster did not register " + n + " TaskManagers in " + seconds
                + " s (last answer: " + last + ")\n" + logs());
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Kills every process of the cluster (and waits for them). */
    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
