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
 * Retention: keeps the newest N versions and every version a live process holds a lease on; removes the rest
 * (manifest first, so a half-removed version is already invisible). Also removes staging folders of writers
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
        List<String> removed = new ArrayList<>();
        List<String> leased = new ArrayList<>();
        List<String> kept = new ArrayList<>(versions.subList(Math.max(0, versions.size() - keep), versions.size()));
        long freed = 0;
        try {
            for (String v : versions.subList(0, Math.max(0, versions.size() - keep))) {
                if (liveLease(root, name, v)) {
                    leased.add(v);
                    continue;
                }
                Path dir = StoreLayout.versionDir(root, name, v);
                freed += size(dir);
                Files.deleteIfExists(dir.resolve(StoreLayout.MANIFEST));
                StoreLayout.deleteTree(dir);
                StoreLayout.deleteTree(root.resolve(name).resolve(StoreLayout.LEASES).resolve(v));
                removed.add(v);
            }
            int staging = cleanStaging(root.resolve(name).resolve(StoreLayout.STAGING));
            return new GcResult(name, removed, leased, kept, staging, freed);
        } catch (IOException e) {
            throw new StoreException("gc of '" + name + "' failed: " + e.getMessage(), e);
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
