package dev.segue.tools;

import dev.segue.generator.WorldGenerator;
import dev.segue.generator.WorldSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One tiny generated world (MPD slices, challenge, logs, audio) shared by the command tests of this JVM,
 * generated once and deleted at exit.
 */
final class TinyWorld {
    /** 300 playlists, 5 challenge playlists per category, 120 listeners. */
    static final WorldSpec SPEC = new WorldSpec(11, 300, 5, 120);
    private static Path world;

    private TinyWorld() {}

    static synchronized Path get() {
        if (world == null) {
            try {
                Path dir = Files.createTempDirectory("segue-cli-world");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try (Stream<Path> s = Files.walk(dir)) {
                        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    } catch (IOException ignored) {
                        // best effort at exit
                    }
                }));
                WorldGenerator.generate(new WorldGenerator.Options(dir.resolve("world"), SPEC, 2, false, false));
                world = dir.resolve("world");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return world;
    }

    static String path(String... parts) {
        Path p = get();
        for (String part : parts) {
            p = p.resolve(part);
        }
        return p.toString();
    }
}
