package dev.segue.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * On-disk layout of one feature set and the commit protocol.
 * <pre>
 * ROOT/NAME/versions/v000001/{manifest.json, part-00000.arrow, ..., keys.idx}   committed, immutable
 * ROOT/NAME/_staging/PID-UUID/                                                 a writer at work
 * ROOT/NAME/_leases/v000001/PID-UUID                                           a reader holding a version
 * </pre>
 * A writer fills a private staging folder (parts fsynced, then the manifest), then renames the whole folder to
 * the next free version number. The rename is atomic and fails if another writer took the number first (the
 * target is then a non-empty folder), in which case the manifest is rewritten for the next number and the rename
 * retried; so concurrent commits both succeed with distinct versions, and a killed writer leaves only a staging
 * folder that no reader looks at.
 */
final class StoreLayout {
    static final String VERSIONS = "versions";
    static final String STAGING = "_staging";
    static final String LEASES = "_leases";
    static final String MANIFEST = "manifest.json";
    private static final Pattern VERSION = Pattern.compile("v(\\d{6,})");

    private StoreLayout() {
    }

    static String versionId(long seq) {
        return String.format("v%06d", seq);
    }

    static long sequenceOf(String versionId) {
        Matcher m = VERSION.matcher(versionId);
        if (!m.matches()) {
            throw new StoreException("not a version id: '" + versionId + "' (expected like v000001)");
        }
        return Long.parseLong(m.group(1));
    }

    static Path setDir(Path root, String name) {
        return root.resolve(name);
    }

    static Path versionDir(Path root, String name, String version) {
        return root.resolve(name).resolve(VERSIONS).resolve(version);
    }

    static Path newStagingDir(Path root, String name) throws IOException {
        Path dir = root.resolve(name).resolve(STAGING).resolve(ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        Files.createDirectories(dir);
        return dir;
    }

    /** Version folder names that hold a manifest, in sequence order. */
    static List<String> committedVersions(Path root, String name) {
        Path dir = root.resolve(name).resolve(VERSIONS);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> VERSION.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.exists(p.resolve(MANIFEST)))
                    .map(p -> p.getFileName().toString())
                    .sorted(Comparator.comparingLong(StoreLayout::sequenceOf))
                    .toList();
        } catch (IOException e) {
            throw new StoreException("cannot list versions of '" + name + "' in " + dir + ": " + e.getMessage(), e);
        }
    }

    static long maxSequence(Path root, String name) throws IOException {
        Path dir = root.resolve(name).resolve(VERSIONS);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> VERSION.matcher(n).matches())
                    .mapToLong(StoreLayout::sequenceOf).max().orElse(0);
        }
    }

    static Manifest readManifest(Path root, String name, String version) {
        Path file = versionDir(root, name, version).resolve(MANIFEST);
        try {
            return Json.MAPPER.readValue(file.toFile(), Manifest.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new StoreException("feature set '" + name + "' has no version " + version);
        } catch (IOException e) {
            throw new CorruptionException(file + ": unreadable manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Commits a filled staging folder. {@code manifestFor} receives (version id, sequence, parent, created time)
     * and returns the manifest to write; it may be called again if another writer wins the number.
     */
    static Manifest commit(Path root, String name, Path staging, Function<Draft, Manifest> manifestFor) throws IOException {
        Path versions = root.resolve(name).resolve(VERSIONS);
        Files.createDirectories(versions);
        for (int attempt = 0; attempt < 10_000; attempt++) {
            long seq = maxSequence(root, name) + 1;
            List<String> committed = committedVersions(root, name);
            String parent = committed.isEmpty() ? null : committed.get(committed.size() - 1);
            Manifest m = manifestFor.apply(new Draft(versionId(seq), seq, parent, Instant.now()));
            writeAtomically(staging.resolve(MANIFEST), Json.MAPPER.writeValueAsBytes(m));
            fsyncDir(staging);
            Path target = versions.resolve(m.version());
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StoreException("the store folder " + root + " does not support atomic renames", e);
            } catch (FileSystemException e) {
                if (Files.exists(target)) {
                    continue; // another writer committed this number first (rename onto a non-empty folder fails)
                }
                throw e;
            }
            fsyncDir(versions);
            return m;
        }
        throw new StoreException("could not allocate a version number for '" + name + "'");
    }

    record Draft(String version, long sequence, String parent, Instant createdAt) {
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open directories; the file fsyncs already happened
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Process id encoded at the start of a staging or lease name, or -1. */
    static long ownerPid(String fileName) {
        int dash = fileName.indexOf('-');
        try {
            return dash > 0 ? Long.parseLong(fileName.substring(0, dash)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
