package dev.segue.store;

import java.util.Map;

/** One row of a version, from a point lookup: global row number and column values (null for nulls). */
public record Row(int row, Map<String, Object> values) {

    public Object get(String column) {
        if (!values.containsKey(column)) {
            throw new StoreException("row has no column '" + column + "' (have " + values.keySet() + ")");
        }
        return values.get(column);
    }

    public int getInt(String column) {
        return (Integer) get(column);
    }

    public long getLong(String column) {
        return (Long) get(column);
    }

    public float getFloat(String column) {
        return (Float) get(column);
    }

    public double getDouble(String column) {
        return (Double) get(column);
    }

    public boolean getBool(String column) {
        return (Boolean) get(column);
    }

    public String getString(String column) {
        return (String) get(column);
    }

    public float[] getEmbedding(String column) {
        return (float[]) get(column);
    }
}
