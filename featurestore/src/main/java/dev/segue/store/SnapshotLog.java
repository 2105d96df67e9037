package dev.segue.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The snapshot records of a store, {@code ROOT/_snapshots/s000001.json ...}. A record is written to a temporary
 * file, fsynced, then hard-linked to the next free number: the link is atomic and fails if another writer took
 * the number, so two runs finishing together get distinct snapshots and a reader never sees a partial record.
 */
final class SnapshotLog {
    static final String DIR = "_snapshots";
    private static final Pattern FILE = Pattern.compile("s(\\d{6,})\\.json");

    private SnapshotLog() {
    }

    static String snapshotId(long seq) {
        return String.format("s%06d", seq);
    }

    /** Every snapshot record, oldest first. */
    static List<Snapshot> all(Path root) {
        Path dir = root.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> FILE.matcher(p.getFileName().toString()).matches()).toList();
        } catch (IOException e) {
            throw new StoreException("cannot list snapshots in " + dir + ": " + e.getMessage(), e);
        }
        List<Snapshot> out = new ArrayList<>();
        for (Path f : files) {
            try {
                out.add(Json.MAPPER.readValue(f.toFile(), Snapshot.class));
            } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
                // removed by gc while listing
            } catch (IOException e) {
                throw new CorruptionException(f + ": unreadable snapshot record: " + e.getMessage(), e);
            }
        }
        out.sort(Comparator.comparingLong(Snapshot::sequence));
        return out;
    }

    static Path file(Path root, Snapshot s) {
        return root.resolve(DIR).resolve(s.id() + ".json");
    }

    static Snapshot commit(Path root, String run, String producer, Map<String, String> versions) throws IOException {
        Path dir = root.resolve(DIR);
        Files.createDirectories(dir);
        Map<String, String> sorted = new LinkedHashMap<>(new TreeMap<>(versions));
        for (int attempt = 0; attempt < 10_000; attempt++) {
            long seq = maxSequence(dir) + 1;
            Snapshot s = new Snapshot(Snapshot.FORMAT_VERSION, snapshotId(seq), seq, Instant.now().toString(), run,
                    producer, sorted);
            Path tmp = dir.resolve(".tmp-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer b = ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(s));
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    ch.force(true);
                }
                try {
                    Files.createLink(dir.resolve(s.id() + ".json"), tmp);
                } catch (FileAlreadyExistsException e) {
                    continue; // another run took this number first
                } catch (UnsupportedOperationException e) {
                    throw new StoreException("the store folder " + root + " does not support hard links", e);
                }
                StoreLayout.fsyncDir(dir);
                return s;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        throw new StoreException("could not allocate a snapshot number in " + dir);
    }

    private static long maxSequence(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> FILE.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(0);
        }
    }
}
