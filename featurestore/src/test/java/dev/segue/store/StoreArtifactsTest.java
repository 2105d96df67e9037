package dev.segue.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreArtifactsTest {
    @TempDir
    Path root;

    @Test
    void writtenFoundVerifiedAndReplacedWhole() throws Exception {
        StoreArtifacts arts = new StoreArtifacts(root);
        assertTrue(arts.find("track_factors", "v000001", "g").isEmpty());
        arts.write("track_factors", "v000001", 10, 4, "g", "g.bin", Map.of("m", "8"), "test",
                f -> Files.writeString(f, "first"));
        StoreArtifacts.Artifact a = arts.find("track_factors", "v000001", "g").orElseThrow();
        a.verify();
        assertEquals("v000001", a.manifest().version());
        assertEquals("track_factors", a.manifest().builtFrom());
        assertEquals(10, a.manifest().rowCount());
        assertEquals(4, a.manifest().dim());
        assertEquals(Map.of("m", "8"), a.manifest().parameters());
        assertEquals("first", Files.readString(a.file()));

        arts.write("track_factors", "v000001", 10, 4, "g", "g.bin", Map.of("m", "8"), "test",
                f -> Files.writeString(f, "second!"));
        StoreArtifacts.Artifact b = arts.find("track_factors", "v000001", "g").orElseThrow();
        b.verify();
        assertEquals("second!", Files.readString(b.file()));
    }

    @Test
    void aFlippedByteIsRefusedNamingExpectedAndActualChecksum() throws Exception {
        StoreArtifacts arts = new StoreArtifacts(root);
        StoreArtifacts.Artifact a = arts.write("s", "v000002", 1, 0, "g", "g.bin", Map.of(), "test",
                f -> Files.writeString(f, "abcdef"));
        Files.writeString(a.file(), "abcdeX");
        CorruptionException e = assertThrows(CorruptionException.class, a::verify);
        assertTrue(e.getMessage().contains("expected CRC32C " + a.manifest().file().crc32c()), e.getMessage());
        assertTrue(e.getMessage().contains("g.bin"), e.getMessage());
        Files.writeString(a.file(), "abc");
        CorruptionException t = assertThrows(CorruptionException.class, a::verify);
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
    }

    @Test
    void gcRemovesTheArtifactsOfTheVersionsItRemoves(@TempDir Path storeRoot) throws Exception {
        FeatureStore store = FeatureStore.open(storeRoot);
        for (int i = 0; i < 2; i++) {
            try (FeatureSetWriter w = store.writer(TestData.trackFactors(), WriteOptions.producer("test"))) {
                w.append(TestData.trackBatch(0, 50, 1));
                w.commit();
            }
        }
        StoreArtifacts arts = StoreArtifacts.of(store);
        for (Manifest m : store.versions("track_factors")) {
            arts.write("track_factors", m.version(), m.rowCount(), 0, "g", "g.bin", Map.of(), "test",
                    f -> Files.writeString(f, "x"));
        }
        GcResult gc = store.gc("track_factors", 1);
        assertEquals(java.util.List.of("v000001"), gc.removed());
        assertTrue(arts.find("track_factors", "v000001", "g").isEmpty(), "removed with its version");
        assertTrue(arts.find("track_factors", "v000002", "g").isPresent(), "kept with its version");
    }

    @Test
    void unsafeNamesAndUnreadableManifestsAreRefused() throws Exception {
        StoreArtifacts arts = new StoreArtifacts(root);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> arts.folder("track_factors", "../v1", "g"));
        assertTrue(e.getMessage().contains("\"../v1\""), e.getMessage());
        Path dir = arts.folder("s", "v000001", "g");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(StoreArtifacts.MANIFEST), "{not json");
        CorruptionException c = assertThrows(CorruptionException.class, () -> arts.find("s", "v000001", "g"));
        assertTrue(c.getMessage().contains(StoreArtifacts.MANIFEST), c.getMessage());
    }
}
