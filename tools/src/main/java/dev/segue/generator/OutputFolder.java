package dev.segue.generator;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/** Guards an output folder: refuses a non-empty one unless forced, and then clears only what we write. */
public final class OutputFolder {
    private OutputFolder() {}

    /**
     * Prepares {@code dir}: creates it, or, when it exists and is not empty, refuses (unless {@code force}) or
     * deletes the entries named in {@code ours} (other files are left alone).
     *
     * @throws IllegalArgumentException the folder is not empty and {@code force} is false, or it is a file
     */
    public static void prepare(Path dir, boolean force, List<String> ours) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("output " + dir + " exists and is not a folder");
        }
        if (Files.isDirectory(dir) && !isEmpty(dir)) {
            if (!force) {
                throw new IllegalArgumentException("output folder " + dir + " is not empty (use --force to overwrite)");
            }
            for (String name : ours) {
                deleteTree(dir.resolve(name));
            }
        }
        Files.createDirectories(dir);
    }

    static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
