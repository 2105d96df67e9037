package dev.segue.pipelines;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Checks, before a pipeline begins a store run, what its runner needs from this JVM and the network, so a run that
 * cannot start stops with one line and leaves nothing in the store; the one home of the runner checks, and the one
 * entry point the pipelines call. For the FlinkRunner: a remote {@code --flinkMaster=host:port} accepts a TCP
 * connection on the JobManager's REST port (without it an unreachable address surfaces only after Flink's REST
 * client has retried for minutes, as a stack of wrapped exceptions). For the SparkRunner: Spark's own classes (never
 * bundled: {@code spark-submit} provides them, {@code bin/segue} takes them from {@code SEGUE_EXTRA_CLASSPATH}), and
 * for a standalone master ({@code spark://host:port[,host:port…]}) that at least one master accepts connections —
 * Spark itself would retry for a minute and then fail every job with a message that does not name the address.
 * The master is {@code spark.master} when set (what {@code spark-submit --master} sets, and what Beam's SparkRunner
 * prefers), else {@code --sparkMaster}.
 */
public final class RunnerCheck {
    /** What to do without Spark's classes; also printed by the command line when a Spark class is missing later. */
    public static final String SPARK_CLASSES_HINT = "the Spark runner needs Spark's classes, which Segue does not bundle:"
            + " with bin/segue put them on the class path, SEGUE_EXTRA_CLASSPATH=\"$(cat pipelines-spark/target/spark.classpath)\""
            + " (the build writes that file), or submit the bundled jar with spark-submit (README: Run on your cluster - Spark)";
    static final int CONNECT_TIMEOUT_MS = 5_000;

    private RunnerCheck() {}

    /** Throws {@link IllegalStateException} with one line when the options' runner cannot run from here. */
    public static void check(PipelineOptions options) {
        if (isFlink(options)) {
            checkFlinkReachable(options.as(FlinkPipelineOptions.class).getFlinkMaster());
            return;
        }
        if (!isSpark(options)) {
            return;
        }
        try {
            Class.forName("org.apache.spark.SparkContext", false, RunnerCheck.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(SPARK_CLASSES_HINT);
        }
        String master = System.getProperty("spark.master");
        if (master == null || master.isBlank()) {
            master = options.as(org.apache.beam.runners.spark.SparkCommonPipelineOptions.class).getSparkMaster();
        }
        checkReachable(master);
    }

    /**
     * Whether the options' runner may run a finished step again from its inputs (Spark recomputes a partition it
     * did not cache; Flink and Dataflow re-run tasks after a failure): every runner but the DirectRunner, which
     * runs each step once in this JVM.
     */
    public static boolean mayRecompute(PipelineOptions options) {
        Class<?> runner = options.getRunner();
        return runner == null || !runner.getSimpleName().equals("DirectRunner");
    }

    static boolean isFlink(PipelineOptions options) {
        Class<?> runner = options.getRunner();
        return runner != null && runner.getSimpleName().contains("FlinkRunner");
    }

    static boolean isSpark(PipelineOptions options) {
        Class<?> runner = options.getRunner();
        return runner != null && runner.getSimpleName().endsWith("SparkRunner");
    }

    /** For a {@code spark://} master URL: fails unless one of its masters accepts a TCP connection. */
    static void checkReachable(String master) {
        if (master == null || !master.toLowerCase(Locale.ROOT).startsWith("spark://")) {
            return; // local[n], yarn, k8s://…: Spark resolves those itself
        }
        List<String> failures = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Spark master " + master + ": '" + hostPort + "' is not host:port");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                return;
            } catch (IOException e) {
                failures.add(host + ":" + port + " " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        throw new IllegalStateException("cannot reach the Spark master at " + master + " (" + String.join("; ", failures)
                + "): is the master running, and is --sparkMaster (spark-submit's --master) its spark://host:port?");
    }

    /** For a remote {@code --flinkMaster}: fails (one line naming the address) unless its JobManager accepts a connection. */
    static void checkFlinkReachable(String master) {
        InetSocketAddress address = flinkAddress(master);
        if (address == null) {
            return; // [auto], [local], [collection]: an embedded cluster, nothing to reach
        }
        InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
        if (resolved.isUnresolved()) {
            throw new IllegalStateException("--flinkMaster " + master + ": unknown host " + address.getHostString());
        }
        try (Socket s = new Socket()) {
            s.connect(resolved, CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            throw new IllegalStateException("--flinkMaster " + master + ": no Flink JobManager answers at "
                    + address.getHostString() + ":" + address.getPort() + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }

    /**
     * The REST address of {@code --flinkMaster} ({@code host:port}, {@code http://host:port}; port 8081 when
     * absent), or null for the runner's embedded modes ({@code [auto]}, {@code [local]}, {@code [collection]}).
     */
    static InetSocketAddress flinkAddress(String master) {
        if (master == null || master.isBlank() || master.startsWith("[")) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(master.contains("://") ? master : "http://" + master);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--flinkMaster " + master + ": not host:port");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("--flinkMaster " + master + ": not host:port");
        }
        return InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() < 0 ? 8081 : uri.getPort());
    }
}
