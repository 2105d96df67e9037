package dev.segue.store;

import java.util.Map;

/** The result of a bulk columnar read ({@link FeatureSetReader#readAll}); row i is global row i of the version. */
public final class Table extends Columnar {
    private static final long serialVersionUID = 1L;

    Table(int rows, Map<String, Column> columns) {
        super(rows, columns);
    }

    /** The same columns as a batch (no copy). */
    Batch asBatch() {
        return new Batch(rows, columns);
    }
}
