package dev.segue.store;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One declared column.
 *
 * @param dim         embedding dimension (0 for other types)
 * @param categorical utf8 column stored dictionary-encoded
 * @param nullable    whether nulls are allowed (key and event-timestamp columns never are)
 * @param min         optional inclusive lower bound checked on write (numerics)
 * @param max         optional inclusive upper bound checked on write (numerics)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSpec(String name, FeatureType type, String description, int dim, boolean categorical,
                         boolean nullable, Double min, Double max) implements java.io.Serializable {

    public ColumnSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("column name must not be blank");
        }
        if (type == null) {
            throw new IllegalArgumentException("column '" + name + "': type is required");
        }
        if (type == FeatureType.EMBEDDING && dim <= 0) {
            throw new IllegalArgumentException("column '" + name + "': embedding dimension must be positive, got " + dim);
        }
        if (type != FeatureType.EMBEDDING && dim != 0) {
            throw new IllegalArgumentException("column '" + name + "': only embeddings have a dimension");
        }
        if (categorical && type != FeatureType.UTF8) {
            throw new IllegalArgumentException("column '" + name + "': only utf8 columns can be categorical");
        }
        if ((min != null || max != null) && !type.isNumeric()) {
            throw new IllegalArgumentException("column '" + name + "': range checks apply to numeric columns only");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("column '" + name + "': range min " + min + " > max " + max);
        }
        description = description == null ? "" : description;
    }

    ColumnSpec withNullable(boolean value) {
        return new ColumnSpec(name, type, description, dim, categorical, value, min, max);
    }

    ColumnSpec withRange(Double lo, Double hi) {
        return new ColumnSpec(name, type, description, dim, categorical, nullable, lo, hi);
    }
}
