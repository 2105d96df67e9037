package dev.segue.store;

import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    static List<Snapshot> all(StoreRoot root) {
        Location dir = root.at(DIR);
        List<String> files = new ArrayList<>();
        try {
            for (StoreFileIO.Entry e : root.io().list(dir)) {
                if (FILE.matcher(e.name()).matches()) {
                    files.add(e.name());
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot list snapshots in " + dir + ": " + e.getMessage(), e);
        }
        List<Snapshot> out = new ArrayList<>();
        for (String name : files) {
            Location f = dir.resolve(name);
            try {
                out.add(Json.MAPPER.readValue(StoreLayout.readAll(root.io(), f), Snapshot.class));
            } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
                // removed by gc while listing
            } catch (IOException e) {
                throw new CorruptionException(f + ": unreadable snapshot record: " + e.getMessage(), e);
            }
        }
        out.sort(Comparator.comparingLong(Snapshot::sequence));
        return out;
    }

    static Location file(StoreRoot root, Snapshot s) {
        return root.at(DIR, s.id() + ".json");
    }

    /**
     * Writes the next record. Locally the record is fsynced under a temporary name and hard-linked to its number;
     * elsewhere it is written whole under its number by {@link StoreFileIO#writeWhole} — either way the write fails
     * if another run took the number, and the loser takes the next one.
     */
    static Snapshot commit(StoreRoot root, String run, String producer, Map<String, String> versions) throws IOException {
        Location dir = root.at(DIR);
        root.io().mkdirs(dir);
        Map<String, String> sorted = new LinkedHashMap<>(new TreeMap<>(versions));
        for (int attempt = 0; attempt < 10_000; attempt++) {
            long seq = maxSequence(root.io(), dir) + 1;
            Snapshot s = new Snapshot(Snapshot.FORMAT_VERSION, snapshotId(seq), seq, Instant.now().toString(), run,
                    producer, sorted);
            try {
                if (root.io().writeWhole(dir.resolve(s.id() + ".json"), Json.MAPPER.writeValueAsBytes(s), false)) {
                    return s;
                }
            } catch (UnsupportedOperationException e) {
                throw new StoreException("the store folder " + root + " does not support hard links", e);
            }
            // another run took this number first
        }
        throw new StoreException("could not allocate a snapshot number in " + dir);
    }

    private static long maxSequence(StoreFileIO io, Location dir) throws IOException {
        long max = 0;
        for (StoreFileIO.Entry e : io.list(dir)) {
            Matcher m = FILE.matcher(e.name());
            if (m.matches()) {
                max = Math.max(max, Long.parseLong(m.group(1)));
            }
        }
        return max;
    }
}
