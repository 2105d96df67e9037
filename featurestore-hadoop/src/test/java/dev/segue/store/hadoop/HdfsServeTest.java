package dev.segue.store.hadoop;

import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.model.StoreModelLoader;
import dev.segue.store.FeatureStore;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/** The index server's model loader (what {@code segue serve --store hdfs://…} runs) loads a model from HDFS. */
class HdfsServeTest {
    @Test
    void theServerLoadsTrackFactorsStatsAndTitlesFromAStoreOnHdfs(@TempDir java.nio.file.Path local) throws Exception {
        String v1 = new SyntheticCatalog(300, 8, 4, 1).writeTo(local);
        String uri = MiniHdfs.uri() + "/serve-" + UUID.randomUUID();
        FeatureStore store = FeatureStore.open(uri);
        FileSystem fs = ((HadoopFileIO) store.io()).fileSystem();
        for (java.io.File f : local.toFile().listFiles()) {
            fs.copyFromLocalFile(new Path(f.toURI()), new Path(uri));
        }
        StoreModelLoader loader = new StoreModelLoader(FeatureStore.open(uri), null, new HnswParams(16, 100, 100, 3.0),
                1, null, null);
        assertEquals(uri, loader.source());
        assertEquals(v1, loader.resolveVersion(null));
        ServingModel model = loader.load(v1, BuildProgress.NONE, Cancellation.NEVER);
        assertEquals(300, model.factors().rows());
        assertEquals(8, model.factors().dim());
        assertEquals(uri, model.info().storePath());
        assertEquals("v000001", model.info().statsVersion());
        assertEquals("v000001", model.info().titlesVersion());
        assertFalse(model.info().fromDisk(), "no artifacts on a store that is not local: the graph is built");
        assertNull(loader.artifacts().root());
    }
}
