package dev.segue.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Same spec, byte-identical files, whatever the thread count; another seed, another world. */
class DeterminismTest {
    private static final WorldSpec SPEC = new WorldSpec(11, 350, 3, 150);

    @Test
    void sameSeedGivesByteIdenticalFilesWithOneOrTwoThreads() throws IOException {
        Path a = TestWorlds.generate(SPEC, 1);
        Path b = TestWorlds.generate(SPEC, 2);
        List<Path> files = files(a);
        assertEquals(files, files(b));
        assertTrue(files.size() >= 12, files.toString());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
        }
    }

    @Test
    void anotherSeedGivesAnotherWorld() throws IOException {
        Path a = TestWorlds.generate(SPEC, 2);
        Path c = TestWorlds.generate(new WorldSpec(12, 350, 3, 150), 2);
        Path slice = Path.of("mpd/mpd.slice.0-349.json");
        assertFalse(Arrays.equals(Files.readAllBytes(a.resolve(slice)), Files.readAllBytes(c.resolve(slice))));
    }

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
