package dev.segue.store;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mapping between declared columns and Arrow vectors, with bulk copies between vectors and primitive arrays. */
final class ArrowColumns {
    static final BufferAllocator ROOT = new RootAllocator(Long.MAX_VALUE);
    static final ArrowType.Int INDEX_TYPE = new ArrowType.Int(32, true);

    private ArrowColumns() {
    }

    static ArrowType arrowType(ColumnSpec c) {
        return switch (c.type()) {
            case INT32 -> new ArrowType.Int(32, true);
            case INT64 -> new ArrowType.Int(64, true);
            case FLOAT32 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case BOOL -> ArrowType.Bool.INSTANCE;
            case UTF8 -> ArrowType.Utf8.INSTANCE;
            case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
            case EMBEDDING -> new ArrowType.FixedSizeList(c.dim());
        };
    }

    /**
     * The schema of the vectors a writer fills: categorical columns appear as their int32 dictionary indices with
     * the dictionary encoding attached (Arrow's writer turns that into a utf8 dictionary field in the file).
     */
    static Schema writeSchema(FeatureSetSchema schema) {
        List<Field> fields = new ArrayList<>();
        long dictId = 0;
        for (ColumnSpec c : schema.columns()) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("description", c.description());
            String role = c.name().equals(schema.entityKey()) ? "entity_key"
                    : c.name().equals(schema.eventTimestamp()) ? "event_timestamp"
                    : c.name().equals(schema.createdTimestamp()) ? "created_timestamp" : "feature";
            meta.put("segue.role", role);
            if (c.categorical()) {
                DictionaryEncoding enc = new DictionaryEncoding(dictId++, false, INDEX_TYPE);
                fields.add(new Field(c.name(), new FieldType(c.nullable(), INDEX_TYPE, enc, meta), null));
            } else if (c.type() == FeatureType.EMBEDDING) {
                Field item = new Field("item", FieldType.notNullable(arrowType(new ColumnSpec("item", FeatureType.FLOAT32, "", 0, false, false, null, null))), null);
                fields.add(new Field(c.name(), new FieldType(c.nullable(), arrowType(c), null, meta), List.of(item)));
            } else {
                fields.add(new Field(c.name(), new FieldType(c.nullable(), arrowType(c), null, meta), null));
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("segue.feature_set", schema.name());
        meta.put("segue.entity_key", schema.entityKey());
        if (schema.eventTimestamp() != null) {
            meta.put("segue.event_timestamp", schema.eventTimestamp());
        }
        return new Schema(fields, meta);
    }

    static ByteBuffer le(ArrowBuf buf, long offsetBytes, long lengthBytes) {
        return buf.nioBuffer(offsetBytes, Math.toIntExact(lengthBytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Copies rows [from, to) of a column into a fixed-width vector at row {@code at}; the vector has capacity. */
    static void copyIn(FieldVector vector, Columnar.Column c, int from, int to, int at) {
        int n = to - from;
        if (n == 0) {
            return;
        }
        switch (c.type()) {
            case INT32 -> le(vector.getDataBuffer(), at * 4L, n * 4L).asIntBuffer().put((int[]) c.values(), from, n);
            case INT64, TIMESTAMP -> le(vector.getDataBuffer(), at * 8L, n * 8L).asLongBuffer().put((long[]) c.values(), from, n);
            case FLOAT32 -> le(vector.getDataBuffer(), at * 4L, n * 4L).asFloatBuffer().put((float[]) c.values(), from, n);
            case FLOAT64 -> le(vector.getDataBuffer(), at * 8L, n * 8L).asDoubleBuffer().put((double[]) c.values(), from, n);
            case BOOL -> {
                boolean[] v = (boolean[]) c.values();
                ArrowBuf data = vector.getDataBuffer();
                for (int i = 0; i < n; i++) {
                    BitVectorHelper.setValidityBit(data, at + i, v[from + i] ? 1 : 0);
                }
            }
            case EMBEDDING -> {
                FixedSizeListVector list = (FixedSizeListVector) vector;
                int dim = c.dim();
                Float4Vector data = (Float4Vector) list.getDataVector();
                le(data.getDataBuffer(), (long) at * dim * 4, (long) n * dim * 4).asFloatBuffer()
                        .put((float[]) c.values(), from * dim, n * dim);
                setValid(data.getValidityBuffer(), (long) at * dim, (long) n * dim);
            }
            case UTF8 -> throw new IllegalStateException("utf8 columns are copied by copyStrings");
        }
        boolean[] valid = c.valid();
        ArrowBuf validity = vector.getValidityBuffer();
        setValid(validity, at, n);
        if (valid != null) {
            for (int i = 0; i < n; i++) {
                if (!valid[from + i]) {
                    BitVectorHelper.unsetBit(validity, at + i);
                }
            }
        }
    }

    // Sets bits [start, start+n) of a validity buffer: whole bytes in bulk, edges bit by bit.
    static void setValid(ArrowBuf validity, long start, long n) {
        long i = start;
        long end = start + n;
        while (i < end && (i & 7) != 0) {
            BitVectorHelper.setBit(validity, i++);
        }
        long bytes = (end - i) >>> 3;
        if (bytes > 0) {
            validity.setOne(i >>> 3, bytes);
            i += bytes << 3;
        }
        while (i < end) {
            BitVectorHelper.setBit(validity, i++);
        }
    }

    static void copyStrings(VarCharVector vector, String[] v, int from, int to, int at) {
        for (int i = from; i < to; i++) {
            if (v[i] == null) {
                vector.setNull(at + i - from);
            } else {
                vector.setSafe(at + i - from, v[i].getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Reads rows [0, n) of a vector into {@code dest} at row {@code at} (dest arrays are preallocated). */
    static void copyOut(FieldVector vector, Columnar.Column dest, int n, int at, String[] dictionary) {
        if (n == 0) {
            return;
        }
        switch (dest.type()) {
            case INT32 -> le(vector.getDataBuffer(), 0, n * 4L).asIntBuffer().get((int[]) dest.values(), at, n);
            case INT64, TIMESTAMP -> le(vector.getDataBuffer(), 0, n * 8L).asLongBuffer().get((long[]) dest.values(), at, n);
            case FLOAT32 -> le(vector.getDataBuffer(), 0, n * 4L).asFloatBuffer().get((float[]) dest.values(), at, n);
            case FLOAT64 -> le(vector.getDataBuffer(), 0, n * 8L).asDoubleBuffer().get((double[]) dest.values(), at, n);
            case BOOL -> {
                BitVector b = (BitVector) vector;
                boolean[] out = (boolean[]) dest.values();
                for (int i = 0; i < n; i++) {
                    out[at + i] = !b.isNull(i) && b.get(i) == 1;
                }
            }
            case EMBEDDING -> {
                FixedSizeListVector list = (FixedSizeListVector) vector;
                int dim = dest.dim();
                Float4Vector data = (Float4Vector) list.getDataVector();
                le(data.getDataBuffer(), 0, (long) n * dim * 4).asFloatBuffer().get((float[]) dest.values(), at * dim, n * dim);
            }
            case UTF8 -> {
                String[] out = (String[]) dest.values();
                if (dictionary != null) {
                    BaseFixedWidthVector idx = (BaseFixedWidthVector) vector;
                    ArrowBuf data = idx.getDataBuffer();
                    for (int i = 0; i < n; i++) {
                        out[at + i] = idx.isNull(i) ? null : dictionary[data.getInt(i * 4L)];
                    }
                } else {
                    VarCharVector s = (VarCharVector) vector;
                    for (int i = 0; i < n; i++) {
                        byte[] b = s.get(i);
                        out[at + i] = b == null ? null : new String(b, StandardCharsets.UTF_8);
                    }
                }
            }
        }
        boolean[] valid = dest.valid();
        if (valid != null && dest.type() != FeatureType.UTF8) {
            if (vector.getNullCount() == 0) {
                java.util.Arrays.fill(valid, at, at + n, true);
            } else {
                for (int i = 0; i < n; i++) {
                    valid[at + i] = !vector.isNull(i);
                }
            }
        }
    }

    static String[] dictionaryValues(VarCharVector dict) {
        String[] out = new String[dict.getValueCount()];
        for (int i = 0; i < out.length; i++) {
            byte[] b = dict.get(i);
            out[i] = b == null ? null : new String(b, StandardCharsets.UTF_8);
        }
        return out;
    }

    /** A column of {@code rows} rows with preallocated arrays; validity allocated for nullable non-utf8 columns. */
    static Columnar.Column allocate(ColumnSpec c, int rows) {
        Object values = switch (c.type()) {
            case INT32 -> new int[rows];
            case INT64, TIMESTAMP -> new long[rows];
            case FLOAT32 -> new float[rows];
            case FLOAT64 -> new double[rows];
            case BOOL -> new boolean[rows];
            case UTF8 -> new String[rows];
            case EMBEDDING -> new float[Math.multiplyExact(rows, c.dim())];
        };
        boolean[] valid = c.nullable() && c.type() != FeatureType.UTF8 ? new boolean[rows] : null;
        return new Columnar.Column(c.type(), values, valid, c.dim());
    }

    /** Drops an all-true validity array so callers see null (= no nulls). */
    static Columnar.Column compact(Columnar.Column c) {
        boolean[] v = c.valid();
        if (v == null) {
            return c;
        }
        for (boolean b : v) {
            if (!b) {
                return c;
            }
        }
        return new Columnar.Column(c.type(), c.values(), null, c.dim());
    }
}
