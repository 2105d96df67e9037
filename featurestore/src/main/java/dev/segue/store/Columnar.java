package dev.segue.store;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named columns of primitive arrays with equal row counts. Base of {@link Batch} (what writers take and scans
 * return) and {@link Table} (a bulk read). Nulls are carried by an optional {@code boolean[]} validity per column
 * ({@code null} means every row is valid); utf8 columns also use {@code null} elements.
 */
public abstract class Columnar implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One column: values is int[], long[], float[], double[], boolean[] or String[]; embeddings are flat row-major. */
    public record Column(FeatureType type, Object values, boolean[] valid, int dim) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    final int rows;
    final Map<String, Column> columns;

    Columnar(int rows, Map<String, Column> columns) {
        this.rows = rows;
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    public int rows() {
        return rows;
    }

    public List<String> columnNames() {
        return List.copyOf(columns.keySet());
    }

    public boolean has(String column) {
        return columns.containsKey(column);
    }

    public Column column(String column) {
        Column c = columns.get(column);
        if (c == null) {
            throw new StoreException("no column '" + column + "' (have " + columns.keySet() + ")");
        }
        return c;
    }

    public FeatureType type(String column) {
        return column(column).type();
    }

    public int[] ints(String column) {
        return (int[]) typed(column, FeatureType.INT32);
    }

    /** int64 and timestamp (micros UTC) columns. */
    public long[] longs(String column) {
        Column c = column(column);
        if (c.type() != FeatureType.INT64 && c.type() != FeatureType.TIMESTAMP) {
            throw new StoreException("column '" + column + "' is " + c.type() + ", not INT64/TIMESTAMP");
        }
        return (long[]) c.values();
    }

    public long[] timestamps(String column) {
        return (long[]) typed(column, FeatureType.TIMESTAMP);
    }

    public float[] floats(String column) {
        return (float[]) typed(column, FeatureType.FLOAT32);
    }

    public double[] doubles(String column) {
        return (double[]) typed(column, FeatureType.FLOAT64);
    }

    public boolean[] bools(String column) {
        return (boolean[]) typed(column, FeatureType.BOOL);
    }

    public String[] strings(String column) {
        return (String[]) typed(column, FeatureType.UTF8);
    }

    /** Flat row-major embeddings: row r is {@code [r*dim, (r+1)*dim)}. */
    public float[] embeddings(String column) {
        return (float[]) typed(column, FeatureType.EMBEDDING);
    }

    public int dim(String column) {
        return column(column).dim();
    }

    /** Validity of each row, or null when the column has no nulls (utf8 nulls are null elements instead). */
    public boolean[] validity(String column) {
        return column(column).valid();
    }

    public boolean isNull(String column, int row) {
        Column c = column(column);
        if (c.type() == FeatureType.UTF8) {
            return ((String[]) c.values())[row] == null;
        }
        return c.valid() != null && !c.valid()[row];
    }

    /** Integer-typed key values (int32 or int64) widened to long. */
    long keyAsLong(String column, int row) {
        Column c = column(column);
        return c.type() == FeatureType.INT32 ? ((int[]) c.values())[row] : ((long[]) c.values())[row];
    }

    /** A boxed value for display and point lookups (embeddings as float[]); null when the row is null. */
    public Object value(String column, int row) {
        Column c = column(column);
        if (isNull(column, row)) {
            return null;
        }
        return switch (c.type()) {
            case INT32 -> ((int[]) c.values())[row];
            case INT64, TIMESTAMP -> ((long[]) c.values())[row];
            case FLOAT32 -> ((float[]) c.values())[row];
            case FLOAT64 -> ((double[]) c.values())[row];
            case BOOL -> ((boolean[]) c.values())[row];
            case UTF8 -> ((String[]) c.values())[row];
            case EMBEDDING -> java.util.Arrays.copyOfRange((float[]) c.values(), row * c.dim(), (row + 1) * c.dim());
        };
    }

    private Object typed(String column, FeatureType type) {
        Column c = column(column);
        if (c.type() != type) {
            throw new StoreException("column '" + column + "' is " + c.type() + ", not " + type);
        }
        return c.values();
    }
}
