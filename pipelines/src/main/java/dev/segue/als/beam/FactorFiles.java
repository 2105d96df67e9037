package dev.segue.als.beam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Factor files: packed factor matrices written once per half-iteration to a run directory on any Beam
 * filesystem (local, HDFS, GCS, S3 — wherever {@code --tempLocation} points), read by each worker at most once
 * and kept in a small per-JVM cache. Layout: magic {@code SGF1}, rows, dim (little-endian ints), then
 * {@code rows·dim} little-endian floats. A file is written under a temporary name and renamed, so a reader
 * never sees a partial matrix; a truncated or foreign file is refused with its path.
 */
public final class FactorFiles {
    static final int MAGIC = 0x31464753; // "SGF1" read little-endian
    private static final int HEADER = 12;
    private static final int CHUNK = 1 << 22;
    /** Two matrices: the user and item factors alternate, so each half-iteration finds the one it needs. */
    private static final int CACHED = 2;
    private static final Map<String, PackedFactors> CACHE = new LinkedHashMap<>(4, 0.75f, true);

    private FactorFiles() {}

    /** Writes {@code packed} to {@code file} (replacing an earlier attempt's file of the same name). */
    static void write(String file, PackedFactors packed) {
        ResourceId target = FileSystems.matchNewResource(file, false);
        ResourceId temp = FileSystems.matchNewResource(file + ".partial", false);
        try {
            try (WritableByteChannel ch = FileSystems.create(temp, MimeTypes.BINARY)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
                header.putInt(MAGIC).putInt(packed.rows()).putInt(packed.dim()).flip();
                writeFully(ch, header);
                float[] data = packed.data();
                ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int from = 0; from < data.length; from += CHUNK) {
                    int n = Math.min(CHUNK, data.length - from);
                    buf.clear();
                    buf.asFloatBuffer().put(data, from, n);
                    buf.limit(n * 4);
                    writeFully(ch, buf);
                }
            }
            FileSystems.rename(List.of(temp), List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write factor file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a factor file, checking its header and length against what the handle says. */
    static PackedFactors read(String file, int rows, int dim) {
        long floats = (long) rows * dim;
        try (ReadableByteChannel ch = FileSystems.open(FileSystems.matchNewResource(file, false))) {
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            if (readFully(ch, header) < HEADER) {
                throw new IOException("shorter than its " + HEADER + "-byte header");
            }
            header.flip();
            int magic = header.getInt();
            int r = header.getInt();
            int d = header.getInt();
            if (magic != MAGIC) {
                throw new IOException("not a Segue factor file (bad magic)");
            }
            if (r != rows || d != dim) {
                throw new IOException("holds " + r + "×" + d + " factors, expected " + rows + "×" + dim);
            }
            float[] data = new float[Math.toIntExact(floats)];
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int from = 0; from < data.length; from += CHUNK) {
                int n = Math.min(CHUNK, data.length - from);
                buf.clear().limit(n * 4);
                if (readFully(ch, buf) < n * 4) {
                    throw new IOException("truncated: ends after " + (HEADER + 4L * from + buf.position())
                            + " of " + (HEADER + 4 * floats) + " bytes");
                }
                buf.flip();
                buf.asFloatBuffer().get(data, from, n);
            }
            if (ch.read(ByteBuffer.allocate(1)) > 0) {
                throw new IOException("longer than " + (HEADER + 4 * floats) + " bytes");
            }
            return new PackedFactors(rows, dim, data);
        } catch (IOException e) {
            throw new UncheckedIOException("factor file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's matrix, read once per JVM while it is among the most recently used. */
    static PackedFactors cached(String file, int rows, int dim) {
        synchronized (CACHE) {
            PackedFactors hit = CACHE.get(file);
            if (hit != null) {
                return hit;
            }
            // Evict before reading so at most CACHED matrices are ever held.
            while (CACHE.size() >= CACHED) {
                CACHE.remove(CACHE.keySet().iterator().next());
            }
            PackedFactors read = read(file, rows, dim);
            CACHE.put(file, read);
            return read;
        }
    }

    /** Deletes a file if present (an earlier factor version nobody reads any more). */
    static void deleteIfPresent(String file) {
        synchronized (CACHE) {
            CACHE.remove(file);
        }
        try {
            FileSystems.delete(List.of(FileSystems.matchNewResource(file, false)),
                    MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete factor file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes a run directory's factor files (and the directory itself when it is local) and forgets them in
     * this JVM's cache; called once the pipeline has finished, successfully or not.
     */
    public static void deleteRun(String directory) throws IOException {
        if (directory == null) {
            return;
        }
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        synchronized (CACHE) {
            CACHE.keySet().removeIf(f -> f.startsWith(prefix));
        }
        List<ResourceId> found = new ArrayList<>();
        for (MatchResult m : FileSystems.match(List.of(prefix + "*"))) {
            if (m.status() == MatchResult.Status.OK) {
                for (MatchResult.Metadata md : m.metadata()) {
                    found.add(md.resourceId());
                }
            }
        }
        FileSystems.delete(found, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
        if (!directory.contains("://")) {
            Path local = Paths.get(directory);
            if (Files.isDirectory(local)) {
                Files.deleteIfExists(local);
            }
        }
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static int readFully(ReadableByteChannel ch, ByteBuffer b) throws IOException {
        int total = 0;
        while (b.hasRemaining()) {
            int n = ch.read(b);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
