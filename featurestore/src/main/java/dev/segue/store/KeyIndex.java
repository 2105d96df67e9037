package dev.segue.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Every row of a version sorted by (key, event time, created time, row): the last entry of a key's run is its
 * latest row, and the runs are what the point-in-time join merges against. Built at commit time and stored as
 * {@code keys.idx} (little-endian sections: header, utf8 key dictionary, keys, event times, created times, rows),
 * so opening a version only reads arrays. utf8 keys are stored as ranks into their sorted distinct values.
 */
public final class KeyIndex {
    static final int MAGIC = 0x49_4B_47_53; // "SGKI"
    static final int HEADER = 24;
    public static final String FILE = "keys.idx";

    final FeatureType keyType;
    final String[] dictionary; // sorted distinct utf8 keys, or null
    final long[] keys;
    final long[] ts;       // null without an event timestamp
    final long[] created;  // null without a created timestamp
    final int[] rows;

    KeyIndex(FeatureType keyType, String[] dictionary, long[] keys, long[] ts, long[] created, int[] rows) {
        this.keyType = keyType;
        this.dictionary = dictionary;
        this.keys = keys;
        this.ts = ts;
        this.created = created;
        this.rows = rows;
    }

    public int size() {
        return rows.length;
    }

    /** Sorts the collected columns (row i of the inputs is global row i). */
    static KeyIndex build(FeatureType keyType, long[] keys, String[] stringKeys, long[] ts, long[] created, int n) {
        String[] dict = null;
        long[] k = keys;
        if (keyType == FeatureType.UTF8) {
            dict = Arrays.stream(stringKeys, 0, n).distinct().sorted().toArray(String[]::new);
            Map<String, Integer> rank = new HashMap<>(dict.length * 2);
            for (int i = 0; i < dict.length; i++) {
                rank.put(dict[i], i);
            }
            k = new long[n];
            for (int i = 0; i < n; i++) {
                k[i] = rank.get(stringKeys[i]);
            }
        }
        int[] perm = Sorting.order(n, k, ts, created);
        long[] sk = new long[n];
        long[] st = ts == null ? null : new long[n];
        long[] sc = created == null ? null : new long[n];
        for (int i = 0; i < n; i++) {
            int p = perm[i];
            sk[i] = k[p];
            if (st != null) st[i] = ts[p];
            if (sc != null) sc[i] = created[p];
        }
        return new KeyIndex(keyType, dict, sk, st, sc, perm);
    }

    /** Builds an index over integer keys (row i = global row i) and optional event times, as a commit does. */
    public static KeyIndex of(long[] keys, long[] eventTs) {
        return build(FeatureType.INT64, keys, null, eventTs, null, keys.length);
    }

    /** The first key that occurs twice (for sets without event time, where keys must be unique), or -1. */
    int firstDuplicate() {
        for (int i = 1; i < keys.length; i++) {
            if (keys[i] == keys[i - 1]) {
                return i;
            }
        }
        return -1;
    }

    String describeKey(int entry) {
        return dictionary != null ? "'" + dictionary[(int) keys[entry]] + "'" : Long.toString(keys[entry]);
    }

    /** Global row of the latest entry for the key, or -1. */
    public int rowOf(long key) {
        int p = upperBound(key) - 1;
        return p >= 0 && keys[p] == key ? rows[p] : -1;
    }

    public int rowOf(String key) {
        if (dictionary == null) {
            throw new StoreException("entity key is " + keyType + ", not utf8");
        }
        int r = Arrays.binarySearch(dictionary, key);
        return r < 0 ? -1 : rowOf((long) r);
    }

    /** Global row of the latest entry for the key with event time {@code <= asOfMicros}, or -1. */
    public int rowAsOf(long key, long asOfMicros) {
        if (ts == null) {
            throw new StoreException("feature set has no event timestamp");
        }
        int lo = lowerBound(key);
        int hi = upperBound(key);
        int p = -1;
        for (int a = lo, b = hi - 1; a <= b; ) {
            int m = (a + b) >>> 1;
            if (ts[m] <= asOfMicros) {
                p = m;
                a = m + 1;
            } else {
                b = m - 1;
            }
        }
        return p < 0 ? -1 : rows[p];
    }

