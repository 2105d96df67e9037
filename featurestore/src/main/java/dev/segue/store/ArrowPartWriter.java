package dev.segue.store;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Streams validated rows into one Arrow IPC file-format part: record batches of exactly {@code batchRows} rows
 * (the last may be shorter). A part with categorical columns is held until {@link #finish()} because the file
 * format carries one dictionary per field, written before the first batch.
 */
public final class ArrowPartWriter implements Closeable {
    private final WritableByteChannel out;
    private final FeatureSetSchema schema;
    private final WriteOptions options;
    private final Schema arrowSchema;
    private final boolean holdAll;
    private final BufferAllocator alloc;
    private final ArrayDeque<Segment> pending = new ArrayDeque<>();
    private final DictionaryProvider.MapDictionaryProvider dicts = new DictionaryProvider.MapDictionaryProvider();
    private final Map<String, Map<String, Integer>> codes = new HashMap<>();
    private long pendingRows;
    private long rows;
    private VectorSchemaRoot root;
    private ArrowFileWriter writer;
    private boolean finished;

    private static final class Segment {
        final Batch batch;
        int from;
        final int to;

        Segment(Batch batch, int from, int to) {
            this.batch = batch;
            this.from = from;
            this.to = to;
        }
    }

    public ArrowPartWriter(WritableByteChannel out, FeatureSetSchema schema, WriteOptions options) {
        this.out = out;
        this.schema = schema;
        this.options = options;
        this.arrowSchema = ArrowColumns.writeSchema(schema);
        this.holdAll = schema.columns().stream().anyMatch(ColumnSpec::categorical);
        this.alloc = ArrowColumns.ROOT.newChildAllocator("part-writer", 0, Long.MAX_VALUE);
    }

    /** Rows appended so far. */
    public long rows() {
        return rows;
    }

    /** Appends rows [from, to) of an already validated batch (the batch must not be modified afterwards). */
    public void append(Batch batch, int from, int to) throws IOException {
        if (finished) {
            throw new IllegalStateException("part already finished");
        }
        if (to <= from) {
            return;
        }
        pending.add(new Segment(batch, from, to));
        pendingRows += to - from;
        rows += to - from;
        if (!holdAll) {
            while (pendingRows >= options.batchRows()) {
                emit(options.batchRows());
            }
        }
    }

    /** Writes the remaining rows and the file footer. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        if (holdAll) {
            buildDictionaries();
        }
        start();
        while (pendingRows > 0) {
            emit((int) Math.min(options.batchRows(), pendingRows));
        }
        writer.end();
        finished = true;
    }

    private void buildDictionaries() {
        long id = 0;
        for (Field f : arrowSchema.getFields()) {
            if (f.getDictionary() == null) {
                continue;
            }
            Map<String, Integer> code = new LinkedHashMap<>();
            for (Segment s : pending) {
                String[] v = s.batch.strings(f.getName());
                for (int i = s.from; i < s.to; i++) {
                    if (v[i] != null) {
                        code.putIfAbsent(v[i], code.size());
                    }
                }
            }
            VarCharVector dv = new VarCharVector(f.getName() + ".dictionary", alloc);
            dv.allocateNew(code.size());
            int k = 0;
            for (String s : code.keySet()) {
                dv.setSafe(k++, s.getBytes(StandardCharsets.UTF_8));
            }
            dv.setValueCount(code.size());
            dicts.put(new Dictionary(dv, f.getDictionary()));
            codes.put(f.getName(), code);
            id++;
        }
    }

    private void start() throws IOException {
        if (writer != null) {
            return;
        }
        root = VectorSchemaRoot.create(arrowSchema, alloc);
        Map<String, String> meta = Map.of("segue.feature_set", schema.name());
        writer = options.compression()
                ? new ArrowFileWriter(root, dicts, out, meta, IpcOption.DEFAULT, CommonsCompressionFactory.INSTANCE,
                CompressionUtil.CodecType.ZSTD, Optional.of(options.zstdLevel()))
                : new ArrowFileWriter(root, dicts, out, meta, IpcOption.DEFAULT, NoCompressionCodec.Factory.INSTANCE,
                CompressionUtil.CodecType.NO_COMPRESSION);
        writer.start();
    }

    private void emit(int n) throws IOException {
        start();
        root.clear();
        for (FieldVector v : root.getFieldVectors()) {
            v.setInitialCapacity(n);
            v.allocateNew();
        }
        int at = 0;
        while (at < n) {
            Segment s = pending.peek();
            int take = Math.min(n - at, s.to - s.from);
            fill(s.batch, s.from, s.from + take, at);
            at += take;
            s.from += take;
            if (s.from == s.to) {
                pending.poll();
            }
        }
        pendingRows -= n;
        root.setRowCount(n);
        writer.writeBatch();
    }

    private void fill(Batch b, int from, int to, int at) {
        for (ColumnSpec c : schema.columns()) {
            FieldVector v = root.getVector(c.name());
            Columnar.Column col = b.column(c.name());
            if (c.categorical()) {
                Map<String, Integer> code = codes.get(c.name());
                IntVector iv = (IntVector) v;
                String[] s = (String[]) col.values();
                for (int i = from; i < to; i++) {
                    if (s[i] == null) {
                        iv.setNull(at + i - from);
                    } else {
                        iv.set(at + i - from, code.get(s[i]));
                    }
                }
            } else if (c.type() == FeatureType.UTF8) {
                ArrowColumns.copyStrings((VarCharVector) v, (String[]) col.values(), from, to, at);
            } else {
                ArrowColumns.copyIn(v, col, from, to, at);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (writer != null) {
                writer.close();
            }
            if (root != null) {
                root.close();
            }
        } finally {
            for (long id : dicts.getDictionaryIds()) {
                dicts.lookup(id).getVector().close();
            }
            pending.clear();
            alloc.close();
        }
    }
}
