package dev.segue.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;

/**
 * Streams a key index file in (key, event time, created time, row) order, a chunk at a time, so a point-in-time
 * join holds a few hundred KB of each feature set instead of its whole index. For utf8 keys the keys are ranks
 * into the sorted key dictionary that precedes the arrays.
 */
final class IndexCursor implements Closeable {
    private static final int CHUNK = 1 << 15;

    private final Location file;
    private final SeekableByteChannel ch;
    private final int n;
    private final long keysOff;
    private final long tsOff;
    private final long createdOff;
    private final long rowsOff;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
    // the current chunk; the arrays are reused, so a caller may hold on to them across chunks
    final long[] keys = new long[CHUNK];
    final long[] ts = new long[CHUNK];
    private final long[] created = new long[CHUNK];
    final int[] rows = new int[CHUNK];
    private int chunkStart;
    int chunkLen;
    int pos = -1;

    long key;
    long eventTs;
    long createdTs;
    int row;

    IndexCursor(StoreFileIO io, Location file, long expectedRows) throws IOException {
        this.file = file;
        this.ch = io.openRead(file);
        try {
            ByteBuffer h = KeyIndex.readFully(ch, KeyIndex.HEADER, file);
            if (h.getInt() != KeyIndex.MAGIC || h.getInt() != 1) {
                throw new CorruptionException(file + ": not a key index (bad magic or version)");
            }
            FeatureType type = FeatureType.values()[h.get()];
            boolean hasTs = h.get() == 1;
            boolean hasCreated = h.get() == 1;
            h.get();
            n = h.getInt();
            int distinct = h.getInt();
            if (!hasTs) {
                throw new StoreException("point-in-time joins need an event timestamp; " + file + " has none");
            }
            if (n != expectedRows) {
                throw new CorruptionException(file + ": key index has " + n + " rows, manifest says " + expectedRows);
            }
            long arrays = (long) n * (8 + 8 + (hasCreated ? 8 : 0) + 4);
            // utf8 keys: the sorted key dictionary (4-byte length + bytes each) precedes the arrays, which hold ranks
            keysOff = type == FeatureType.UTF8 ? ch.size() - arrays : KeyIndex.HEADER;
            if (type == FeatureType.UTF8 && keysOff < KeyIndex.HEADER + 4L * distinct) {
                throw new CorruptionException(file + ": " + ch.size() + " bytes, too short for " + n + " rows and "
                        + distinct + " distinct keys");
            }
            tsOff = keysOff + 8L * n;
            createdOff = hasCreated ? tsOff + 8L * n : -1;
            rowsOff = tsOff + 8L * n + (hasCreated ? 8L * n : 0);
            if (ch.size() != rowsOff + 4L * n) {
                throw new CorruptionException(file + ": " + ch.size() + " bytes, a key index of " + n + " rows needs " + (rowsOff + 4L * n));
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Moves to the next entry; false at the end. */
    boolean next() throws IOException {
        if (++pos >= chunkLen && !nextChunk()) {
            return false;
        }
        key = keys[pos];
        eventTs = ts[pos];
        createdTs = createdOff >= 0 ? created[pos] : 0;
        row = rows[pos];
        return true;
    }

    /** Loads the following chunk into the arrays and sets {@code pos} to 0; false at the end of the index. */
    boolean nextChunk() throws IOException {
        chunkStart += chunkLen;
        if (chunkStart >= n) {
            chunkLen = 0;
            return false;
        }
        chunkLen = Math.min(CHUNK, n - chunkStart);
        readLongs(keysOff, keys);
        readLongs(tsOff, ts);
        if (createdOff >= 0) {
            readLongs(createdOff, created);
        }
        buf.clear().limit(chunkLen * 4);
        fill(rowsOff + 4L * chunkStart);
        buf.asIntBuffer().get(rows, 0, chunkLen);
        pos = 0;
        return true;
    }

    private void readLongs(long section, long[] dst) throws IOException {
        buf.clear().limit(chunkLen * 8);
        fill(section + 8L * chunkStart);
        buf.asLongBuffer().get(dst, 0, chunkLen);
    }

    private void fill(long at) throws IOException {
        long p = at;
        while (buf.hasRemaining()) {
            int r = ch instanceof java.nio.channels.FileChannel fc ? fc.read(buf, p) : ch.position(p).read(buf);
            if (r < 0) {
                throw new CorruptionException(file + ": truncated at byte " + p);
            }
            p += r;
        }
        buf.flip();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
