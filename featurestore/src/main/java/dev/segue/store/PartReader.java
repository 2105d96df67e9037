package dev.segue.store;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads record batches of one part file into columnar arrays. Any failure to parse the file (truncation, bad
 * bytes, a schema other than the declared one) becomes a {@link CorruptionException} naming the file.
 */
final class PartReader implements Closeable {
    private final Location file;
    private final FeatureSetSchema schema;
    private final BufferAllocator alloc;
    private final SeekableByteChannel channel;
    private final ArrowFileReader reader;
    private final List<ArrowBlock> blocks;
    private final Map<String, String[]> dictionaries = new HashMap<>();

    PartReader(StoreFileIO io, Location file, FeatureSetSchema schema) {
        this.file = file;
        this.schema = schema;
        this.alloc = ArrowColumns.ROOT.newChildAllocator("part-reader " + file.name(), 0, Long.MAX_VALUE);
        SeekableByteChannel ch = null;
        ArrowFileReader r = null;
        try {
            ch = io.openRead(file);
            r = new ArrowFileReader(ch, alloc, CommonsCompressionFactory.INSTANCE);
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            checkSchema(root);
            this.blocks = r.getRecordBlocks();
            for (Map.Entry<Long, Dictionary> e : r.getDictionaryVectors().entrySet()) {
                for (Field f : root.getSchema().getFields()) {
                    if (f.getDictionary() != null && f.getDictionary().getId() == e.getKey()) {
                        dictionaries.put(f.getName(), ArrowColumns.dictionaryValues((VarCharVector) e.getValue().getVector()));
                    }
                }
            }
            this.channel = ch;
            this.reader = r;
        } catch (NoSuchFileException e) {
            closeQuietly(r, ch);
            alloc.close();
            throw new CorruptionException(file + ": file is missing");
        } catch (CorruptionException e) {
            closeQuietly(r, ch);
            alloc.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(r, ch);
            alloc.close();
            throw new CorruptionException(file + ": not a readable Arrow IPC file (" + describe(e) + ")", e);
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private void checkSchema(VectorSchemaRoot root) {
        List<Field> fields = root.getSchema().getFields();
        List<ColumnSpec> cols = schema.columns();
        if (fields.size() != cols.size()) {
            throw new CorruptionException(file + ": holds " + fields.size() + " columns, the manifest declares " + cols.size());
        }
        for (int i = 0; i < cols.size(); i++) {
            ColumnSpec c = cols.get(i);
            Field f = fields.get(i);
            ArrowType expected = c.categorical() ? ArrowColumns.INDEX_TYPE : ArrowColumns.arrowType(c);
            if (!f.getName().equals(c.name()) || !f.getType().equals(expected) || (c.categorical() != (f.getDictionary() != null))) {
                throw new CorruptionException(file + ": column " + i + " is '" + f.getName() + "' " + f.getType()
                        + ", the manifest declares '" + c.name() + "' " + c.type());
            }
        }
    }

    Location file() {
        return file;
    }

    int batchCount() {
        return blocks.size();
    }

    /** Loads record batch {@code b} and copies the given columns into {@code dest} at row {@code at}; returns rows. */
    int read(int b, List<ColumnSpec> columns, Map<String, Columnar.Column> dest, int at) {
        int n = load(b);
        copyLoaded(b, columns, dest, at);
        return n;
    }

    /** Loads record batch b and returns its row count; {@link #copyLoaded} then copies columns out of it. */
    int load(int b) {
        try {
            if (!reader.loadRecordBatch(blocks.get(b))) {
                throw new CorruptionException(file + ": record batch " + b + " is missing");
            }
            return reader.getVectorSchemaRoot().getRowCount();
        } catch (CorruptionException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptionException(file + ": record batch " + b + " is unreadable (" + describe(e) + ")", e);
        }
    }

    void copyLoaded(int b, List<ColumnSpec> columns, Map<String, Columnar.Column> dest, int at) {
        try {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            int n = root.getRowCount();
            for (ColumnSpec c : columns) {
                ArrowColumns.copyOut(root.getVector(c.name()), dest.get(c.name()), n, at, dictionaries.get(c.name()));
            }
        } catch (IOException | RuntimeException e) {
            throw new CorruptionException(file + ": record batch " + b + " is unreadable (" + describe(e) + ")", e);
        }
    }

    private static void closeQuietly(ArrowFileReader r, SeekableByteChannel ch) {
        try {
            if (r != null) r.close();
            else if (ch != null) ch.close();
        } catch (IOException | RuntimeException ignored) {
            // already failing; the original error is reported
        }
    }

    @Override
    public void close() {
        closeQuietly(reader, channel);
        alloc.close();
    }
}
