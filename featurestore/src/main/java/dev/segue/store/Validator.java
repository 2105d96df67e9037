package dev.segue.store;

import java.util.HashSet;
import java.util.Set;

/**
 * Enforces a declared schema on a batch before any byte of it is written: every declared column present, no
 * undeclared ones, types and embedding dimensions as declared, no nulls in non-null columns, values inside
 * declared ranges, finite embeddings. Messages name the feature set, column and offending row.
 */
public final class Validator {
    private Validator() {
    }

    /** @param rowBase global row number of the batch's first row, for messages */
    public static void validate(FeatureSetSchema schema, Batch batch, long rowBase) {
        String set = "feature set '" + schema.name() + "'";
        Set<String> declared = new HashSet<>(schema.columnNames());
        for (String name : batch.columnNames()) {
            if (!declared.contains(name)) {
                throw new ValidationException(set + ": column '" + name + "' is not declared in the schema (declared: "
                        + schema.columnNames() + ")");
            }
        }
        for (ColumnSpec spec : schema.columns()) {
            if (!batch.has(spec.name())) {
                throw new ValidationException(set + ": missing column '" + spec.name() + "' (" + spec.type() + ")");
            }
            Columnar.Column c = batch.column(spec.name());
            if (c.type() != spec.type()) {
                throw new ValidationException(set + ": column '" + spec.name() + "' is declared " + spec.type()
                        + " but the batch holds " + c.type());
            }
            if (spec.type() == FeatureType.EMBEDDING && batch.rows() > 0 && c.dim() != spec.dim()) {
                throw new ValidationException(set + ": column '" + spec.name() + "' is declared with dimension "
                        + spec.dim() + " but the batch holds dimension " + c.dim());
            }
            checkValues(set, spec, c, batch.rows(), rowBase);
        }
    }

    private static void checkValues(String set, ColumnSpec spec, Columnar.Column c, int rows, long rowBase) {
        boolean[] valid = c.valid();
        if (!spec.nullable()) {
            if (valid != null) {
                for (int i = 0; i < rows; i++) {
                    if (!valid[i]) {
                        throw nullAt(set, spec, rowBase + i);
                    }
                }
            }
            if (spec.type() == FeatureType.UTF8) {
                String[] v = (String[]) c.values();
                for (int i = 0; i < rows; i++) {
                    if (v[i] == null) {
                        throw nullAt(set, spec, rowBase + i);
                    }
                }
            }
        }
        if (spec.type() == FeatureType.EMBEDDING) {
            float[] v = (float[]) c.values();
            int dim = spec.dim();
            for (int j = 0; j < v.length; j++) {
                if (!Float.isFinite(v[j]) && (valid == null || valid[j / dim])) {
                    throw new ValidationException(set + ": column '" + spec.name() + "' row " + (rowBase + j / dim)
                            + ": non-finite value " + v[j] + " at position " + (j % dim));
                }
            }
        }
        if (spec.min() == null && spec.max() == null) {
            return;
        }
        double lo = spec.min() == null ? Double.NEGATIVE_INFINITY : spec.min();
        double hi = spec.max() == null ? Double.POSITIVE_INFINITY : spec.max();
        for (int i = 0; i < rows; i++) {
            if (valid != null && !valid[i]) {
                continue;
            }
            double x = switch (c.type()) {
                case INT32 -> ((int[]) c.values())[i];
                case INT64, TIMESTAMP -> ((long[]) c.values())[i];
                case FLOAT32 -> ((float[]) c.values())[i];
                case FLOAT64 -> ((double[]) c.values())[i];
                default -> throw new IllegalStateException("range check on " + c.type());
            };
            if (!(x >= lo && x <= hi)) {
                throw new ValidationException(set + ": column '" + spec.name() + "' row " + (rowBase + i) + ": value "
                        + x + " is outside the allowed range [" + lo + ", " + hi + "]");
            }
        }
    }

    private static ValidationException nullAt(String set, ColumnSpec spec, long row) {
        return new ValidationException(set + ": column '" + spec.name() + "' row " + row + ": null in a non-null column");
    }
}
