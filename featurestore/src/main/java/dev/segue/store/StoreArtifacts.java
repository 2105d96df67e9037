package dev.segue.store;

import dev.segue.store.io.LocalFileIO;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Artifacts: one file derived from one committed version of a feature set (e.g. the HNSW graph of a
 * {@code track_factors} version), kept beside the store's sets under {@code ROOT/_artifacts/SET/VERSION/NAME/}
 * with an {@code artifact.json} naming the version, its row count and dimension, the producer's parameters and
 * the file's size and CRC32C (FORMAT.md, "Artifacts"). An artifact folder appears whole (staging folder, then
 * one rename) and is replaced whole; readers check the manifest against the version they hold and the file's
 * checksum before using it ({@link Artifact#verify}).
 */
public final class StoreArtifacts {
    /** The artifacts folder under a store root; starts with {@code _}, so it is never a feature set. */
    public static final String DIR = "_artifacts";
    public static final String MANIFEST = "artifact.json";
    public static final int FORMAT_VERSION = 1;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Path root;
    /** For a store on another file system: its {@code _artifacts} folder there ({@link #root} is the local copy). */
    private final StoreFileIO io;
    private final Location remote;

    /** Artifacts under {@code root} (normally {@code STORE/_artifacts}, see {@link #of}). */
    public StoreArtifacts(Path root) {
        this.root = root.toAbsolutePath();
        this.io = null;
        this.remote = null;
    }

    /**
     * Artifacts of a store on another file system, under {@code remote} (its {@code _artifacts}), used through local
     * copies under {@code cache}: readers map artifact files, so {@link #find} downloads an artifact once (again
     * when the remote one changes) and {@link #write} writes locally, then uploads it whole.
     */
    public StoreArtifacts(StoreFileIO io, Location remote, Path cache) {
        this.root = cache.toAbsolutePath();
        this.io = io;
        this.remote = remote;
    }

    /**
     * The artifacts of a store: {@code ROOT/_artifacts}; for a store that is not a local folder, used through
     * local copies in {@code java.io.tmpdir/segue-artifacts-HASH} (one folder per store location).
     */
    public static StoreArtifacts of(FeatureStore store) {
        if (store.isLocal()) {
            return new StoreArtifacts(store.root().resolve(DIR));
        }
        String hash = Checksums.hex(store.location().hashCode() & 0xffffffffL);
        return new StoreArtifacts(store.io(), store.rootLocation().resolve(DIR),
                Path.of(System.getProperty("java.io.tmpdir"), "segue-artifacts-" + hash));
    }

    /** Where the artifacts are: the local folder, or the remote one for a store on another file system. */
    public String location() {
        return remote != null ? remote.toString() : root.toString();
    }

    public Path root() {
        return root;
    }

    /**
     * What {@code artifact.json} says.
     *
     * @param builtFrom  the feature set the artifact was derived from
     * @param version    that set's version
     * @param rowCount   the version's row count when the artifact was built
     * @param dim        the dimension of the vectors it was built from (0 when not applicable)
     * @param parameters the producer's parameters (string → string)
     * @param file       the artifact's one file: name, size, CRC32C ({@code rows} = rowCount, {@code batchRows} 0)
     */
    public record ArtifactManifest(int formatVersion, String name, String builtFrom, String version, long rowCount,
                                   int dim, Map<String, String> parameters, FileEntry file, String createdAt,
                                   String producer) {}

    /** A committed artifact: its folder and manifest. */
    public record Artifact(Path folder, ArtifactManifest manifest) {
        public Path file() {
            return folder.resolve(manifest.file().path());
        }

        /**
         * Checks the file's size and CRC32C against the manifest.
         *
         * @throws CorruptionException naming the file, the expected (manifest) and the actual value
         */
        public void verify() {
            Checksums.verify(LocalFileIO.INSTANCE, LocalFileIO.location(file()), manifest.file());
        }
    }

    /** Writes the artifact's file into a given path. */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path file) throws IOException;
    }

    public Path folder(String set, String version, String name) {
        return root.resolve(checkName("feature set", set)).resolve(checkName("version", version))
                .resolve(checkName("artifact", name));
    }

    /**
     * The artifact {@code name} of {@code set} {@code version}, if one was committed.
     *
     * @throws CorruptionException its manifest cannot be parsed
     */
    public Optional<Artifact> find(String set, String version, String name) {
        Path folder = folder(set, version, name);
        if (remote != null) {
            return findRemote(set, version, name, folder);
        }
        Path manifest = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        byte[] json;
        try {
            json = Files.readAllBytes(manifest);
        } catch (IOException e) {
            throw new CorruptionException(manifest + ": not a readable artifact manifest: " + e.getMessage(), e);
        }
        return Optional.of(new Artifact(folder, parse(manifest.toString(), json)));
    }

    /**
     * The versions of {@code set} that have a committed artifact {@code name}, sorted by name; listed where the
     * artifacts are (on the store's own file system for a store that is not a local folder, never the local copies,
     * which hold only what this process downloaded).
     */
    public List<String> versions(String set, String name) {
        checkName("feature set", set);
        checkName("artifact", name);
        List<String> out = new ArrayList<>();
        if (remote != null) {
            Location dir = remote.resolve(set);
            try {
                for (StoreFileIO.Entry e : io.list(dir)) {
                    if (e.directory() && NAME.matcher(e.name()).matches()
                            && io.exists(dir.resolve(e.name()).resolve(name).resolve(MANIFEST))) {
                        out.add(e.name());
                    }
                }
            } catch (IOException e) {
                throw new StoreException(dir + ": cannot list artifacts: " + e.getMessage(), e);
            }
        } else {
            Path dir = root.resolve(set);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(p -> Files.isRegularFile(p.resolve(name).resolve(MANIFEST)))
                            .map(p -> p.getFileName().toString()).forEach(out::add);
                } catch (IOException e) {
                    throw new StoreException(dir + ": cannot list artifacts: " + e.getMessage(), e);
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    /** Where the artifacts of {@code set} are, for messages: a local folder or a location on the store's file system. */
    public String location(String set) {
        checkName("feature set", set);
        return remote != null ? remote.resolve(set).toString() : root.resolve(set).toString();
    }

    private static ArtifactManifest parse(String manifest, byte[] json) {
        ArtifactManifest m;
        try {
            m = Json.MAPPER.readValue(json, ArtifactManifest.class);
        } catch (IOException e) {
            throw new CorruptionException(manifest + ": not a readable artifact manifest: " + e.getMessage(), e);
        }
        if (m.formatVersion() > FORMAT_VERSION) {
            throw new CorruptionException(manifest + ": artifact formatVersion " + m.formatVersion()
                    + " is newer than this reader's " + FORMAT_VERSION);
        }
        if (m.file() == null || m.file().path() == null || !NAME.matcher(m.file().path()).matches()
                || MANIFEST.equals(m.file().path())) {
            throw new CorruptionException(manifest + ": the artifact manifest names no usable file");
        }
        return m;
    }

    /** Reads the remote manifest; downloads the file unless the local copy is of the same manifest. */
    private Optional<Artifact> findRemote(String set, String version, String name, Path folder) {
        Location from = remote.resolve(set).resolve(version).resolve(name);
        byte[] json;
        try {
            json = StoreLayout.readAll(io, from.resolve(MANIFEST));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CorruptionException(from.resolve(MANIFEST) + ": not a readable artifact manifest: " + e.getMessage(), e);
        }
        ArtifactManifest m = parse(from.resolve(MANIFEST).toString(), json);
        Path local = folder.resolve(m.file().path());
        try {
            Path localManifest = folder.resolve(MANIFEST);
            boolean current = Files.isRegularFile(localManifest) && java.util.Arrays.equals(Files.readAllBytes(localManifest), json)
                    && Files.isRegularFile(local) && Files.size(local) == m.file().size();
            if (!current) {
                Files.createDirectories(folder);
                Path tmp = folder.resolve(".download-" + UUID.randomUUID());
                try (var in = io.openRead(from.resolve(m.file().path()))) {
                    Files.copy(java.nio.channels.Channels.newInputStream(in), tmp);
                    Files.move(tmp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                Files.write(localManifest, json);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CorruptionException(from.resolve(m.file().path()) + ": missing (listed in " + MANIFEST + ")");
        } catch (IOException e) {
            throw new StoreException("cannot copy artifact " + from + " to " + folder + ": " + e.getMessage(), e);
        }
        return Optional.of(new Artifact(folder, m));
    }

    /** Uploads a locally written artifact folder: staged remotely, then renamed into place (old one moved aside). */
    private void upload(Path localFolder, String set, String version, String name) throws IOException {
        Location staging = remote.resolve("_staging").resolve(ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        Location target = remote.resolve(set).resolve(version).resolve(name);
        Location old = null;
        try {
            io.mkdirs(staging);
            ArtifactManifest m = parse(localFolder.resolve(MANIFEST).toString(), Files.readAllBytes(localFolder.resolve(MANIFEST)));
            try (var in = java.nio.channels.FileChannel.open(localFolder.resolve(m.file().path()));
                 var out = io.create(staging.resolve(m.file().path()))) {
                long size = in.size();
                for (long at = 0; at < size; ) {
                    at += in.transferTo(at, size - at, out);
                }
            }
            io.writeWhole(staging.resolve(MANIFEST), Files.readAllBytes(localFolder.resolve(MANIFEST)), false);
            io.mkdirs(target.parent());
            if (io.exists(target)) {
                old = remote.resolve("_staging").resolve("old-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
                io.rename(target, old);
            }
            if (!io.rename(staging, target)) {
                throw new IOException(target + ": another writer committed this artifact at the same time");
            }
            staging = null;
        } finally {
            if (staging != null) {
                io.deleteTree(staging);
            }
            if (old != null) {
                io.deleteTree(old);
            }
        }
    }

    /**
     * Writes (or replaces) an artifact: {@code writer} fills {@code fileName} in a staging folder, which gets its
     * manifest and is then renamed into place, so readers see the old artifact, none, or the new one whole.
     */
    public Artifact write(String set, String version, long rowCount, int dim, String name, String fileName,
                          Map<String, String> parameters, String producer, FileWriter writer) throws IOException {
        Path target = folder(set, version, name);
        checkName("file", fileName);
        if (MANIFEST.equals(fileName)) {
            throw new IllegalArgumentException("an artifact file cannot be named " + MANIFEST);
        }
        Path staging = root.resolve("_staging").resolve(ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        Files.createDirectories(staging);
        try {
            Path file = staging.resolve(fileName);
            writer.write(file);
            try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            FileEntry entry = new FileEntry(fileName, rowCount, 0, Files.size(file), Checksums.crc32c(LocalFileIO.INSTANCE, LocalFileIO.location(file)));
            ArtifactManifest m = new ArtifactManifest(FORMAT_VERSION, name, set, version, rowCount, dim,
                    new TreeMap<>(parameters), entry, Instant.now().toString(), producer == null ? "unknown" : producer);
            Path tmp = staging.resolve(MANIFEST + ".tmp");
            Json.MAPPER.writeValue(tmp.toFile(), m);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, staging.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
            LocalFileIO.INSTANCE.syncFolder(LocalFileIO.location(staging));
            Files.createDirectories(target.getParent());
            Path old = null;
            if (Files.exists(target)) {
                // replace: move the old one aside first (readers see none for a moment, never a mix)
                old = root.resolve("_staging").resolve("old-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                throw new IOException(target + ": another writer committed this artifact at the same time", e);
            }
            LocalFileIO.INSTANCE.syncFolder(LocalFileIO.location(target.getParent()));
            if (old != null) {
                deleteTree(old);
            }
            if (remote != null) {
                upload(target, set, version, name);
            }
            return new Artifact(target, m);
        } finally {
            deleteTree(staging);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover staging folder is harmless: never read
        }
    }

    private static String checkName(String what, String s) {
        if (s == null || !NAME.matcher(s).matches()) {
            throw new IllegalArgumentException("not a valid " + what + " name for an artifact: \"" + s + "\"");
        }
        return s;
    }
}
