package dev.segue.serving.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.serving.bench.SyntheticCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An index artifact that does not match the factors is refused naming both values, then rebuilt. */
class IndexArtifactsTest {
    private static final HnswParams P = new HnswParams(8, 40, 20);
    private static final String SET = "track_factors";
    private static final String V = "v000003";

    @TempDir
    Path dir;

    private final FactorMatrix factors = new SyntheticCatalog(300, 8, 4, 1).factors();

    private IndexArtifacts saved() throws Exception {
        IndexArtifacts a = new IndexArtifacts(dir);
        IndexArtifacts.Loaded built = a.loadOrBuild(SET, V, factors, P, 1, BuildProgress.NONE, Cancellation.NEVER);
        assertFalse(built.fromDisk());
        assertTrue(built.source().contains("no index artifact hnsw-m8-efc40 for track_factors v000003"), built.source());
        IndexArtifacts.Loaded loaded = a.load(SET, V, factors, P).orElseThrow();
        assertTrue(loaded.fromDisk());
        assertEquals(300, loaded.index().size());
        return a;
    }

    /** Refused with the message, then loadOrBuild rebuilds (never serves it) and replaces the artifact. */
    private void refusedThenRebuilt(IndexArtifacts a, String version, FactorMatrix f, String... expected)
            throws Exception {
        IndexArtifacts.MismatchException e = assertThrows(IndexArtifacts.MismatchException.class,
                () -> a.load(SET, version, f, P));
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "\"" + s + "\" in: " + e.getMessage());
        }
        IndexArtifacts.Loaded rebuilt = a.loadOrBuild(SET, version, f, P, 1, BuildProgress.NONE, Cancellation.NEVER);
        assertFalse(rebuilt.fromDisk(), "a mismatching artifact is never served");
        assertTrue(rebuilt.source().contains("refused: " + e.getMessage()), rebuilt.source());
        assertEquals(f.rows(), rebuilt.index().size());
        assertTrue(a.load(SET, version, f, P).orElseThrow().fromDisk(), "the rebuilt artifact replaced it");
    }

    @Test
    void anArtifactOfAnotherVersionIsRefused() throws Exception {
        IndexArtifacts a = saved();
        Path from = dir.resolve(SET).resolve(V);
        Path to = dir.resolve(SET).resolve("v000004");
        Files.createDirectories(to.resolve("hnsw-m8-efc40"));
        try (Stream<Path> files = Files.list(from.resolve("hnsw-m8-efc40"))) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve("hnsw-m8-efc40").resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        refusedThenRebuilt(a, "v000004", factors, "built from track_factors v000003",
                "not from track_factors v000004 being loaded");
    }

    @Test
    void anArtifactOfAnotherRowCountIsRefused() throws Exception {
        IndexArtifacts a = saved();
        FactorMatrix fewer = new FactorMatrix(Arrays.copyOf(factors.values(), 250 * 8), 250, 8);
        refusedThenRebuilt(a, V, fewer, "built from 300 rows", "track_factors v000003 has 250");
    }

    @Test
    void anArtifactOfAnotherDimensionIsRefused() throws Exception {
        IndexArtifacts a = saved();
        FactorMatrix wider = new FactorMatrix(Arrays.copyOf(factors.values(), 300 * 16), 300, 16);
        refusedThenRebuilt(a, V, wider, "dimension 8", "has dimension 16");
    }

    @Test
    void aCorruptArtifactIsRefusedNamingBothChecksums() throws Exception {
        IndexArtifacts a = saved();
        Path file = dir.resolve(SET).resolve(V).resolve("hnsw-m8-efc40").resolve(IndexArtifacts.FILE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        refusedThenRebuilt(a, V, factors, "checksum mismatch: expected CRC32C ", "(manifest), actual ");
    }

    @Test
    void anArtifactOfOtherFactorValuesIsRefused() throws Exception {
        IndexArtifacts a = saved();
        float[] v = factors.values().clone();
        v[7] += 0.5f;
        refusedThenRebuilt(a, V, new FactorMatrix(v, 300, 8), "the factors changed since the graph was saved");
    }

    @Test
    void anotherBuildParameterIsAnotherArtifact() throws Exception {
        IndexArtifacts a = saved();
        HnswParams other = new HnswParams(12, 40, 20);
        assertTrue(a.load(SET, V, factors, other).isEmpty(), "hnsw-m12-efc40 does not exist yet");
    }

    @Test
    void offMeansAlwaysBuild() throws Exception {
        IndexArtifacts off = new IndexArtifacts(null);
        IndexArtifacts.Loaded l = off.loadOrBuild(SET, V, factors, P, 1, BuildProgress.NONE, Cancellation.NEVER);
        assertFalse(l.fromDisk());
        assertTrue(l.source().contains("index artifacts are off"), l.source());
    }
}