    private int upperBound(long key) {
        int lo = 0;
        int hi = keys.length;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (keys[m] <= key) lo = m + 1; else hi = m;
        }
        return lo;
    }

    private int lowerBound(long key) {
        int lo = 0;
        int hi = keys.length;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (keys[m] < key) lo = m + 1; else hi = m;
        }
        return lo;
    }

    /** Number of distinct keys. */
    int distinctKeys() {
        int d = keys.length == 0 ? 0 : 1;
        for (int i = 1; i < keys.length; i++) {
            if (keys[i] != keys[i - 1]) d++;
        }
        return d;
    }

    void write(StoreFileIO io, Location file) throws IOException {
        int n = rows.length;
        byte[][] dictBytes = new byte[dictionary == null ? 0 : dictionary.length][];
        long dictLen = 0;
        for (int i = 0; i < dictBytes.length; i++) {
            dictBytes[i] = dictionary[i].getBytes(StandardCharsets.UTF_8);
            dictLen += 4 + dictBytes[i].length;
        }
        try (WritableByteChannel ch = io.create(file)) { // close() makes it durable
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(MAGIC).putInt(1).put((byte) keyType.ordinal()).put((byte) (ts != null ? 1 : 0))
                    .put((byte) (created != null ? 1 : 0)).put((byte) 0).putInt(n).putInt(dictBytes.length).putInt(0);
            h.flip();
            writeFully(ch, h);
            if (dictBytes.length > 0) {
                ByteBuffer d = ByteBuffer.allocate(Math.toIntExact(dictLen)).order(ByteOrder.LITTLE_ENDIAN);
                for (byte[] b : dictBytes) {
                    d.putInt(b.length).put(b);
                }
                d.flip();
                writeFully(ch, d);
            }
            writeLongs(ch, keys);
            if (ts != null) writeLongs(ch, ts);
            if (created != null) writeLongs(ch, created);
            ByteBuffer r = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
            r.asIntBuffer().put(rows);
            writeFully(ch, r);
        }
    }

    static KeyIndex read(StoreFileIO io, Location file, long expectedRows) throws IOException {
        try (SeekableByteChannel ch = io.openRead(file)) {
            long size = ch.size();
            ByteBuffer h = readFully(ch, HEADER, file);
            if (h.getInt() != MAGIC || h.getInt() != 1) {
                throw new CorruptionException(file + ": not a key index (bad magic or version)");
            }
            FeatureType type = FeatureType.values()[h.get()];
            boolean hasTs = h.get() == 1;
            boolean hasCreated = h.get() == 1;
            h.get();
            int n = h.getInt();
            int nd = h.getInt();
            if (n != expectedRows) {
                throw new CorruptionException(file + ": key index has " + n + " rows, manifest says " + expectedRows);
            }
            String[] dict = null;
            if (type == FeatureType.UTF8) {
                dict = new String[nd];
                long dictBytes = size - HEADER - (long) n * (8 + (hasTs ? 8 : 0) + (hasCreated ? 8 : 0) + 4);
                ByteBuffer d = readFully(ch, Math.toIntExact(dictBytes), file);
                for (int i = 0; i < nd; i++) {
                    byte[] b = new byte[d.getInt()];
                    d.get(b);
                    dict[i] = new String(b, StandardCharsets.UTF_8);
                }
            }
            long[] keys = readLongs(ch, n, file);
            long[] ts = hasTs ? readLongs(ch, n, file) : null;
            long[] created = hasCreated ? readLongs(ch, n, file) : null;
            int[] rows = new int[n];
            readFully(ch, n * 4, file).asIntBuffer().get(rows);
            return new KeyIndex(type, dict, keys, ts, created, rows);
        }
    }

    /** The sorted distinct keys of a utf8-keyed index (rank i is entry i), read without the arrays. */
    static String[] readDictionary(StoreFileIO io, Location file) throws IOException {
        try (SeekableByteChannel ch = io.openRead(file)) {
            ByteBuffer h = readFully(ch, HEADER, file);
            if (h.getInt() != MAGIC || h.getInt() != 1) {
                throw new CorruptionException(file + ": not a key index (bad magic or version)");
            }
            FeatureType type = FeatureType.values()[h.get()];
            if (type != FeatureType.UTF8) {
                throw new StoreException(file + ": entity key is " + type + ", not utf8");
            }
            boolean hasTs = h.get() == 1;
            boolean hasCreated = h.get() == 1;
            h.get();
            int n = h.getInt();
            int nd = h.getInt();
            long dictBytes = ch.size() - HEADER - (long) n * (8 + (hasTs ? 8 : 0) + (hasCreated ? 8 : 0) + 4);
            ByteBuffer d = readFully(ch, Math.toIntExact(dictBytes), file);
            String[] dict = new String[nd];
            for (int i = 0; i < nd; i++) {
                byte[] b = new byte[d.getInt()];
                d.get(b);
                dict[i] = new String(b, StandardCharsets.UTF_8);
            }
            return dict;
        }
    }

    private static void writeLongs(WritableByteChannel ch, long[] a) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(a);
        writeFully(ch, b);
    }

    private static long[] readLongs(ReadableByteChannel ch, int n, Object file) throws IOException {
        long[] out = new long[n];
        readFully(ch, n * 8, file).asLongBuffer().get(out);
        return out;
    }

    static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    static ByteBuffer readFully(ReadableByteChannel ch, int bytes, Object file) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new CorruptionException(file + ": truncated (ended after " + b.position() + " of " + bytes + " expected bytes)");
            }
        }
        b.flip();
        return b;
    }
}
