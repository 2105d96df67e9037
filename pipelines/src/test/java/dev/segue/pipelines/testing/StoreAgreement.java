package dev.segue.pipelines.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.FeatureSetContracts;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Two runs of a pipeline on different runners must write the same feature sets: the same rows (matched by their
 * entity key, in whatever order each runner wrote them), every non-floating value equal, and floating values
 * (FLOAT32, FLOAT64, embeddings) within a relative tolerance, NaN matching NaN.
 */
public final class StoreAgreement {
    private StoreAgreement() {}

    /**
     * {@link #assertSameRows(Path, Path, String, List, double)} with the row key of the set's contract: its entity
     * key, and its event timestamp when it has one (one row per entity and time).
     */
    public static int assertSameRows(Path expectedStore, Path actualStore, String set, double tolerance) {
        return assertSameRows(expectedStore.toString(), actualStore.toString(), set, tolerance);
    }

    /** {@link #assertSameRows(Path, Path, String, double)} for store roots of any file system (hdfs://…). */
    public static int assertSameRows(String expectedStore, String actualStore, String set, double tolerance) {
        FeatureSetContracts.Contract c = FeatureSetContracts.get(set);
        List<String> key = c.eventTimestamp() == null ? List.of(c.entityKey()) : List.of(c.entityKey(), c.eventTimestamp());
        return assertSameRows(expectedStore, actualStore, set, key, tolerance);
    }

    /** Asserts that the latest versions of {@code set} in both stores agree; returns the number of rows compared. */
    public static int assertSameRows(Path expectedStore, Path actualStore, String set, List<String> key, double tolerance) {
        return assertSameRows(expectedStore.toString(), actualStore.toString(), set, key, tolerance);
    }

    /** {@link #assertSameRows(Path, Path, String, List, double)} for store roots of any file system (hdfs://…). */
    public static int assertSameRows(String expectedStore, String actualStore, String set, List<String> key,
                                     double tolerance) {
        try (FeatureSetReader ra = FeatureStore.open(expectedStore).read(set);
             FeatureSetReader rb = FeatureStore.open(actualStore).read(set)) {
            Table a = ra.readAll(List.of());
            Table b = rb.readAll(List.of());
            assertEquals(a.columnNames(), b.columnNames(), set + " columns");
            assertEquals(a.rows(), b.rows(), set + " rows");
            Map<String, Integer> rowOfB = new HashMap<>();
            for (int r = 0; r < b.rows(); r++) {
                assertEquals(null, rowOfB.put(keyOf(b, key, r), r), set + ": duplicate key " + keyOf(b, key, r));
            }
            for (int r = 0; r < a.rows(); r++) {
                String k = keyOf(a, key, r);
                Integer rb2 = rowOfB.get(k);
                assertNotNull(rb2, set + ": no row " + k + " in " + actualStore);
                for (String column : a.columnNames()) {
                    assertClose(a.value(column, r), b.value(column, rb2), tolerance, set + "." + column + " of " + k);
                }
            }
            return a.rows();
        }
    }

    private static String keyOf(Table t, List<String> key, int row) {
        StringBuilder s = new StringBuilder();
        for (String k : key) {
            s.append(t.value(k, row)).append('|');
        }
        return s.toString();
    }

    private static void assertClose(Object want, Object got, double tolerance, String what) {
        if (want instanceof Float || want instanceof Double) {
            assertNotNull(got, what);
            double w = ((Number) want).doubleValue();
            double g = ((Number) got).doubleValue();
            assertTrue(close(w, g, tolerance), what + ": " + w + " vs " + g);
        } else if (want instanceof float[] w) {
            float[] g = (float[]) got;
            assertEquals(w.length, g.length, what);
            for (int i = 0; i < w.length; i++) {
                assertTrue(close(w[i], g[i], tolerance), what + "[" + i + "]: " + w[i] + " vs " + g[i]);
            }
        } else {
            assertTrue(Objects.equals(want, got), what + ": " + want + " vs " + got);
        }
    }

    /** Equal, both NaN (a missing feature), or within {@code tolerance} (relative above 1). */
    private static boolean close(double want, double got, double tolerance) {
        return want == got || (Double.isNaN(want) && Double.isNaN(got))
                || Math.abs(want - got) <= tolerance * Math.max(1, Math.abs(want));
    }
}
