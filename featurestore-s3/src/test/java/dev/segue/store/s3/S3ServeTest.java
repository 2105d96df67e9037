package dev.segue.store.s3;

import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.store.hadoop.HdfsServeTest;
import dev.segue.serving.model.StoreModelLoader;
import dev.segue.store.FeatureStore;
import dev.segue.store.io.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The index server's model loader (what {@code segue serve --store s3://…} runs) loads a model from a store on S3,
 * uploads its graph artifact there, and another server without a local copy downloads it instead of building.
 */
class S3ServeTest {
    @Test
    void theServerLoadsTrackFactorsStatsAndTitlesFromAStoreOnS3(@TempDir Path local) throws Exception {
        String v1 = new SyntheticCatalog(300, 8, 4, 1).writeTo(local);
        String bucket = S3Mock.bucket("serve");
        String prefix = "serve-" + UUID.randomUUID();
        String uri = "s3://" + bucket + "/" + prefix;
        try (var walk = Files.walk(local)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String key = prefix + "/" + local.relativize(f).toString().replace('\\', '/');
                S3Mock.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(f));
            }
        }
        StoreModelLoader loader = HdfsServeTest.loadBuildingTheGraph(uri, v1); // the same checks as on HDFS
        List<String> keys = S3StoreTest.keys(uri);
        String art = "_artifacts/track_factors/" + v1 + "/hnsw-m16-efc100/";
        assertTrue(keys.contains(art + "graph.bin"), "the graph artifact is uploaded to the store on S3: " + keys);
        assertTrue(keys.contains(art + "artifact.json"));
        assertTrue(keys.stream().noneMatch(k -> k.startsWith("_artifacts/_staging/")), "no staging left: " + keys);

        HdfsServeTest.loadFromTheArtifact(uri, v1, loader); // a server elsewhere (no local copy) downloads it from S3
        assertEquals(Location.of(uri), FeatureStore.open(uri).rootLocation());
    }
}
