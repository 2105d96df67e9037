package dev.segue.store;

/**
 * Column types of a feature set and their Arrow representation.
 * TIMESTAMP values are microseconds since the epoch, UTC, held as {@code long}.
 * EMBEDDING is {@code FixedSizeList<float32>[dim]}, held flat row-major as {@code float[]}.
 */
public enum FeatureType {
    INT32, INT64, FLOAT32, FLOAT64, BOOL, UTF8, TIMESTAMP, EMBEDDING;

    public boolean isNumeric() {
        return this == INT32 || this == INT64 || this == FLOAT32 || this == FLOAT64 || this == TIMESTAMP;
    }

    /** Types usable as an entity key. */
    boolean isKeyType() {
        return this == INT32 || this == INT64 || this == UTF8;
    }
}
