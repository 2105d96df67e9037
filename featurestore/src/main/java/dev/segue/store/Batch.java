package dev.segue.store;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A columnar block of rows built from primitive arrays without boxing. Writers append batches; scans return
 * them. The store has no Beam dependency: the module featurestore-beam gives Beam its coder
 * ({@code dev.segue.store.beam.BatchCoder}, registered for this class by {@code BatchCoderRegistrar}).
 *
 * <pre>
 * Batch b = Batch.builder(n).ints("track_id", ids).strings("track_uri", uris)
 *         .embeddings("factors", flat).build();
 * </pre>
 * Nullable numeric columns take an optional {@code boolean[] valid} (false = null); utf8 nulls are null elements.
 * NaN in a float column is a value, not a null.
 */
public final class Batch extends Columnar {
    private static final long serialVersionUID = 1L;

    Batch(int rows, Map<String, Column> columns) {
        super(rows, columns);
    }

    public static Builder builder(int rows) {
        return new Builder(rows);
    }

    /** Rows [from, to) as a new batch (copies). */
    public Batch slice(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + rows + " rows");
        }
        Map<String, Column> out = new LinkedHashMap<>();
        for (Map.Entry<String, Column> e : columns.entrySet()) {
            Column c = e.getValue();
            int w = c.type() == FeatureType.EMBEDDING ? c.dim() : 1;
            Object v = switch (c.type()) {
                case INT32 -> Arrays.copyOfRange((int[]) c.values(), from, to);
                case INT64, TIMESTAMP -> Arrays.copyOfRange((long[]) c.values(), from, to);
                case FLOAT32 -> Arrays.copyOfRange((float[]) c.values(), from, to);
                case FLOAT64 -> Arrays.copyOfRange((double[]) c.values(), from, to);
                case BOOL -> Arrays.copyOfRange((boolean[]) c.values(), from, to);
                case UTF8 -> Arrays.copyOfRange((String[]) c.values(), from, to);
                case EMBEDDING -> Arrays.copyOfRange((float[]) c.values(), from * w, to * w);
            };
            boolean[] valid = c.valid() == null ? null : Arrays.copyOfRange(c.valid(), from, to);
            out.put(e.getKey(), new Column(c.type(), v, valid, c.dim()));
        }
        return new Batch(to - from, out);
    }

    public static final class Builder {
        private final int rows;
        private final Map<String, Column> columns = new LinkedHashMap<>();

        private Builder(int rows) {
            if (rows < 0) {
                throw new IllegalArgumentException("negative row count " + rows);
            }
            this.rows = rows;
        }

        public Builder ints(String name, int[] values) {
            return ints(name, values, null);
        }

        public Builder ints(String name, int[] values, boolean[] valid) {
            return put(name, FeatureType.INT32, values, values.length, valid, 0);
        }

        public Builder longs(String name, long[] values) {
            return longs(name, values, null);
        }

        public Builder longs(String name, long[] values, boolean[] valid) {
            return put(name, FeatureType.INT64, values, values.length, valid, 0);
        }

        public Builder floats(String name, float[] values) {
            return floats(name, values, null);
        }

        public Builder floats(String name, float[] values, boolean[] valid) {
            return put(name, FeatureType.FLOAT32, values, values.length, valid, 0);
        }

        public Builder doubles(String name, double[] values) {
            return doubles(name, values, null);
        }

        public Builder doubles(String name, double[] values, boolean[] valid) {
            return put(name, FeatureType.FLOAT64, values, values.length, valid, 0);
        }

        public Builder bools(String name, boolean[] values) {
            return bools(name, values, null);
        }

        public Builder bools(String name, boolean[] values, boolean[] valid) {
            return put(name, FeatureType.BOOL, values, values.length, valid, 0);
        }

        /** utf8 and categorical columns; a null element is a null value. */
        public Builder strings(String name, String[] values) {
            return put(name, FeatureType.UTF8, values, values.length, null, 0);
        }

        /** Timestamps in microseconds since the epoch, UTC. */
        public Builder timestamps(String name, long[] micros) {
            return timestamps(name, micros, null);
        }

        public Builder timestamps(String name, long[] micros, boolean[] valid) {
            return put(name, FeatureType.TIMESTAMP, micros, micros.length, valid, 0);
        }

        /** Flat row-major embeddings; the dimension is {@code flat.length / rows}. */
        public Builder embeddings(String name, float[] flat) {
            return embeddings(name, flat, null);
        }

        public Builder embeddings(String name, float[] flat, boolean[] valid) {
            if (rows == 0) {
                return put(name, FeatureType.EMBEDDING, flat, 0, valid, 0);
            }
            if (flat.length % rows != 0 || flat.length == 0) {
                throw new ValidationException("column '" + name + "': " + flat.length
                        + " floats is not a whole number of embeddings for " + rows + " rows");
            }
            return put(name, FeatureType.EMBEDDING, flat, rows, valid, flat.length / rows);
        }

        /** Embeddings with an explicit dimension (needed for empty batches). */
        public Builder embeddings(String name, int dim, float[] flat, boolean[] valid) {
            if ((long) dim * rows != flat.length) {
                throw new ValidationException("column '" + name + "': expected " + rows + " x " + dim + " = "
                        + (long) dim * rows + " floats, got " + flat.length);
            }
            return put(name, FeatureType.EMBEDDING, flat, rows, valid, dim);
        }

        private Builder put(String name, FeatureType type, Object values, int length, boolean[] valid, int dim) {
            if (length != rows) {
                throw new ValidationException("column '" + name + "': " + length + " values for a batch of " + rows + " rows");
            }
            if (valid != null && valid.length != rows) {
                throw new ValidationException("column '" + name + "': validity has " + valid.length + " entries for " + rows + " rows");
            }
            if (columns.put(name, new Column(type, values, valid, dim)) != null) {
                throw new ValidationException("column '" + name + "' given twice");
            }
            return this;
        }

        public Builder column(String name, Column column) {
            if (columns.put(name, column) != null) {
                throw new ValidationException("column '" + name + "' given twice");
            }
            return this;
        }

        public Batch build() {
            return new Batch(rows, columns);
        }
    }
}
