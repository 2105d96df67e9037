package dev.segue.store;

import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    static GcResult gc(StoreRoot root, String name, int keep) {
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
            latest = FeatureStore.at(root).resolve(name, "latest");
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
        StoreFileIO io = root.io();
        try {
            for (String v : drop) {
                if (liveLease(root, name, v)) {
                    leased.add(v);
                    continue;
                }
                Location dir = StoreLayout.versionDir(root, name, v);
                freed += size(io, dir);
                io.delete(dir.resolve(StoreLayout.MANIFEST));
                io.deleteTree(dir);
                io.deleteTree(root.at(name, StoreLayout.LEASES, v));
                Location artifacts = root.at(StoreArtifacts.DIR, name, v); // derived from it
                if (io.exists(artifacts)) {
                    freed += size(io, artifacts);
                    io.deleteTree(artifacts);
                }
                removed.add(v);
            }
            int staging = cleanStaging(io, root.at(name, StoreLayout.STAGING))
                    + cleanUnfinishedVersions(io, root.at(name, StoreLayout.VERSIONS));
            dropStaleSnapshots(root, snapshots);
            return new GcResult(name, removed, leased, kept, staging, freed);
        } catch (IOException e) {
            throw new StoreException("gc of '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    /** Removes snapshot records none of whose versions exist any more. */
    private static void dropStaleSnapshots(StoreRoot root, List<Snapshot> snapshots) throws IOException {
        for (Snapshot s : snapshots) {
            boolean any = false;
            for (var e : s.featureSets().entrySet()) {
                if (root.io().exists(StoreLayout.versionDir(root, e.getKey(), e.getValue()).resolve(StoreLayout.MANIFEST))) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                root.io().delete(SnapshotLog.file(root, s));
            }
        }
    }

    private static boolean liveLease(StoreRoot root, String name, String version) throws IOException {
        Location dir = root.at(name, StoreLayout.LEASES, version);
        boolean live = false;
        for (StoreFileIO.Entry lease : root.io().list(dir)) {
            if (StoreLayout.alive(StoreLayout.ownerPid(lease.name()))) {
                live = true;
            } else {
                root.io().delete(dir.resolve(lease.name())); // its reader's process is gone
            }
        }
        return live;
    }

    private static int cleanStaging(StoreFileIO io, Location staging) throws IOException {
        int n = 0;
        for (StoreFileIO.Entry d : io.list(staging)) {
            if (orphan(d.name(), d.modified())) {
                io.deleteTree(staging.resolve(d.name()));
                n++;
            }
        }
        return n;
    }

    private static boolean orphan(String owner, Instant modified) {
        long pid = StoreLayout.ownerPid(owner);
        return pid > 0 ? !StoreLayout.alive(pid) : modified.isBefore(Instant.now().minus(ORPHAN_AGE));
    }

    /**
     * Version folders without a manifest: a commit by marker whose writer died between claiming the number and
     * writing the manifest (its {@code _writer} names the writer's staging folder, PID first), or a version gc was
     * half-way through removing. Removed once the writer is gone.
     */
    private static int cleanUnfinishedVersions(StoreFileIO io, Location versions) throws IOException {
        int n = 0;
        for (StoreFileIO.Entry d : io.list(versions)) {
            Location dir = versions.resolve(d.name());
            if (!d.directory() || io.exists(dir.resolve(StoreLayout.MANIFEST))) {
                continue;
            }
            String owner = "";
            try {
                owner = new String(StoreLayout.readAll(io, dir.resolve(StoreLayout.WRITER)), StandardCharsets.UTF_8).trim();
            } catch (java.nio.file.NoSuchFileException e) {
                owner = ""; // no writer marker: a half-removed version, or a claim being written
            }
            if (orphan(owner, d.modified())) { // no marker: removed after ORPHAN_AGE (it may be a claim in progress)
                io.deleteTree(dir);
                n++;
            }
        }
        return n;
    }

    private static long size(StoreFileIO io, Location dir) throws IOException {
        long total = 0;
        for (StoreFileIO.Entry e : io.list(dir)) {
            total += e.directory() ? size(io, dir.resolve(e.name())) : e.size();
        }
        return total;
    }
}
