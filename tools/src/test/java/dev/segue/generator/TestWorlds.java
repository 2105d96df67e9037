package dev.segue.generator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small generated worlds shared by the tests of one JVM (generated once, deleted at exit). */
final class TestWorlds {
    /** 1,500 playlists, 20 per challenge category, 600 listeners. */
    static final WorldSpec SPEC = new WorldSpec(7, 1500, 20, 600);
    private static Path shared;

    private TestWorlds() {}

    static synchronized Path shared() {
        if (shared == null) {
            shared = generate(SPEC, 2);
        }
        return shared;
    }

    static Path generate(WorldSpec spec, int threads) {
        try {
            Path dir = Files.createTempDirectory("segue-world");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    OutputFolder.deleteTree(dir);
                } catch (IOException ignored) {
                    // best effort at exit
                }
            }));
            WorldGenerator.generate(new WorldGenerator.Options(dir.resolve("world"), spec, threads, false, false));
            return dir.resolve("world");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
