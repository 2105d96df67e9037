package dev.segue.als.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Factor files: round trip, the per-JVM cache, and refusal of damaged files with the path in the message. */
class FactorFilesTest {
    @TempDir
    Path tmp;

    private static PackedFactors random(int rows, int dim, long seed) {
        Random rnd = new Random(seed);
        float[] data = new float[rows * dim];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rnd.nextGaussian();
        }
        return new PackedFactors(rows, dim, data);
    }

    @Test
    void roundTripsLargerThanOneChunkAndCachesByPath() {
        PackedFactors packed = random(70_000, 64, 1); // 4.48M floats: more than one 4M-float chunk
        String file = tmp.resolve("run/items-3.f32").toString();
        FactorFiles.write(file, packed);
        assertFalse(Files.exists(Path.of(file + ".partial")));
        PackedFactors read = FactorFiles.read(file, 70_000, 64);
        assertArrayEquals(packed.data(), read.data());
        PackedFactors cached = FactorFiles.cached(file, 70_000, 64);
        assertSame(cached, FactorFiles.cached(file, 70_000, 64));
        SharedFactors handle = SharedFactors.file(file, 70_000, 64);
        assertSame(cached, handle.resolve());
    }

    @Test
    void sharedFactorsCoderCarriesInlineMatricesAndFileLocations() throws Exception {
        var coder = SharedFactors.Coder.of();
        PackedFactors small = random(3, 4, 2);
        SharedFactors inline = org.apache.beam.sdk.util.CoderUtils.clone(coder, SharedFactors.inline(small));
        assertFalse(inline.isFile());
        assertArrayEquals(small.data(), inline.resolve().data());
        SharedFactors file = org.apache.beam.sdk.util.CoderUtils.clone(coder, SharedFactors.file("gs://b/x.f32", 9, 4));
        assertEquals(SharedFactors.file("gs://b/x.f32", 9, 4), file);
    }

    @Test
    void damagedFilesAreRefusedNamingTheFile() throws Exception {
        String file = tmp.resolve("users-1.f32").toString();
        FactorFiles.write(file, random(100, 8, 3));
        byte[] bytes = Files.readAllBytes(Path.of(file));

        Path truncated = tmp.resolve("truncated.f32");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        String message = assertThrows(UncheckedIOException.class,
                () -> FactorFiles.read(truncated.toString(), 100, 8)).getMessage();
        assertTrue(message.contains(truncated.toString()) && message.contains("truncated"), message);

        message = assertThrows(UncheckedIOException.class, () -> FactorFiles.read(file, 50, 8)).getMessage();
        assertTrue(message.contains("100×8") && message.contains("50×8"), message);

        Path foreign = tmp.resolve("foreign.f32");
        bytes[0] = 'X';
        Files.write(foreign, bytes);
        message = assertThrows(UncheckedIOException.class, () -> FactorFiles.read(foreign.toString(), 100, 8)).getMessage();
        assertTrue(message.contains("not a Segue factor file"), message);

        Path longer = tmp.resolve("longer.f32");
        Files.write(longer, java.util.Arrays.copyOf(Files.readAllBytes(Path.of(file)), bytes.length + 4));
        message = assertThrows(UncheckedIOException.class, () -> FactorFiles.read(longer.toString(), 100, 8)).getMessage();
        assertTrue(message.contains("longer than"), message);

        String missing = tmp.resolve("missing.f32").toString();
        message = assertThrows(UncheckedIOException.class, () -> FactorFiles.read(missing, 100, 8)).getMessage();
        assertTrue(message.contains(missing), message);
    }

    @Test
    void deleteRunRemovesTheDirectoryAndIgnoresNull() throws Exception {
        Path dir = tmp.resolve("segue-als-x");
        FactorFiles.write(dir.resolve("users-1.f32").toString(), random(5, 2, 4));
        FactorFiles.write(dir.resolve("items-0.f32").toString(), random(5, 2, 5));
        FactorFiles.deleteRun(dir.toString());
        assertFalse(Files.exists(dir));
        FactorFiles.deleteRun(null);
        FactorFiles.deleteRun(tmp.resolve("never-created").toString());
    }
}
