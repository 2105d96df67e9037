package dev.segue.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Retention: keeps the newest N complete versions (listed in a snapshot, or written outside a run), the latest one,
 * every version of a run whose process is alive and every version a live process holds a lease on; removes the
 * rest (manifest first, so a half-removed version is already invisible), including the versions of runs that died
 * before their snapshot, and snapshot records none of whose versions remain. Also removes staging folders of writers
 * whose process is gone, and leases of dead processes.
 */
final class GarbageCollector {
    /** Staging folders without a recognisable owner process are removed after this long. */
    static final Duration ORPHAN_AGE = Duration.ofHours(6);

    private GarbageCollector() {
    }

    static GcResult gc(Path root, String name, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("gc must keep at least 1 version, got " + keep);
        }
        List<String> versions = StoreLayout.committedVersions(root, name);
        if (versions.isEmpty()) {
            throw new StoreException("feature set '" + name + "' does not exist in " + root);
        }
        List<Snapshot> snapshots = SnapshotLog.all(root);
        java.util.Set<String> inSnapshot = new java.util.HashSet<>();
        for (Snapshot s : snapshots) {
            if (s.version(name) != null) {
                inSnapshot.add(s.version(name));
            }
        }
        String latest = null;
        try {
            latest = FeatureStore.open(root).resolve(name, "latest");
        } catch (StoreException e) {
            // only unfinished runs' versions: nothing is latest yet
        }
        // complete versions (in a snapshot, or written outside a run) count towards keep; a run's version without
        // a snapshot is an orphan once the run's process is gone, and kept while it may still be running
        List<String> complete = new ArrayList<>();
        List<String> orphans = new ArrayList<>();
        List<String> running = new ArrayList<>();
        for (String v : versions) {
            String run = StoreLayout.readManifest(root, name, v).run();
            if (run == null || inSnapshot.contains(v)) {
                complete.add(v);
            } else if (StoreLayout.alive(StoreLayout.ownerPid(run))) {
                running.add(v);
            } else {
                orphans.add(v);
            }
        }
        List<String> removed = new ArrayList<>();
        List<String> leased = new ArrayList<>();
        List<String> kept = new ArrayList<>(complete.subList(Math.max(0, complete.size() - keep), complete.size()));
        if (latest != null && !kept.contains(latest)) {
            kept.add(latest);
        }
        kept.addAll(running);
        List<String> drop = new ArrayList<>(complete.subList(0, Math.max(0, complete.size() - keep)));
        drop.remove(latest);
        drop.addAll(orphans);
        drop.sort(java.util.Comparator.comparingLong(StoreLayout::sequenceOf));
        kept.sort(java.util.Comparator.comparingLong(StoreLayout::sequenceOf));
        long freed = 0;
        try {
            for (String v : drop) {
                if (liveLease(root, name, v)) {
                    leased.add(v);
                    continue;
                }
                Path dir = StoreLayout.versionDir(root, name, v);
                freed += size(dir);
                Files.deleteIfExists(dir.resolve(StoreLayout.MANIFEST));
                StoreLayout.deleteTree(dir);
                StoreLayout.deleteTree(root.resolve(name).resolve(StoreLayout.LEASES).resolve(v));
                Path artifacts = root.resolve(StoreArtifacts.DIR).resolve(name).resolve(v); // derived from it
                if (Files.exists(artifacts)) {
                    freed += size(artifacts);
                    StoreLayout.deleteTree(artifacts);
                }
                removed.add(v);
            }
            int staging = cleanStaging(root.resolve(name).resolve(StoreLayout.STAGING));
            dropStaleSnapshots(root, snapshots);
            return new GcResult(name, removed, leased, kept, staging, freed);
        } catch (IOException e) {
            throw new StoreException("gc of '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    /** Removes snapshot records none of whose versions exist any more. */
    private static void dropStaleSnapshots(Path root, List<Snapshot> snapshots) throws IOException {
        for (Snapshot s : snapshots) {
            boolean any = false;
            for (var e : s.featureSets().entrySet()) {
                if (Files.exists(StoreLayout.versionDir(root, e.getKey(), e.getValue()).resolve(StoreLayout.MANIFEST))) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                Files.deleteIfExists(SnapshotLog.file(root, s));
            }
        }
    }

    private static boolean liveLease(Path root, String name, String version) throws IOException {
        Path dir = root.resolve(name).resolve(StoreLayout.LEASES).resolve(version);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        boolean live = false;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path lease : s.toList()) {
                if (StoreLayout.alive(StoreLayout.ownerPid(lease.getFileName().toString()))) {
                    live = true;
                } else {
                    Files.deleteIfExists(lease); // its reader's process is gone
                }
            }
        }
        return live;
    }

    private static int cleanStaging(Path staging) throws IOException {
        if (!Files.isDirectory(staging)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> s = Files.list(staging)) {
            for (Path d : s.toList()) {
                long pid = StoreLayout.ownerPid(d.getFileName().toString());
                boolean orphan = pid > 0 ? !StoreLayout.alive(pid)
                        : Files.getLastModifiedTime(d).toInstant().isBefore(Instant.now().minus(ORPHAN_AGE));
                if (orphan) {
                    StoreLayout.deleteTree(d);
                    n++;
                }
            }
        }
        return n;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
