package dev.segue.store;

import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * An open version of a feature set. Opening checks that every file of the manifest exists with its recorded size
 * and loads the key index; while open, a lease keeps {@code gc} away from the version. Close it when done.
 * Not thread-safe for reads (use one reader per thread, or {@link #readAll} once and share the {@link Table}).
 */
public final class FeatureSetReader implements AutoCloseable {
    private static final int LOOKUP_CACHE_BATCHES = 4;

    private final Manifest manifest;
    private final StoreFileIO io;
    private final Location dir;
    private final Lease lease;
    private final KeyIndex index;
    private final long[] partStart;
    private final PartReader[] parts;
    private final Object[] partLocks;
    private final Map<Long, Batch> lookupCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Batch> eldest) {
            return size() > LOOKUP_CACHE_BATCHES;
        }
    };
    private Table preloaded;
    private volatile boolean closed;

    FeatureSetReader(StoreRoot root, Manifest manifest) {
        this.manifest = manifest;
        this.io = root.io();
        this.dir = StoreLayout.versionDir(root, manifest.featureSet(), manifest.version());
        this.lease = Lease.acquire(root, manifest.featureSet(), manifest.version());
        try {
            for (FileEntry f : manifest.files()) {
                checkSize(f);
            }
            checkSize(manifest.keyIndex());
            if (FeatureStore.verifyReads()) {
                Checksums.verify(io, dir.resolve(manifest.keyIndex().path()), manifest.keyIndex());
            }
            this.index = KeyIndex.read(io, dir.resolve(manifest.keyIndex().path()), manifest.rowCount());
        } catch (IOException e) {
            releaseLease();
            throw new CorruptionException(dir.resolve(manifest.keyIndex().path()) + ": " + PartReader.describe(e), e);
        } catch (RuntimeException e) {
            releaseLease();
            throw e;
        }
        partStart = new long[manifest.files().size() + 1];
        for (int i = 0; i < manifest.files().size(); i++) {
            partStart[i + 1] = partStart[i] + manifest.files().get(i).rows();
        }
        parts = new PartReader[manifest.files().size()];
        partLocks = new Object[parts.length];
        Arrays.setAll(partLocks, i -> new Object());
    }

    private void checkSize(FileEntry f) {
        Location p = dir.resolve(f.path());
        String what = "feature set '" + manifest.featureSet() + "' " + manifest.version() + ": file " + p;
        long size;
        try {
            size = io.length(p);
        } catch (NoSuchFileException e) {
            throw new CorruptionException(what + " is missing (listed in the manifest)");
        } catch (IOException e) {
            throw new CorruptionException(what + " cannot be read: " + e.getMessage(), e);
        }
        if (size < f.size()) {
            throw new CorruptionException(what + " is truncated: " + size + " bytes on disk, manifest says " + f.size());
        }
        if (size > f.size()) {
            throw new CorruptionException(what + " has " + size + " bytes on disk, manifest says " + f.size());
        }
    }

    public Manifest manifest() {
        return manifest;
    }

    public FeatureSetSchema schema() {
        return manifest.schema();
    }

    public String version() {
        return manifest.version();
    }

    public int rows() {
        return (int) manifest.rowCount();
    }

    public Instant created() {
        return manifest.created();
    }

    /** The loaded key index (rows sorted by key, event time). */
    public KeyIndex keyIndex() {
        return index;
    }

    /** Global row of the latest row for an int32/int64 key, or -1. No allocation: the fast path for serving. */
    public int rowOf(long key) {
        return index.rowOf(key);
    }

    /** Global row of the latest row for a utf8 key, or -1. */
    public int rowOf(String key) {
        return index.rowOf(key);
    }

    /** Global row of the latest row for the key with event time at or before {@code asOf}, or -1. */
    public int rowAsOf(long key, Instant asOf) {
        return index.rowAsOf(key, Micros.of(asOf));
    }

    /** The latest row for an int32/int64 key with all columns, decoding (and caching) its record batch. */
    public Optional<Row> lookup(long key) {
        int r = index.rowOf(key);
        return r < 0 ? Optional.empty() : Optional.of(row(r));
    }

    public Optional<Row> lookup(String key) {
        int r = index.rowOf(key);
        return r < 0 ? Optional.empty() : Optional.of(row(r));
    }

    /**
     * Loads the given columns (all when empty) into memory once; afterwards {@link #lookup} and {@link #row}
     * answer from memory with those columns instead of decoding a record batch per miss. Returns the table.
     */
    public Table preload(List<String> columns) {
        preloaded = readAll(columns);
        lookupCache.clear();
        return preloaded;
    }

    /** Global row {@code r} with all columns (or the preloaded ones). */
    public Row row(int r) {
        checkOpen();
        if (r < 0 || r >= manifest.rowCount()) {
            throw new IndexOutOfBoundsException("row " + r + " of " + manifest.rowCount());
        }
        if (preloaded != null) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (String c : preloaded.columnNames()) {
                values.put(c, preloaded.value(c, r));
            }
            return new Row(r, values);
        }
        int p = partOf(r);
        int local = (int) (r - partStart[p]);
        int batchRows = manifest.files().get(p).batchRows();
        int b = local / batchRows;
        long cacheKey = ((long) p << 32) | b;
        Batch batch = lookupCache.get(cacheKey);
        if (batch == null) {
            batch = decodeBatch(p, b, schema().columns());
            lookupCache.put(cacheKey, batch);
        }
        int i = local % batchRows;
        Map<String, Object> values = new LinkedHashMap<>();
        for (String c : batch.columnNames()) {
            values.put(c, batch.value(c, i));
        }
        return new Row(r, values);
    }

    private int partOf(long r) {
        int lo = 0;
        int hi = parts.length - 1;
        while (lo < hi) {
            int m = (lo + hi + 1) >>> 1;
            if (partStart[m] <= r) lo = m; else hi = m - 1;
        }
        return lo;
    }

    /** Opens part {@code p} on first use, after checking its CRC32C (parts of one reader open in parallel). */
    private PartReader part(int p) {
        synchronized (partLocks[p]) {
            checkOpen();
            if (parts[p] == null) {
                Location file = dir.resolve(manifest.files().get(p).path());
                if (FeatureStore.verifyReads()) {
                    Checksums.verify(io, file, manifest.files().get(p));
                }
                parts[p] = new PartReader(io, file, schema());
            }
            return parts[p];
        }
    }

    private List<ColumnSpec> project(List<String> columns) {
        if (columns == null || columns.isEmpty()) {
            return schema().columns();
        }
        List<ColumnSpec> out = new ArrayList<>();
        for (String c : columns) {
            out.add(schema().column(c));
        }
        return out;
    }

    private Batch decodeBatch(int p, int b, List<ColumnSpec> cols) {
        FileEntry f = manifest.files().get(p);
        int expected = (int) Math.min(f.batchRows(), f.rows() - (long) b * f.batchRows());
        Map<String, Columnar.Column> dest = new LinkedHashMap<>();
        for (ColumnSpec c : cols) {
            dest.put(c.name(), ArrowColumns.allocate(c, expected));
        }
        PartReader pr = part(p);
        if (b >= pr.batchCount()) {
            throw new CorruptionException(pr.file() + ": has " + pr.batchCount() + " record batches, expected batch " + b);
        }
        int n = pr.read(b, cols, dest, 0);
        if (n != expected) {
            throw new CorruptionException(pr.file() + ": record batch " + b + " has " + n + " rows, expected " + expected);
        }
        dest.replaceAll((k, v) -> ArrowColumns.compact(v));
        return new Batch(n, dest);
    }

    /** Reads every row of the given columns (all when null or empty) into primitive arrays; row i = global row i. */
    public Table readAll(List<String> columns) {
        checkOpen();
        List<ColumnSpec> cols = project(columns);
        int n = rows();
        Map<String, Columnar.Column> dest = new LinkedHashMap<>();
        for (ColumnSpec c : cols) {
            dest.put(c.name(), ArrowColumns.allocate(c, n));
        }
        // every part is opened (and checksummed) before any decodes, so a corrupt part fails the read before work
        // starts; then parts fill disjoint row ranges, so they decode in parallel (ZSTD decompression dominates)
        IntStream.range(0, parts.length).parallel().forEach(this::part);
        IntStream.range(0, parts.length).parallel().forEach(p -> {
            PartReader pr = part(p);
            int at = (int) partStart[p];
            long partRows = 0;
            for (int b = 0; b < pr.batchCount(); b++) {
                if (partRows >= manifest.files().get(p).rows()) {
                    throw new CorruptionException(pr.file() + ": holds more record batches than its "
                            + manifest.files().get(p).rows() + " rows need");
                }
                int got = pr.read(b, cols, dest, at);
                at += got;
                partRows += got;
            }
            if (partRows != manifest.files().get(p).rows()) {
                throw new CorruptionException(pr.file() + ": holds " + partRows + " rows, manifest says "
                        + manifest.files().get(p).rows());
            }
        });
        dest.replaceAll((k, v) -> ArrowColumns.compact(v));
        return new Table(n, dest);
    }

    public Table readAll(String... columns) {
        return readAll(List.of(columns));
    }

    /** Iterates the version's record batches in row order, converting only the given columns (all when empty). */
    public Iterator<Batch> scan(List<String> columns) {
        checkOpen();
        List<ColumnSpec> cols = project(columns);
        return new Iterator<>() {
            int p;
            int b;

            @Override
            public boolean hasNext() {
                while (p < parts.length) {
                    if (b < part(p).batchCount()) {
                        return true;
                    }
                    p++;
                    b = 0;
                }
                return false;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return decodeBatch(p, b++, cols);
            }
        };
    }

    /** {@link #scan} as a sequential stream. */
    public Stream<Batch> stream(List<String> columns) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(scan(columns), Spliterator.ORDERED), false);
    }

    /** Number of part files. */
    int partCount() {
        return parts.length;
    }

    /** Number of record batches per part file (for splitting reads). */
    int batchCount(int part) {
        return part(part).batchCount();
    }

    /** Reads record batch {@code b} of part {@code p} (for parallel readers such as the Beam source). */
    public Batch readBatch(int p, int b, List<String> columns) {
        checkOpen();
        return decodeBatch(p, b, project(columns));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("reader of '" + manifest.featureSet() + "' " + manifest.version() + " is closed");
        }
    }

    private void releaseLease() {
        lease.close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < parts.length; i++) {
            synchronized (partLocks[i]) {
                if (parts[i] != null) {
                    parts[i].close();
                }
            }
        }
        lookupCache.clear();
        preloaded = null;
        releaseLease();
    }
}
