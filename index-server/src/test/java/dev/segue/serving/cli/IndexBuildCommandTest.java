package dev.segue.serving.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.serving.TestData;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.model.StoreModelLoader;
import dev.segue.store.ArtifactBuilder;
import dev.segue.store.FeatureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexBuildCommandTest {
    @Test
    void buildsTheArtifactThatServeThenLoads(@TempDir Path store) throws Exception {
        String v1 = new SyntheticCatalog(300, 8, 4, 1).writeTo(store);
        String[] params = {"--m", "" + TestData.PARAMS.m(), "--ef-construction", "" + TestData.PARAMS.efConstruction()};
        CommandsTest.Run built = CommandsTest.run(new IndexCommand(), concat("build", "--store", store.toString(), "--threads", "1", params));
        assertEquals(0, built.exit(), built.err());
        assertTrue(built.out().contains("300 rows x 8 dims"), built.out());
        assertTrue(built.out().contains("no index artifact hnsw-m16-efc100 for track_factors " + v1), built.out());
        assertTrue(Files.isRegularFile(store.resolve("_artifacts/track_factors/" + v1 + "/hnsw-m16-efc100/graph.bin")));

        CommandsTest.Run again = CommandsTest.run(new IndexCommand(), concat("build", "--store", store.toString(), params));
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("loaded index artifact hnsw-m16-efc100 of track_factors " + v1), again.out());

        StoreModelLoader loader = TestData.loader(store);
        ServingModel model = loader.load(v1, BuildProgress.NONE, Cancellation.NEVER);
        assertTrue(model.info().fromDisk(), "serve loads the artifact instead of building: " + model.info().indexSource());

        CommandsTest.Run forced = CommandsTest.run(new IndexCommand(), concat("build", "--store", store.toString(), "--force", params));
        assertEquals(0, forced.exit(), forced.err());
        assertTrue(forced.out().contains("--force"), forced.out());
    }

    @Test
    void badInputIsAUsageErrorNamingTheValue(@TempDir Path dir) {
        CommandsTest.Run noFolder = CommandsTest.run(new IndexCommand(), "build", "--store", dir.resolve("nope").toString());
        assertEquals(2, noFolder.exit());
        assertTrue(noFolder.err().contains("nope is not a folder"), noFolder.err());
        CommandsTest.Run noFactors = CommandsTest.run(new IndexCommand(), "build", "--store", dir.toString());
        assertEquals(2, noFactors.exit());
        assertTrue(noFactors.err().contains("track_factors"), noFactors.err());
        CommandsTest.Run badM = CommandsTest.run(new IndexCommand(), "build", "--store", dir.toString(), "--m", "1");
        assertEquals(2, badM.exit());
        assertTrue(badM.err().contains("M must be in 2..256, got 1"), badM.err());
    }

    @Test
    void thePipelineHookFindsTheIndexBuilderOnTheClassPath(@TempDir Path store) {
        String v1 = new SyntheticCatalog(200, 8, 4, 2).writeTo(store);
        List<String> lines = ArtifactBuilder.buildAll(FeatureStore.open(store), Map.of("track_factors", v1));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(Files.isRegularFile(store.resolve("_artifacts/track_factors/" + v1 + "/hnsw-m32-efc200/graph.bin")));
        assertFalse(FeatureStore.open(store).list().contains("_artifacts"));
        assertTrue(ArtifactBuilder.buildAll(FeatureStore.open(store), Map.of("tracks", "v000001")).isEmpty(),
                "no builder for other sets");
    }

    private static String[] concat(Object... parts) {
        List<String> out = new java.util.ArrayList<>();
        for (Object p : parts) {
            if (p instanceof String[] a) {
                out.addAll(List.of(a));
            } else {
                out.add((String) p);
            }
        }
        return out.toArray(new String[0]);
    }
}
