package dev.segue.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A feature store: a root folder holding feature sets, each a sequence of immutable, atomically committed
 * versions of Arrow IPC parts (see {@link StoreLayout} for the layout and commit protocol). The catalog is the
 * folder itself, so it is always consistent with what is committed. Instances are cheap and thread-safe.
 */
public final class FeatureStore {
    private final Path root;

    private FeatureStore(Path root) {
        this.root = root;
    }

    /** Opens (creating if missing) the store at {@code root}. */
    public static FeatureStore open(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new StoreException("cannot create store folder " + root + ": " + e.getMessage(), e);
        }
        return new FeatureStore(root.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    /** Names of feature sets with at least one committed version, sorted. */
    public List<String> list() {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> FeatureSetSchema.NAME.matcher(n).matches())
                    .filter(n -> !StoreLayout.committedVersions(root, n).isEmpty())
                    .sorted().toList();
        } catch (IOException e) {
            throw new StoreException("cannot list store " + root + ": " + e.getMessage(), e);
        }
    }

    /** Manifests of all committed versions of a feature set, oldest first. */
    public List<Manifest> versions(String name) {
        List<Manifest> out = new ArrayList<>();
        for (String v : StoreLayout.committedVersions(root, name)) {
            out.add(StoreLayout.readManifest(root, name, v));
        }
        return out;
    }

    /** Manifest of a version; {@code version} is an id like v000003, a bare number, or "latest". */
    public Manifest manifest(String name, String version) {
        return StoreLayout.readManifest(root, name, resolve(name, version));
    }

    public Manifest latest(String name) {
        return manifest(name, "latest");
    }

    /** The version that was current at {@code t}: the last one committed at or before it. */
    public Manifest manifestAsOf(String name, Instant t) {
        Manifest best = null;
        List<Manifest> all = versions(name);
        if (all.isEmpty()) {
            throw new StoreException("feature set '" + name + "' does not exist in " + root);
        }
        for (Manifest m : all) {
            if (!m.created().isAfter(t) && (best == null || m.sequence() > best.sequence())) {
                best = m;
            }
        }
        if (best == null) {
            throw new StoreException("feature set '" + name + "' had no version at " + t + " (first version "
                    + all.get(0).version() + " was committed at " + all.get(0).createdAt() + ")");
        }
        return best;
    }

    String resolve(String name, String version) {
        List<String> committed = StoreLayout.committedVersions(root, name);
        if (committed.isEmpty()) {
            throw new StoreException("feature set '" + name + "' does not exist in " + root
                    + (list().isEmpty() ? "" : " (have " + list() + ")"));
        }
        if (version == null || version.equals("latest")) {
            return committed.get(committed.size() - 1);
        }
        String id = version.matches("\\d+") ? StoreLayout.versionId(Long.parseLong(version)) : version;
        if (!committed.contains(id)) {
            throw new StoreException("feature set '" + name + "' has no version " + version + " (have " + committed + ")");
        }
        return id;
    }

    /** Opens a writer for a new version of {@code schema.name()}. */
    public FeatureSetWriter writer(FeatureSetSchema schema, WriteOptions options) {
        try {
            return new FeatureSetWriter(root, schema, options);
        } catch (IOException e) {
            throw new StoreException("cannot start writing '" + schema.name() + "' in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Opens the latest version. */
    public FeatureSetReader read(String name) {
        return new FeatureSetReader(root, latest(name));
    }

    /** Opens a named version (id like v000003, a bare number, or "latest"). */
    public FeatureSetReader read(String name, String version) {
        return new FeatureSetReader(root, manifest(name, version));
    }

    /** Opens the version that was current at {@code t} (time travel). */
    public FeatureSetReader readAsOf(String name, Instant t) {
        return new FeatureSetReader(root, manifestAsOf(name, t));
    }

    /** Fully verifies a version: every file's size and CRC32C, Arrow structure, schema and row counts. */
    public VerifyResult verify(String name, String version) {
        return Verifier.verify(root, manifest(name, version));
    }

    /** Removes versions older than the newest {@code keep}, except those a live reader holds; cleans dead writers. */
    public GcResult gc(String name, int keep) {
        return GarbageCollector.gc(root, name, keep);
    }

    /**
     * Commits parts already written (by a Beam sink, for example) as a new version: the files are moved into a
     * private staging folder, then the commit runs exactly as for {@link FeatureSetWriter#commit()}.
     */
    public Manifest commitParts(FeatureSetSchema schema, WriteOptions options, List<Path> partFiles,
                                List<PartSummary> summaries) {
        if (partFiles.size() != summaries.size()) {
            throw new IllegalArgumentException(partFiles.size() + " files but " + summaries.size() + " summaries");
        }
        Path staging = null;
        try {
            staging = StoreLayout.newStagingDir(root, schema.name());
            List<PartSummary> renamed = new ArrayList<>();
            for (int i = 0; i < partFiles.size(); i++) {
                String rel = String.format("part-%05d.arrow", i);
                Files.move(partFiles.get(i), staging.resolve(rel));
                PartSummary s = summaries.get(i);
                FileEntry e = s.entry();
                renamed.add(new PartSummary(new FileEntry(rel, e.rows(), e.batchRows(), e.size(), e.crc32c()),
                        s.stats(), s.keys(), s.stringKeys(), s.ts(), s.created()));
            }
            Manifest m = VersionCommit.commit(root, schema, options, staging, renamed);
            staging = null;
            return m;
        } catch (IOException e) {
            throw new StoreException("feature set '" + schema.name() + "': commit failed: " + e.getMessage(), e);
        } finally {
            if (staging != null) {
                try {
                    StoreLayout.deleteTree(staging);
                } catch (IOException ignored) {
                    // gc removes staging folders of dead processes
                }
            }
        }
    }
}
