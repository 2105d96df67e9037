package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.model.StoreModelLoader;
import dev.segue.store.FeatureStore;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segue pipeline continuation --store hdfs://…} then what {@code segue serve --store hdfs://…} runs: the
 * pipeline writes its sets, snapshot and HNSW graph artifact into a store on a real HDFS (MiniDFSCluster in this
 * JVM), and the server's model loader loads that store, taking the pipeline's graph instead of building one.
 */
class HdfsPipelineServeTest {
    @TempDir
    Path tmp;

    @Test
    void aStoreThePipelineWroteOnHdfsIsServed() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            String store = cluster.getURI() + "/stores/served";
            Segue.ok("pipeline", "continuation", "--mpd", TinyWorld.path("mpd"), "--store", store, "--factors", "8",
                    "--iterations", "2", "--quiet");
            FeatureStore fs = FeatureStore.open(store);
            String factors = fs.latest("track_factors").version();
            int rows = (int) fs.latest("track_factors").rowCount();
            assertTrue(cluster.getFileSystem().exists(new org.apache.hadoop.fs.Path(store + "/_artifacts/track_factors/"
                    + factors)), "the pipeline's graph artifact is on HDFS");

            StoreModelLoader loader = new StoreModelLoader(FeatureStore.open(store), null, HnswParams.defaults(), 1,
                    null, null);
            assertEquals(store, loader.source());
            assertEquals(factors, loader.resolveVersion(null));
            ServingModel model = loader.load(factors, BuildProgress.NONE, Cancellation.NEVER);
            assertEquals(rows, model.factors().rows());
            assertEquals(8, model.factors().dim());
            assertEquals(store, model.info().storePath());
            assertEquals(fs.latest("track_stats").version(), model.info().statsVersion());
            assertEquals(fs.latest("title_embeddings").version(), model.info().titlesVersion());
            assertTrue(model.info().fromDisk(), "the graph the pipeline built is loaded: " + model.info().indexSource());
        } finally {
            cluster.shutdown(true);
        }
    }
}
