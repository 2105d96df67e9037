package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.client.SegueClient;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.grpc.SegueServer;
import dev.segue.serving.grpc.ServerConfig;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.model.ModelManager;
import dev.segue.serving.model.StoreModelLoader;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.opencensus.contrib.grpc.metrics.RpcViewConstants;
import io.opencensus.contrib.grpc.metrics.RpcViews;
import io.opencensus.stats.AggregationData;
import io.opencensus.stats.Stats;
import io.opencensus.stats.View;
import io.opencensus.stats.ViewData;
import io.opencensus.tags.TagValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segue tool's class path holds grpc-census (through Beam's and Google Cloud's dependencies), and gRPC then records
 * OpenCensus stats on every call by itself. The server and {@code SegueClient} turn that off (it cost ~0.2 ms of
 * server CPU per Continue). A plain gRPC server and channel on the same class path are the control: their calls do
 * show up in the views, which also proves the stats pipeline had processed everything recorded before.
 */
class GrpcCensusOffTest {
    @TempDir
    Path dir;

    @Test
    void segueServerAndClientRecordNoOpenCensusStats() throws Exception {
        RpcViews.registerAllGrpcViews();
        Path store = dir.resolve("store");
        new SyntheticCatalog(300, 8, 4, 1).writeTo(store);
        ModelManager models = new ModelManager(new StoreModelLoader(store, null, new HnswParams(16, 100, 100, 3.0), 1,
                null, null));
        models.reload(null, BuildProgress.NONE, Cancellation.NEVER);
        String status = "segue.v1.Recommender/Status";
        String check = "grpc.health.v1.Health/Check";
        long segueBefore = completed(status);
        try (SegueServer server = SegueServer.start(ServerConfig.defaults().withPort(0)
                .withTelemetry(ServerConfig.Telemetry.off()), models);
             SegueClient client = SegueClient.forTarget("localhost:" + server.port()).build()) {
            for (int i = 0; i < 3; i++) {
                client.status();
            }
        }
        // the control: gRPC's defaults on the same class path
        long controlBefore = completed(check);
        Server plain = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new HealthStatusManager().getHealthService()).build().start();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", plain.getPort(),
                InsecureChannelCredentials.create()).build();
        try {
            HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (completed(check) == controlBefore && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(completed(check) > controlBefore, "the control's call was not recorded: is grpc-census on the"
                    + " class path any more? Then this test proves nothing and can go");
        } finally {
            channel.shutdownNow();
            plain.shutdownNow();
        }
        assertEquals(segueBefore, completed(status), "OpenCensus recorded the Segue server's or client's calls");
    }

    /** Completed calls of {@code method} in gRPC's client and server views (cumulative since registration). */
    private static long completed(String method) {
        long n = 0;
        for (View v : List.of(RpcViewConstants.GRPC_SERVER_COMPLETED_RPC_VIEW,
                RpcViewConstants.GRPC_CLIENT_COMPLETED_RPC_VIEW)) {
            ViewData data = Stats.getViewManager().getView(v.getName());
            if (data == null) {
                continue;
            }
            for (Map.Entry<List<TagValue>, AggregationData> e : data.getAggregationMap().entrySet()) {
                boolean ours = e.getKey().stream().anyMatch(t -> t != null && t.asString().equals(method));
                if (ours) {
                    n += e.getValue() instanceof AggregationData.CountData c ? c.getCount()
                            : e.getValue() instanceof AggregationData.DistributionData d ? d.getCount() : 0;
                }
            }
        }
        return n;
    }
}
