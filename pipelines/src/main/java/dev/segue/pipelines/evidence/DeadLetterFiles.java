package dev.segue.pipelines.evidence;

import dev.segue.format.AtomicFile;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A dead-letter file that survives a failed run. Beam's file sinks (TextIO) publish their output only when the
 * whole pipeline succeeds; a run stopped by bad input (too many malformed records, no usable line) left its
 * dead letters in a hidden {@code .temp-beam-…} folder that nobody removed. Here the step that finds dead
 * letters writes them itself, one <em>part</em> per unit of work (a log split, a group of slice files), committed
 * by an atomic rename when that unit is done, into {@code .NAME.parts/} beside the target. The driver then calls
 * {@link #finish} on every exit path, success or failure: it concatenates the committed parts (in key order)
 * under the header into the target, written to a temporary name and renamed, and deletes the parts folder.
 *
 * <p>A part's name is derived from its unit's key, so a runner that retries a unit replaces its part rather
 * than adding a second copy. The parts folder is created by {@link #reset} before the run and never by a writer,
 * so a worker still finishing after a failed run was merged cannot leave a new parts folder behind. The target
 * must be on a file system every worker writes to (as the store is).
 */
public final class DeadLetterFiles implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String PART = ".part";

    private final String target;
    private final String header;

    /** {@code header}: the first line of the merged file, or null for none (JSON lines). */
    public DeadLetterFiles(Path target, String header) {
        this.target = target.toAbsolutePath().toString();
        this.header = header;
    }

    public Path target() {
        return Paths.get(target);
    }

    Path parts() {
        Path t = target();
        return t.resolveSibling("." + t.getFileName() + ".parts");
    }

    /** Before a run: removes the parts of an earlier (killed) run and creates the parts folder. */
    public void reset() throws IOException {
        deleteTree(parts());
        Files.createDirectories(parts());
    }

    /** A writer for the dead letters of one unit of work; {@code key} must be the same if the unit is retried. */
    public Writer writer(String key) {
        return new Writer(parts(), partName(key));
    }

    /**
     * Merges the committed parts into the target and removes the parts folder; returns the number of dead
     * letters. Without any part (a clean run, or one that stopped before reading) the target holds the header
     * alone.
     */
    public long finish() throws IOException {
        long n = 0;
        try (AtomicFile file = AtomicFile.create(target())) {
            // not closed: AtomicFile.commit closes the stream after its fsync
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(file.stream(), StandardCharsets.UTF_8));
            if (header != null) {
                out.write(header);
                out.write('\n');
            }
            if (Files.isDirectory(parts())) {
                List<Path> committed;
                try (Stream<Path> s = Files.list(parts())) {
                    committed = s.filter(p -> p.getFileName().toString().endsWith(PART)).sorted().toList();
                }
                for (Path p : committed) {
                    try (Stream<String> lines = Files.lines(p, StandardCharsets.UTF_8)) {
                        for (String line : (Iterable<String>) lines::iterator) {
                            out.write(line);
                            out.write('\n');
                            n++;
                        }
                    }
                }
            }
            out.flush();
            file.commit();
        }
        deleteTree(parts());
        return n;
    }

    /** A file-name-safe, sortable name for a key (long keys keep a readable prefix and a hash). */
    static String partName(String key) {
        String safe = key.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 120) {
            safe = safe.substring(0, 100) + "-" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
        }
        return safe + PART;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The dead letters of one unit: lines go to a temporary file opened on the first line; {@link #commit}
     * renames it to the unit's part; {@link #close} without a commit (the unit failed) deletes it.
     */
    public static final class Writer implements AutoCloseable {
        private final Path dir;
        private final String name;
        private Path tmp;
        private BufferedWriter out;
        private long lines;

        Writer(Path dir, String name) {
            this.dir = dir;
            this.name = name;
        }

        public void write(String line) {
            try {
                if (out == null) {
                    if (!Files.isDirectory(dir)) {
                        throw new IOException(dir + " is gone (the run was stopped)");
                    }
                    tmp = dir.resolve(name + ".tmp-" + UUID.randomUUID());
                    out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                }
                out.write(line);
                out.write('\n');
                lines++;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write dead letters to " + dir + ": " + e.getMessage(), e);
            }
        }

        public long lines() {
            return lines;
        }

        /** Publishes this unit's dead letters (none written: nothing to publish). */
        public void commit() {
            if (out == null) {
                return;
            }
            try {
                out.close();
                out = null;
                Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                tmp = null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot commit dead letters to " + dir + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                if (out != null) {
                    out.close();
                }
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                // the unit failed already; its uncommitted dead letters are dropped with the folder
            } finally {
                out = null;
                tmp = null;
            }
        }
    }
}
