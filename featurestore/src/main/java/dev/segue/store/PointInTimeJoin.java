package dev.segue.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Point-in-time correct join (Feast's {@code get_historical_features}): for every entity row (key, event time)
 * and every feature set, the latest feature row of that key with {@code ts <= event_ts} and, when the set has a
 * ttl, {@code ts > event_ts - ttl}; a null ttl means unbounded (any earlier row qualifies, however old). Among
 * feature rows with equal key and ts the one with the latest created timestamp wins (the set's declared created
 * column, else the row written last).
 *
 * <p>It is a sort-merge as-of join: entity rows are sorted by (key, ts) in runs of at most
 * {@code maxRowsInMemory} rows (spilled to disk and merged when there are more), and each feature set's key
 * index, already sorted by (key, ts, created) on disk, is streamed alongside with one forward cursor. Memory is
 * O(run size + chunk size) regardless of either side's size, and no equi-join is ever materialized.
 *
 * <pre>
 * PointInTimeJoin join = PointInTimeJoin.builder()
 *         .feature(store, "user_stats", "latest", Duration.ofDays(30))
 *         .feature(store, "track_factors", "latest", null)
 *         .build();
 * PointInTimeJoin.Matches m = join.join(keys, eventMicros);   // m.rows(0)[i]: row of user_stats for entity i, or -1
 * </pre>
 */
public final class PointInTimeJoin {
    public static final int DEFAULT_MAX_ROWS_IN_MEMORY = 8 << 20;
    public static final int OUTPUT_CHUNK = 1 << 16;

    private final List<FeatureInput> features;
    private final int maxRowsInMemory;
    private final Path spillDir;

    /** One feature set version to join, with its ttl (null = unbounded). */
    public record FeatureInput(FeatureStore store, Manifest manifest, Duration ttl) {
        public FeatureInput {
            if (manifest.eventTimestamp() == null) {
                throw new StoreException("feature set '" + manifest.featureSet() + "' has no event timestamp; "
                        + "point-in-time joins need one");
            }
            if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
                throw new IllegalArgumentException("ttl must be positive or null (unbounded), got " + ttl);
            }
        }
    }

    private PointInTimeJoin(List<FeatureInput> features, int maxRowsInMemory, Path spillDir) {
        this.features = List.copyOf(features);
        this.maxRowsInMemory = maxRowsInMemory;
        this.spillDir = spillDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<FeatureInput> features() {
        return features;
    }

    public static final class Builder {
        private final List<FeatureInput> features = new ArrayList<>();
        private int maxRowsInMemory = DEFAULT_MAX_ROWS_IN_MEMORY;
        private Path spillDir;

        /** Adds a feature set version ("latest", an id or a number) with a ttl (null = unbounded). */
        public Builder feature(FeatureStore store, String name, String version, Duration ttl) {
            features.add(new FeatureInput(store, store.manifest(name, version), ttl));
            return this;
        }

        /** Entity rows sorted in memory per run; more are spilled to sorted run files and merged. */
        public Builder maxRowsInMemory(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("maxRowsInMemory must be positive");
            }
            this.maxRowsInMemory = rows;
            return this;
        }

        /** Where spill runs go (default: the system temp folder). */
        public Builder spillDir(Path dir) {
            this.spillDir = dir;
            return this;
        }

        public PointInTimeJoin build() {
            if (features.isEmpty()) {
                throw new IllegalArgumentException("a point-in-time join needs at least one feature set");
            }
            return new PointInTimeJoin(features, maxRowsInMemory, spillDir);
        }
    }

    /** A block of entity rows to join: keys and event times (micros UTC), first {@code n} entries used. */
    public record EntityChunk(long[] keys, long[] eventMicros, int n) {
        public EntityChunk {
            if (n > keys.length || n > eventMicros.length) {
                throw new IllegalArgumentException("chunk of " + n + " rows with " + keys.length + " keys and "
                        + eventMicros.length + " timestamps");
            }
        }
    }

    /**
     * Joined rows in (key, event time) order. {@code entityRow[i]} is the position of the row in the entity
     * input; {@code featureRow[f][i]} the global row in feature set f (or -1), {@code featureTs[f][i]} its event
     * time.
     */
    public record JoinedChunk(int n, long[] entityRow, long[] keys, long[] eventMicros, int[][] featureRow,
                              long[][] featureTs) {
    }

    /** Per feature set, the matched global row of each entity row in input order (-1 = no match). */
    public record Matches(int[][] rows, long probeRows) {
        public int[] rows(int feature) {
            return rows[feature];
        }
    }

    /** Joins entity rows with integer keys held in arrays; the result is in input order. */
    public Matches join(long[] keys, long[] eventMicros) {
        if (keys.length != eventMicros.length) {
            throw new IllegalArgumentException(keys.length + " keys but " + eventMicros.length + " event times");
        }
        for (FeatureInput in : features) {
            requireKeyType(in, false);
        }
        return joinKeys(keys, eventMicros);
    }

    /** The merge over integer keys (or utf8 key ranks); the result is in input order. */
    private Matches joinKeys(long[] keys, long[] eventMicros) {
        int[][] out = new int[features.size()][keys.length];
        Iterator<EntityChunk> in = chunks(keys, eventMicros, maxRowsInMemory);
        try (Stream s = stream(in)) {
            s.drainInto(out);
        } catch (IOException e) {
            throw new UncheckedIOException("point-in-time join: " + e.getMessage(), e);
        }
        return new Matches(out, keys.length);
    }

    /**
     * Joins entity rows with utf8 keys (a null key matches nothing); the result is in input order. The key index
     * of a utf8-keyed set holds ranks into its sorted key dictionary, so each entity key is mapped to its rank in
     * each set (absent keys to a value no feature row has) and each set is merged on its own.
     */
    public Matches join(String[] keys, long[] eventMicros) {
        if (keys.length != eventMicros.length) {
            throw new IllegalArgumentException(keys.length + " keys but " + eventMicros.length + " event times");
        }
        int[][] out = new int[features.size()][];
        for (int j = 0; j < features.size(); j++) {
            FeatureInput in = features.get(j);
            requireKeyType(in, true);
            Manifest m = in.manifest();
            StoreRoot root = in.store().storeRoot();
            dev.segue.store.io.Location idx = StoreLayout.versionDir(root, m.featureSet(), m.version()).resolve(m.keyIndex().path());
            String[] dictionary;
            try {
                dictionary = KeyIndex.readDictionary(root.io(), idx);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new CorruptionException("feature set '" + m.featureSet() + "' " + m.version() + ": file "
                        + idx + " is missing (listed in the manifest)");
            } catch (IOException e) {
                throw new CorruptionException(idx + ": " + e.getMessage(), e);
            }
            long[] ranks = new long[keys.length];
            for (int i = 0; i < keys.length; i++) {
                int r = keys[i] == null ? -1 : java.util.Arrays.binarySearch(dictionary, keys[i]);
                ranks[i] = r < 0 ? Long.MIN_VALUE : r;
            }
            out[j] = new PointInTimeJoin(List.of(in), maxRowsInMemory, spillDir).joinKeys(ranks, eventMicros).rows(0);
        }
        return new Matches(out, keys.length);
    }

    private static void requireKeyType(FeatureInput in, boolean utf8) {
        Manifest m = in.manifest();
        boolean isUtf8 = m.schema().keyColumn().type() == FeatureType.UTF8;
        if (isUtf8 != utf8) {
            throw new StoreException("feature set '" + m.featureSet() + "' is keyed by " + (isUtf8 ? "utf8" : "integer")
                    + " '" + m.entityKey() + "', but the entity keys are " + (utf8 ? "strings" : "integers"));
        }
    }

    private static Iterator<EntityChunk> chunks(long[] keys, long[] ts, int size) {
        return new Iterator<>() {
            int at;

            @Override
            public boolean hasNext() {
                return at < keys.length;
            }

            @Override
            public EntityChunk next() {
                if (!hasNext()) throw new NoSuchElementException();
                int n = Math.min(size, keys.length - at);
                EntityChunk c = at == 0 && n == keys.length ? new EntityChunk(keys, ts, n)
                        : new EntityChunk(java.util.Arrays.copyOfRange(keys, at, at + n),
                        java.util.Arrays.copyOfRange(ts, at, at + n), n);
                at += n;
                return c;
            }
        };
    }

    /**
     * Streams the join of any number of entity chunks: the output is produced chunk by chunk in (key, event
     * time) order. Close the stream to release spill files and cursors.
     */
    public Stream stream(Iterator<EntityChunk> entities) {
        try {
            return new Stream(sortedEntities(entities));
        } catch (IOException e) {
            throw new UncheckedIOException("point-in-time join: " + e.getMessage(), e);
        }
    }

    /** The merging side of the join; see {@link #stream}. */
    public final class Stream implements Iterator<JoinedChunk>, Closeable {
        private final EntityCursor entities;
        private final IndexCursor[] cursors;
        private final boolean[] cursorLive;
        private final long[] candKey;
        private final long[] candTs;
        private final int[] candRow;
        private final long[] ttl;
        private final List<Lease> leases = new ArrayList<>();
        private JoinedChunk ready;
        private boolean done;

        private Stream(EntityCursor entities) throws IOException {
            this.entities = entities;
            int f = features.size();
            cursors = new IndexCursor[f];
            cursorLive = new boolean[f];
            candKey = new long[f];
            candTs = new long[f];
            candRow = new int[f];
            ttl = new long[f];
            try {
                for (int i = 0; i < f; i++) {
                    FeatureInput in = features.get(i);
                    Manifest m = in.manifest();
                    StoreRoot root = in.store().storeRoot();
                    leases.add(Lease.acquire(root, m.featureSet(), m.version()));
                    dev.segue.store.io.Location idx = StoreLayout.versionDir(root, m.featureSet(), m.version()).resolve(m.keyIndex().path());
                    if (!root.io().exists(idx)) {
                        throw new CorruptionException("feature set '" + m.featureSet() + "' " + m.version() + ": file "
                                + idx + " is missing (listed in the manifest)");
                    }
                    if (FeatureStore.verifyReads()) {
                        Checksums.verify(root.io(), idx, m.keyIndex());
                    }
                    cursors[i] = new IndexCursor(root.io(), idx, m.rowCount());
                    cursorLive[i] = cursors[i].next();
                    candRow[i] = -1;
                    ttl[i] = in.ttl() == null ? -1 : in.ttl().toNanos() / 1000;
                }
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public boolean hasNext() {
            if (ready == null && !done) {
                try {
                    ready = advance();
                } catch (IOException e) {
                    throw new UncheckedIOException("point-in-time join: " + e.getMessage(), e);
                }
                done = ready == null;
            }
            return ready != null;
        }

        @Override
        public JoinedChunk next() {
            if (!hasNext()) throw new NoSuchElementException();
            JoinedChunk c = ready;
            ready = null;
            return c;
        }

        private JoinedChunk advance() throws IOException {
            int f = cursors.length;
            long[] rowIdx = new long[OUTPUT_CHUNK];
            long[] keys = new long[OUTPUT_CHUNK];
            long[] tss = new long[OUTPUT_CHUNK];
            int[][] frow = new int[f][OUTPUT_CHUNK];
            long[][] fts = new long[f][OUTPUT_CHUNK];
            int n = 0;
            while (n < OUTPUT_CHUNK && entities.next()) {
                long k = entities.key;
                long t = entities.ts;
                rowIdx[n] = entities.row;
                keys[n] = k;
                tss[n] = t;
                for (int j = 0; j < f; j++) {
                    int r = probe(j, k, t);
                    frow[j][n] = r;
                    fts[j][n] = r >= 0 ? candTs[j] : Long.MIN_VALUE;
                }
                n++;
            }
            return n == 0 ? null : new JoinedChunk(n, rowIdx, keys, tss, frow, fts);
        }

        /** Joins every remaining entity row straight into {@code out[feature][entity row]}. */
        void drainInto(int[][] out) throws IOException {
            int f = cursors.length;
            if (entities instanceof ArrayRun run && run.i < 0) {
                for (int j = 0; j < f; j++) {
                    drainSorted(j, run.s, out[j]);
                }
                return;
            }
            while (entities.next()) {
                long k = entities.key;
                long t = entities.ts;
                int row = (int) entities.row;
                for (int j = 0; j < f; j++) {
                    out[j][row] = probe(j, k, t);
                }
            }
        }

        /** The in-memory case: one tight merge pass per feature set over the sorted entity arrays. */
        private void drainSorted(int j, Sorting.Sorted s, int[] out) throws IOException {
            long[] ks = s.keys();
            long[] tss = s.ts();
            int[] rows = s.rows();
            IndexCursor c = cursors[j];
            long[] fk = c.keys;
            long[] ft = c.ts;
            int[] fr = c.rows;
            boolean live = cursorLive[j];
            int pos = c.pos;
            int len = c.chunkLen;
            long ck = candKey[j];
            long cts = candTs[j];
            int cr = candRow[j];
            long tl = ttl[j];
            for (int i = 0; i < ks.length; i++) {
                long k = ks[i];
                long t = tss[i];
                while (live && (fk[pos] < k || (fk[pos] == k && ft[pos] <= t))) {
                    ck = fk[pos];
                    cts = ft[pos];
                    cr = fr[pos];
                    if (++pos >= len) {
                        live = c.nextChunk();
                        pos = 0;
                        len = c.chunkLen;
                    }
                }
                out[rows[i]] = cr >= 0 && ck == k && (tl < 0 || cts > t - tl) ? cr : -1;
            }
            cursorLive[j] = false; // every entity row is consumed
        }

        /**
         * Advances feature set j's cursor over every feature row sorting at or before (k, t); the last one seen is
         * the as-of candidate. Entity rows arrive in (k, t) order, so the cursor only moves forward.
         */
        private int probe(int j, long k, long t) throws IOException {
            IndexCursor c = cursors[j];
            while (cursorLive[j] && (c.key < k || (c.key == k && c.eventTs <= t))) {
                candKey[j] = c.key;
                candTs[j] = c.eventTs;
                candRow[j] = c.row;
                cursorLive[j] = c.next();
            }
            boolean hit = candRow[j] >= 0 && candKey[j] == k && (ttl[j] < 0 || candTs[j] > t - ttl[j]);
            return hit ? candRow[j] : -1;
        }

        @Override
        public void close() {
            for (IndexCursor c : cursors) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (IOException ignored) {
                        // read-only file
                    }
                }
            }
            leases.forEach(Lease::close);
            entities.close();
        }
    }

    // ---- the entity side: sorted runs, spilled and merged when they do not fit ----

    private abstract static class EntityCursor implements Closeable {
        long key;
        long ts;
        long row;

        abstract boolean next() throws IOException;

        @Override
        public void close() {
        }
    }

    private EntityCursor sortedEntities(Iterator<EntityChunk> in) throws IOException {
        List<Path> runs = new ArrayList<>();
        long base = 0;
        long[] k = null;
        long[] t = null;
        int n = 0;
        try {
            if (in.hasNext()) {
                EntityChunk first = in.next();
                if (!in.hasNext() && first.n() <= maxRowsInMemory) {
                    return new ArrayRun(first.keys(), first.eventMicros(), first.n(), 0); // fits: sort it where it is
                }
                in = prepend(first, in);
            }
            while (in.hasNext()) {
                EntityChunk c = in.next();
                int off = 0;
                while (off < c.n()) {
                    if (k == null) {
                        int cap = (int) Math.min(maxRowsInMemory, Math.max(c.n() - off, 1024));
                        k = new long[cap];
                        t = new long[cap];
                    }
                    if (n == k.length && k.length < maxRowsInMemory) {
                        int cap = (int) Math.min(maxRowsInMemory, k.length * 2L);
                        k = java.util.Arrays.copyOf(k, cap);
                        t = java.util.Arrays.copyOf(t, cap);
                    }
                    if (n == maxRowsInMemory) {
                        runs.add(spill(k, t, n, base));
                        base += n;
                        n = 0;
                    }
                    int take = Math.min(c.n() - off, k.length - n);
                    System.arraycopy(c.keys(), off, k, n, take);
                    System.arraycopy(c.eventMicros(), off, t, n, take);
                    n += take;
                    off += take;
                }
            }
            if (runs.isEmpty()) {
                return new ArrayRun(k == null ? new long[0] : k, t == null ? new long[0] : t, n, 0);
            }
            if (n > 0) {
                runs.add(spill(k, t, n, base));
            }
            return new MergedRuns(runs);
        } catch (IOException | RuntimeException e) {
            for (Path p : runs) {
                Files.deleteIfExists(p);
            }
            throw e;
        }
    }

    private static Iterator<EntityChunk> prepend(EntityChunk first, Iterator<EntityChunk> rest) {
        return new Iterator<>() {
            boolean pending = true;

            @Override
            public boolean hasNext() {
                return pending || rest.hasNext();
            }

            @Override
            public EntityChunk next() {
                if (pending) {
                    pending = false;
                    return first;
                }
                return rest.next();
            }
        };
    }

    private Path spill(long[] k, long[] t, int n, long base) throws IOException {
        Sorting.Sorted s = Sorting.byKeyThenTime(k, t, n);
        Path file = spillDir == null ? Files.createTempFile("segue-pit-", ".run") : Files.createTempFile(spillDir, "segue-pit-", ".run");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (int i = 0; i < n; i++) {
                out.writeLong(s.keys()[i]);
                out.writeLong(s.ts()[i]);
                out.writeLong(base + s.rows()[i]);
            }
        }
        return file;
    }

    private static final class ArrayRun extends EntityCursor {
        final Sorting.Sorted s;
        private final long base;
        int i = -1;

        ArrayRun(long[] k, long[] t, int n, long base) {
            this.s = Sorting.byKeyThenTime(k, t, n);
            this.base = base;
        }

        @Override
        boolean next() {
            if (++i >= s.rows().length) {
                return false;
            }
            key = s.keys()[i];
            ts = s.ts()[i];
            row = base + s.rows()[i];
            return true;
        }
    }

    private static final class FileRun extends EntityCursor {
        private final Path file;
        private final DataInputStream in;

        FileRun(Path file) throws IOException {
            this.file = file;
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        }

        @Override
        boolean next() throws IOException {
            try {
                key = in.readLong();
            } catch (EOFException e) {
                return false;
            }
            ts = in.readLong();
            row = in.readLong();
            return true;
        }

        @Override
        public void close() {
            try {
                in.close();
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // temp file; the OS temp cleaner gets it otherwise
            }
        }
    }

    private static final class MergedRuns extends EntityCursor {
        private final List<FileRun> runs = new ArrayList<>();
        private final PriorityQueue<FileRun> heap = new PriorityQueue<>((a, b) -> a.key != b.key ? Long.compare(a.key, b.key)
                : a.ts != b.ts ? Long.compare(a.ts, b.ts) : Long.compare(a.row, b.row));

        MergedRuns(List<Path> files) throws IOException {
            for (Path f : files) {
                FileRun r = new FileRun(f);
                runs.add(r);
                if (r.next()) {
                    heap.add(r);
                }
            }
        }

        @Override
        boolean next() throws IOException {
            FileRun top = heap.poll();
            if (top == null) {
                return false;
            }
            key = top.key;
            ts = top.ts;
            row = top.row;
            if (top.next()) {
                heap.add(top);
            }
            return true;
        }

        @Override
        public void close() {
            runs.forEach(FileRun::close);
        }
    }

    /**
     * Gathers feature columns for matched rows into a table aligned with the entity rows: row i holds the
     * values of feature row {@code rows[i]}, or nulls when it is -1.
     */
    public static Table gather(Table features, int[] rows, List<String> columns) {
        java.util.Map<String, Columnar.Column> out = new java.util.LinkedHashMap<>();
        int n = rows.length;
        for (String name : columns) {
            Columnar.Column c = features.column(name);
            boolean[] valid = new boolean[n];
            int dim = c.dim();
            Object values = switch (c.type()) {
                case INT32 -> new int[n];
                case INT64, TIMESTAMP -> new long[n];
                case FLOAT32 -> new float[n];
                case FLOAT64 -> new double[n];
                case BOOL -> new boolean[n];
                case UTF8 -> new String[n];
                case EMBEDDING -> new float[n * dim];
            };
            for (int i = 0; i < n; i++) {
                int r = rows[i];
                if (r < 0 || features.isNull(name, r)) {
                    continue;
                }
                valid[i] = true;
                switch (c.type()) {
                    case INT32 -> ((int[]) values)[i] = ((int[]) c.values())[r];
                    case INT64, TIMESTAMP -> ((long[]) values)[i] = ((long[]) c.values())[r];
                    case FLOAT32 -> ((float[]) values)[i] = ((float[]) c.values())[r];
                    case FLOAT64 -> ((double[]) values)[i] = ((double[]) c.values())[r];
                    case BOOL -> ((boolean[]) values)[i] = ((boolean[]) c.values())[r];
                    case UTF8 -> ((String[]) values)[i] = ((String[]) c.values())[r];
                    case EMBEDDING -> System.arraycopy(c.values(), r * dim, values, i * dim, dim);
                }
            }
            out.put(name, ArrowColumns.compact(new Columnar.Column(c.type(), values, c.type() == FeatureType.UTF8 ? null : valid, dim)));
        }
        return new Table(n, out);
    }
}
