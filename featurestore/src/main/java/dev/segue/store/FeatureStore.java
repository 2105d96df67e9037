package dev.segue.store;

import dev.segue.store.io.LocalFileIO;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;
import dev.segue.store.io.StoreFileIOs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A feature store: a root folder holding feature sets, each a sequence of immutable, atomically committed
 * versions of Arrow IPC parts (see {@link StoreLayout} for the layout and commit protocol). The catalog is the
 * folder itself, so it is always consistent with what is committed. Instances are cheap and thread-safe.
 * <p>
 * The root is a local folder or, through a {@link StoreFileIO} found by scheme ({@link #open(String)}), a folder on
 * another file system such as {@code hdfs://namenode:8020/store}.
 */
public final class FeatureStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FeatureStore.class);
    private static final java.util.Set<String> NOTED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final StoreRoot root;

    private FeatureStore(StoreRoot root) {
        this.root = root;
    }

    /** Opens (creating if missing) the store at the local folder {@code root}. */
    public static FeatureStore open(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new StoreException("cannot create store folder " + root + ": " + e.getMessage(), e);
        }
        return new FeatureStore(new StoreRoot(LocalFileIO.INSTANCE, LocalFileIO.location(root)));
    }

    /**
     * Opens (creating if missing) the store at {@code root}: a local folder, or a URI whose scheme a
     * {@link dev.segue.store.io.StoreFileIOProvider} on the class path serves ({@code hdfs://namenode:8020/store}
     * with {@code segue-featurestore-hadoop}).
     *
     * @throws StoreException with one line naming the root if no file system serves its scheme, the file system
     *                        cannot be reached, or the folder cannot be created
     */
    public static FeatureStore open(String root) {
        if (StoreFileIOs.isLocal(root)) {
            return open(LocalFileIO.path(Location.of(root)));
        }
        Location loc = Location.of(root);
        return open(StoreFileIOs.forRoot(loc), loc);
    }

    /** Opens (creating if missing) the store at {@code root} through a given file IO (a wrapped one, in tests). */
    public static FeatureStore open(StoreFileIO io, Location root) {
        try {
            io.mkdirs(root);
        } catch (IOException e) {
            throw new StoreException("cannot create store folder " + root + ": " + oneLine(e), e);
        }
        return new FeatureStore(new StoreRoot(io, root));
    }

    /**
     * Checks that this process may write the store (creates and deletes a probe file at its root), so that a
     * writer finds out before it starts, not when its first part or commit fails.
     *
     * @throws StoreException one line naming the root and the file system's reason (e.g. HDFS's permission check)
     */
    public void checkWritable() {
        Location probe = root.location().resolve(".write-probe-" + ProcessHandle.current().pid() + "-"
                + java.util.UUID.randomUUID());
        try {
            root.io().touch(probe);
            root.io().delete(probe);
        } catch (IOException | RuntimeException e) {
            Throwable why = e; // the file system's own reason (HDFS: "Permission denied: user=…, access=WRITE, …")
            while (why.getCause() != null && why.getCause() != why && why.getCause().getMessage() != null) {
                why = why.getCause();
            }
            throw new StoreException("store " + root + ": cannot write there (" + oneLine(why) + ")", e);
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * The local folder of the store.
     *
     * @throws StoreException if the store is not on the local file system (see {@link #location()})
     */
    public Path root() {
        if (root.io() != LocalFileIO.INSTANCE) {
            throw new StoreException("store " + root + " is on " + root.io().scheme() + "://, not a local folder");
        }
        return LocalFileIO.path(root.location());
    }

    /** Where the store is: its local folder or its URI. */
    public String location() {
        return root.location().toString();
    }

    /** Whether the store is a local folder. */
    public boolean isLocal() {
        return root.io() == LocalFileIO.INSTANCE;
    }

    /** The file IO the store reads and writes through, and its root. */
    public StoreFileIO io() {
        return root.io();
    }

    public Location rootLocation() {
        return root.location();
    }

    static FeatureStore at(StoreRoot root) {
        return new FeatureStore(root);
    }

    StoreRoot storeRoot() {
        return root;
    }

    /** Names of feature sets with at least one committed version, sorted. */
    public List<String> list() {
        try {
            return root.io().list(root.location()).stream().filter(StoreFileIO.Entry::directory)
                    .map(StoreFileIO.Entry::name)
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
            List<Snapshot> snapshots = SnapshotLog.all(root);
            if (snapshots.isEmpty() && NOTED.add(root.toString())) {
                LOG.info("store {} has no snapshot records (written before snapshots existed, or only by single "
                        + "writes): 'latest' is each feature set's newest version outside an unfinished run", root);
            }
            return latestComplete(name, committed, snapshots);
        }
        String id = version.matches("\\d+") ? StoreLayout.versionId(Long.parseLong(version)) : version;
        if (!committed.contains(id)) {
            throw new StoreException("feature set '" + name + "' has no version " + version + " (have " + committed + ")");
        }
        return id;
    }

    /**
     * "latest" of a set: the newer of (a) its version in the newest snapshot that lists it and (b) its newest
     * version written outside any run (such a write is complete by itself; stores written before snapshots
     * existed hold only these). A version of a run without a snapshot (killed, failed or still running) is
     * never latest.
     */
    private String latestComplete(String name, List<String> committed, List<Snapshot> snapshots) {
        String fromSnapshot = null;
        for (int i = snapshots.size() - 1; i >= 0 && fromSnapshot == null; i--) {
            String v = snapshots.get(i).version(name);
            if (v != null && committed.contains(v)) {
                fromSnapshot = v;
            }
        }
        long floor = fromSnapshot == null ? 0 : StoreLayout.sequenceOf(fromSnapshot);
        String unfinished = null;
        for (int i = committed.size() - 1; i >= 0; i--) {
            String v = committed.get(i);
            if (StoreLayout.sequenceOf(v) <= floor) {
                break;
            }
            Manifest m = StoreLayout.readManifest(root, name, v);
            if (m.run() == null) {
                return v;
            }
            if (unfinished == null) {
                unfinished = v + " (run " + m.run() + ")";
            }
        }
        if (fromSnapshot != null) {
            return fromSnapshot;
        }
        throw new StoreException("feature set '" + name + "' has no complete version in " + root + ": " + unfinished
                + " belongs to a run that wrote no snapshot (it failed, was killed or is still running; "
                + "'segue store gc' removes it once its process is gone)");
    }

    /** A new run id ({@code PID-UUID}): tag each version with {@link WriteOptions#run}, then {@link #commitRun}. */
    public static String newRun() {
        return ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID();
    }

    /**
     * Makes a run's outputs visible together: checks that each of {@code expected} has exactly one committed version
     * tagged with {@code run}, then writes the snapshot record listing them (every tagged version of the run, also
     * sets not in {@code expected}).
     *
     * @throws StoreException naming the sets the run did not commit
     */
    public Snapshot commitRun(String run, String producer, java.util.Collection<String> expected) {
        java.util.Map<String, String> versions = new java.util.TreeMap<>();
        for (String name : list()) {
            List<String> committed = StoreLayout.committedVersions(root, name);
            for (int i = committed.size() - 1; i >= 0; i--) {
                Manifest m = StoreLayout.readManifest(root, name, committed.get(i));
                if (run.equals(m.run())) {
                    String other = versions.put(name, m.version());
                    if (other != null) {
                        throw new StoreException("run " + run + " committed '" + name + "' twice (" + m.version()
                                + " and " + other + "); no snapshot written");
                    }
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String e : expected) {
            if (!versions.containsKey(e)) {
                missing.add(e);
            }
        }
        if (!missing.isEmpty() || versions.isEmpty()) {
            throw new StoreException("run " + run + " did not commit " + (missing.isEmpty() ? "any feature set" : missing)
                    + " in " + root + "; no snapshot written, the previous one stays latest");
        }
        try {
            return SnapshotLog.commit(root, run, producer, versions);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot write the snapshot of run " + run + " in " + root + ": " + e.getMessage(), e);
        }
    }

    /** The version of {@code name} that run {@code run} committed, if any (newest first search). */
    public java.util.Optional<Manifest> runVersion(String name, String run) {
        List<String> committed = StoreLayout.committedVersions(root, name);
        for (int i = committed.size() - 1; i >= 0; i--) {
            Manifest m = StoreLayout.readManifest(root, name, committed.get(i));
            if (run.equals(m.run())) {
                return java.util.Optional.of(m);
            }
        }
        return java.util.Optional.empty();
    }

    /** Snapshot records, oldest first (empty for a store written before snapshots existed). */
    public List<Snapshot> snapshots() {
        return SnapshotLog.all(root);
    }

    /** The newest snapshot record, if any. */
    public java.util.Optional<Snapshot> latestSnapshot() {
        List<Snapshot> all = snapshots();
        return all.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(all.get(all.size() - 1));
    }

    /** The newest snapshot that lists version {@code version} of {@code name}, if any. */
    public java.util.Optional<Snapshot> snapshotOf(String name, String version) {
        List<Snapshot> all = snapshots();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (version.equals(all.get(i).version(name))) {
                return java.util.Optional.of(all.get(i));
            }
        }
        return java.util.Optional.empty();
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

    /**
     * Whether readers check each file's CRC32C against the manifest before using it (default true; the system
     * property {@code segue.store.verifyReads=false} turns it off, for measuring its cost).
     */
    public static boolean verifyReads() {
        return VERIFY_READS;
    }

    private static final boolean VERIFY_READS = !"false".equalsIgnoreCase(System.getProperty("segue.store.verifyReads"));

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
        if (!isLocal()) { // local part files into a store elsewhere: copy each (durably), then drop the local file
            return commitStaged(schema, options, summaries, (i, target) -> {
                try (var in = java.nio.channels.FileChannel.open(partFiles.get(i)); var out = root.io().create(target)) {
                    long size = in.size();
                    for (long at = 0; at < size; ) {
                        at += in.transferTo(at, size - at, out);
                    }
                }
                Files.delete(partFiles.get(i));
            });
        }
        // Files.move, not a rename: the sink's temporary files may be on another local file system
        return commitStaged(schema, options, summaries, (i, target) -> Files.move(partFiles.get(i), LocalFileIO.path(target)));
    }

    /** {@link #commitParts} for parts written on the store's own file system (not necessarily local). */
    public Manifest commitPartFiles(FeatureSetSchema schema, WriteOptions options, List<Location> partFiles,
                                    List<PartSummary> summaries) {
        if (partFiles.size() != summaries.size()) {
            throw new IllegalArgumentException(partFiles.size() + " files but " + summaries.size() + " summaries");
        }
        return commitStaged(schema, options, summaries, (i, target) -> {
            if (!root.io().rename(partFiles.get(i), target)) {
                throw new IOException("cannot move " + partFiles.get(i) + " to " + target + ": the target exists");
            }
        });
    }

    private interface Mover {
        void move(int part, Location target) throws IOException;
    }

    private Manifest commitStaged(FeatureSetSchema schema, WriteOptions options, List<PartSummary> summaries, Mover mover) {
        Location staging = null;
        try {
            staging = StoreLayout.newStagingDir(root, schema.name());
            List<PartSummary> renamed = new ArrayList<>();
            for (int i = 0; i < summaries.size(); i++) {
                String rel = String.format("part-%05d.arrow", i);
                mover.move(i, staging.resolve(rel));
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
                    root.io().deleteTree(staging);
                } catch (IOException ignored) {
                    // gc removes staging folders of dead processes
                }
            }
        }
    }
}
