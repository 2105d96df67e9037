package dev.segue.pipelines;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Checks, before a pipeline is built, that the cluster it is submitted to answers: with {@code --runner=FlinkRunner
 * --flinkMaster=host:port} a TCP connection to the JobManager's REST port. Without it an unreachable address
 * surfaces only after Flink's REST client has retried for minutes, as a stack of wrapped exceptions; with it the
 * run stops at once with one line naming the address, before anything is written to the store.
 */
public final class ClusterCheck {
    /** How long the JobManager may take to accept the connection. */
    static final int CONNECT_TIMEOUT_MS = 5_000;

    private ClusterCheck() {}

    /** Throws {@link IllegalStateException} (one line naming the address) when the Flink master does not answer. */
    public static void reachable(PipelineOptions options) {
        if (options.getRunner() == null || !options.getRunner().getSimpleName().contains("FlinkRunner")) {
            return;
        }
        String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
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
