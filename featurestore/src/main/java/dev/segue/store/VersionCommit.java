package dev.segue.store;

import java.io.IOException;
import dev.segue.store.io.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a staging folder of finished parts into a committed version: key index, statistics, manifest, rename. */
final class VersionCommit {
    private VersionCommit() {
    }

    static Manifest commit(StoreRoot root, FeatureSetSchema schema, WriteOptions options, Location staging,
                           List<PartSummary> parts) throws IOException {
        long total = 0;
        for (PartSummary p : parts) {
            total += p.entry().rows();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new ValidationException("feature set '" + schema.name() + "': " + total + " rows exceed the "
                    + (Integer.MAX_VALUE - 8) + " rows a version can hold");
        }
        int n = (int) total;
        boolean stringKey = schema.keyColumn().type() == FeatureType.UTF8;
        long[] keys = stringKey ? null : new long[n];
        String[] skeys = stringKey ? new String[n] : null;
        long[] ts = schema.eventTimestamp() == null ? null : new long[n];
        long[] created = schema.createdTimestamp() == null ? null : new long[n];
        Map<String, StatsAccumulator> stats = new LinkedHashMap<>();
        for (ColumnSpec c : schema.columns()) {
            stats.put(c.name(), new StatsAccumulator(c));
        }
        int at = 0;
        for (PartSummary p : parts) {
            int m = (int) p.entry().rows();
            if (stringKey) System.arraycopy(p.stringKeys(), 0, skeys, at, m);
            else System.arraycopy(p.keys(), 0, keys, at, m);
            if (ts != null) System.arraycopy(p.ts(), 0, ts, at, m);
            if (created != null) System.arraycopy(p.created(), 0, created, at, m);
            for (ColumnSpec c : schema.columns()) {
                stats.get(c.name()).merge(p.stats().get(c.name()));
            }
            at += m;
        }
        KeyIndex index = KeyIndex.build(schema.keyColumn().type(), keys, skeys, ts, created, n);
        if (ts == null) {
            int d = index.firstDuplicate();
            if (d >= 0) {
                int a = Math.min(index.rows[d - 1], index.rows[d]);
                int b = Math.max(index.rows[d - 1], index.rows[d]);
                throw new ValidationException("feature set '" + schema.name() + "': entity key '" + schema.entityKey()
                        + "' value " + index.describeKey(d) + " occurs more than once (rows " + a + " and " + b
                        + "); a feature set without an event timestamp needs unique keys");
            }
        }
        Location idxFile = staging.resolve(KeyIndex.FILE);
        index.write(root.io(), idxFile);
        FileEntry idxEntry = new FileEntry(KeyIndex.FILE, n, 0, root.io().length(idxFile), Checksums.crc32c(root.io(), idxFile));
        Map<String, ColumnStats> finished = new LinkedHashMap<>();
        stats.forEach((k, v) -> finished.put(k, v.finish()));
        List<FileEntry> files = new ArrayList<>();
        for (PartSummary p : parts) {
            files.add(p.entry());
        }
        String compression = options.compression() ? "zstd" : "none";
        return StoreLayout.commit(root, schema.name(), staging, d -> new Manifest(Manifest.FORMAT_VERSION,
                schema.name(), d.version(), d.sequence(), d.createdAt().toString(), d.parent(), options.producer(),
                options.parameters(), schema, schema.entityKey(), schema.eventTimestamp(), n, compression, finished,
                files, idxEntry, options.inputs().isEmpty() ? null : options.inputs()));
    }
}
