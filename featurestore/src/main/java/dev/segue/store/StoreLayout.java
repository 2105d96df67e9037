package dev.segue.store;

import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * <p>
 * Where folder renames are not atomic (object stores) or not wanted (HDFS through {@code segue-featurestore-hadoop}),
 * the commit is by marker instead: the writer claims the number by creating {@code versions/vNNNNNN/_writer} (which
 * fails if another writer has it), moves its files into the folder, then writes {@code manifest.json} as one whole
 * file, last; a version is visible only once its manifest exists, so a killed writer leaves an invisible folder.
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

    static Location versionDir(StoreRoot root, String name, String version) {
        return root.at(name, VERSIONS, version);
    }

    static Location newStagingDir(StoreRoot root, String name) throws IOException {
        Location dir = root.at(name, STAGING, ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        root.io().mkdirs(dir);
        return dir;
    }

    /** Version folder names that hold a manifest, in sequence order. */
    static List<String> committedVersions(StoreRoot root, String name) {
        Location dir = root.at(name, VERSIONS);
        try {
            StoreFileIO io = root.io();
            List<StoreFileIO.Entry> entries = io.list(dir);
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            for (StoreFileIO.Entry e : entries) {
                if (e.directory() && VERSION.matcher(e.name()).matches() && io.exists(dir.resolve(e.name()).resolve(MANIFEST))) {
                    out.add(e.name());
                }
            }
            out.sort(Comparator.comparingLong(StoreLayout::sequenceOf));
            return out;
        } catch (IOException e) {
            throw new StoreException("cannot list versions of '" + name + "' in " + dir + ": " + e.getMessage(), e);
        }
    }

    static long maxSequence(StoreRoot root, String name) throws IOException {
        long max = 0;
        for (StoreFileIO.Entry e : root.io().list(root.at(name, VERSIONS))) {
            if (VERSION.matcher(e.name()).matches()) {
                max = Math.max(max, sequenceOf(e.name()));
            }
        }
        return max;
    }

    static Manifest readManifest(StoreRoot root, String name, String version) {
        Location file = versionDir(root, name, version).resolve(MANIFEST);
        try {
            return Json.MAPPER.readValue(readAll(root.io(), file), Manifest.class);
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new StoreException("feature set '" + name + "' has no version " + version);
        } catch (IOException e) {
            throw new CorruptionException(file + ": unreadable manifest: " + e.getMessage(), e);
        }
    }

    /** The whole content of a (small) file. */
    static byte[] readAll(StoreFileIO io, Location file) throws IOException {
        try (var ch = io.openRead(file)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + size + " bytes is too large to read whole");
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) size);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new java.io.EOFException(file + ": ended after " + b.position() + " of " + size + " bytes");
                }
            }
            return b.array();
        }
    }

    /**
     * Commits a filled staging folder. {@code manifestFor} receives (version id, sequence, parent, created time)
     * and returns the manifest to write; it may be called again if another writer wins the number.
     */
    static Manifest commit(StoreRoot root, String name, Location staging, Function<Draft, Manifest> manifestFor) throws IOException {
        StoreFileIO io = root.io();
        Location versions = root.at(name, VERSIONS);
        io.mkdirs(versions);
        for (int attempt = 0; attempt < 10_000; attempt++) {
            long seq = maxSequence(root, name) + 1;
            List<String> committed = committedVersions(root, name);
            String parent = committed.isEmpty() ? null : committed.get(committed.size() - 1);
            Manifest m = manifestFor.apply(new Draft(versionId(seq), seq, parent, Instant.now()));
            Location target = versions.resolve(m.version());
            if (io.atomicFolderRename()) {
                io.writeWhole(staging.resolve(MANIFEST), Json.MAPPER.writeValueAsBytes(m), true);
                io.syncFolder(staging);
                if (!io.rename(staging, target)) {
                    continue; // another writer committed this number first (rename onto a non-empty folder fails)
                }
                io.syncFolder(versions);
                return m;
            }
            if (commitByMarker(io, staging, target, m)) {
                return m;
            }
        }
        throw new StoreException("could not allocate a version number for '" + name + "'");
    }

    /** Claims {@code target} by its writer marker, moves the staged files in, then writes the manifest, last. */
    private static boolean commitByMarker(StoreFileIO io, Location staging, Location target, Manifest m) throws IOException {
        Location claim = target.resolve(WRITER);
        if (!io.writeWhole(claim, staging.name().getBytes(StandardCharsets.UTF_8), false)) {
            return false; // another writer holds this number
        }
        for (StoreFileIO.Entry e : io.list(staging)) {
            if (!io.rename(staging.resolve(e.name()), target.resolve(e.name()))) {
                throw new IOException("cannot move " + staging.resolve(e.name()) + " into " + target + ": the target exists");
            }
        }
        if (!io.writeWhole(target.resolve(MANIFEST), Json.MAPPER.writeValueAsBytes(m), false)) {
            throw new IOException(target.resolve(MANIFEST) + " appeared while this writer held " + claim);
        }
        io.delete(claim);
        io.deleteTree(staging);
        return true;
    }

    /** The writer marker of a version folder being committed by marker: its content is the writer's staging name. */
    static final String WRITER = "_writer";

    record Draft(String version, long sequence, String parent, Instant createdAt) {
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
