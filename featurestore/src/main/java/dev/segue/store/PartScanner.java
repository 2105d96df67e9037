package dev.segue.store;

import dev.segue.store.io.LocalFileIO;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a finished part file back to summarize it: rows, batch size, checksum, statistics and key columns. */
public final class PartScanner {
    private PartScanner() {
    }

    /**
     * Summarizes {@code file} (to be stored as {@code relativeName}); fails with a {@link CorruptionException}
     * naming the file if it is unreadable or not of the declared schema.
     */
    public static PartSummary summarize(Path file, String relativeName, FeatureSetSchema schema) {
        return summarize(LocalFileIO.INSTANCE, LocalFileIO.location(file), relativeName, schema);
    }

    /** {@link #summarize(Path, String, FeatureSetSchema)} for a file on any of the store's file systems. */
    public static PartSummary summarize(StoreFileIO io, Location file, String relativeName, FeatureSetSchema schema) {
        PartSummary.Collector collector = new PartSummary.Collector(schema);
        int batchRows = 0;
        int lastRows = -1;
        try (PartReader pr = new PartReader(io, file, schema)) {
            for (int b = 0; b < pr.batchCount(); b++) {
                if (lastRows >= 0 && lastRows != batchRows) {
                    throw new CorruptionException(file + ": record batch " + (b - 1) + " has " + lastRows
                            + " rows but is not the last one (batches must hold " + batchRows + " rows)");
                }
                Map<String, Columnar.Column> dest = new LinkedHashMap<>();
                int n = readInto(pr, b, schema, dest);
                if (b == 0) {
                    batchRows = n;
                }
                if (n > batchRows) {
                    throw new CorruptionException(file + ": record batch " + b + " has " + n + " rows, more than the first batch's " + batchRows);
                }
                lastRows = n;
                collector.add(new Batch(n, dest), 0, n);
            }
        }
        try {
            long size = io.length(file);
            String crc = Checksums.crc32c(io, file);
            return collector.finish(new FileEntry(relativeName, collector.rows(), Math.max(batchRows, 1), size, crc));
        } catch (IOException e) {
            throw new CorruptionException(file + ": cannot checksum: " + e.getMessage(), e);
        }
    }

    private static int readInto(PartReader pr, int b, FeatureSetSchema schema, Map<String, Columnar.Column> dest) {
        int n = pr.load(b);
        for (ColumnSpec c : schema.columns()) {
            dest.put(c.name(), ArrowColumns.allocate(c, n));
        }
        pr.copyLoaded(b, schema.columns(), dest, 0);
        return n;
    }
}
