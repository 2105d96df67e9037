package dev.segue.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Bad input is rejected with a message naming the column and row, and never becomes visible. */
class ValidationTest {
    @TempDir
    Path dir;

    static FeatureSetSchema checked() {
        return FeatureSetSchema.builder("checked").entityKey("id", FeatureType.INT32)
                .column("name", FeatureType.UTF8, "name").notNull("name")
                .column("rating", FeatureType.FLOAT32, "rating").range("rating", 0.0, 5.0)
                .column("plays", FeatureType.INT64, "plays").notNull("plays")
                .embedding("v", 3, "vector").build();
    }

    static Batch good(int n) {
        int[] id = new int[n];
        String[] name = new String[n];
        float[] rating = new float[n];
        long[] plays = new long[n];
        for (int i = 0; i < n; i++) {
            id[i] = i;
            name[i] = "n" + i;
            rating[i] = i % 5;
            plays[i] = i;
        }
        return Batch.builder(n).ints("id", id).strings("name", name).floats("rating", rating).longs("plays", plays)
                .embeddings("v", new float[n * 3]).build();
    }

    private String reject(FeatureSetWriter w, Batch b) {
        return assertThrows(ValidationException.class, () -> w.append(b)).getMessage();
    }

    @Test
    void rejectsBadBatchesNamingColumnAndRowAndKeepsWriterUsable() {
        FeatureStore store = FeatureStore.open(dir);
        try (FeatureSetWriter w = store.writer(checked(), WriteOptions.defaults())) {
            w.append(good(10));
            Batch ok = good(4);
            // wrong type
            assertEquals("feature set 'checked': column 'plays' is declared INT64 but the batch holds INT32",
                    reject(w, Batch.builder(1).ints("id", new int[]{1}).strings("name", new String[]{"a"})
                            .floats("rating", new float[]{1}).ints("plays", new int[]{1}).embeddings("v", new float[3]).build()));
            // missing column
            assertTrue(reject(w, Batch.builder(1).ints("id", new int[]{1}).strings("name", new String[]{"a"})
                    .floats("rating", new float[]{1}).embeddings("v", new float[3]).build())
                    .contains("missing column 'plays' (INT64)"));
            // undeclared column
            assertTrue(reject(w, Batch.builder(4).ints("id", ok.ints("id")).strings("name", ok.strings("name"))
                    .floats("rating", ok.floats("rating")).longs("plays", ok.longs("plays"))
                    .embeddings("v", ok.embeddings("v")).floats("extra", new float[4]).build())
                    .contains("column 'extra' is not declared"));
            // wrong dimension
            assertTrue(reject(w, Batch.builder(2).ints("id", new int[]{1, 2}).strings("name", new String[]{"a", "b"})
                    .floats("rating", new float[2]).longs("plays", new long[2]).embeddings("v", new float[8]).build())
                    .contains("column 'v' is declared with dimension 3 but the batch holds dimension 4"));
            // null where forbidden: global row = 10 already written + 2
            String[] names = ok.strings("name").clone();
            names[2] = null;
            assertEquals("feature set 'checked': column 'name' row 12: null in a non-null column",
                    reject(w, Batch.builder(4).ints("id", ok.ints("id")).strings("name", names).floats("rating", ok.floats("rating"))
                            .longs("plays", ok.longs("plays")).embeddings("v", ok.embeddings("v")).build()));
            assertEquals("feature set 'checked': column 'plays' row 13: null in a non-null column",
                    reject(w, Batch.builder(4).ints("id", ok.ints("id")).strings("name", ok.strings("name"))
                            .floats("rating", ok.floats("rating")).longs("plays", ok.longs("plays"), new boolean[]{true, true, true, false})
                            .embeddings("v", ok.embeddings("v")).build()));
            // out of range, NaN too
            float[] bad = {1, 2, 7.5f, 0};
            assertEquals("feature set 'checked': column 'rating' row 12: value 7.5 is outside the allowed range [0.0, 5.0]",
                    reject(w, Batch.builder(4).ints("id", ok.ints("id")).strings("name", ok.strings("name")).floats("rating", bad)
                            .longs("plays", ok.longs("plays")).embeddings("v", ok.embeddings("v")).build()));
            bad[2] = Float.NaN;
            assertTrue(reject(w, Batch.builder(4).ints("id", ok.ints("id")).strings("name", ok.strings("name")).floats("rating", bad)
                    .longs("plays", ok.longs("plays")).embeddings("v", ok.embeddings("v")).build()).contains("row 12: value NaN"));
            // non-finite embedding
            float[] v = new float[12];
            v[7] = Float.POSITIVE_INFINITY;
            assertEquals("feature set 'checked': column 'v' row 12: non-finite value Infinity at position 1",
                    reject(w, Batch.builder(4).ints("id", ok.ints("id")).strings("name", ok.strings("name"))
                            .floats("rating", ok.floats("rating")).longs("plays", ok.longs("plays")).embeddings("v", v).build()));
            // the writer is still usable and only good rows were written
            w.append(Batch.builder(4).ints("id", new int[]{10, 11, 12, 13}).strings("name", ok.strings("name"))
                    .floats("rating", ok.floats("rating")).longs("plays", ok.longs("plays")).embeddings("v", ok.embeddings("v")).build());
            assertEquals("v000001", w.commit());
        }
        try (FeatureSetReader r = store.read("checked")) {
            assertEquals(14, r.rows());
        }
    }

    @Test
    void duplicateKeysWithoutEventTimeFailTheCommitAndNothingIsVisible() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        FeatureSetWriter w = store.writer(checked(), WriteOptions.defaults().partRows(5));
        w.append(good(10));
        w.append(good(3)); // ids 0..2 again
        ValidationException e = assertThrows(ValidationException.class, w::commit);
        assertTrue(e.getMessage().contains("entity key 'id' value 0 occurs more than once (rows 0 and 10)"), e.getMessage());
        assertTrue(store.list().isEmpty());
        try (Stream<Path> s = Files.list(dir.resolve("checked").resolve(StoreLayout.STAGING))) {
            assertEquals(0, s.count(), "staging removed");
        }
    }

    @Test
    void abandonedWriterLeavesNothing() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        try (FeatureSetWriter w = store.writer(checked(), WriteOptions.defaults().partRows(3))) {
            w.append(good(10));
        }
        assertTrue(store.list().isEmpty());
        try (Stream<Path> s = Files.list(dir.resolve("checked").resolve(StoreLayout.STAGING))) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void schemaDeclarationErrorsAreSpecific() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeatureSetSchema.builder("x")
                .entityKey("id", FeatureType.FLOAT32).build()).getMessage().contains("must be a non-null int32, int64 or utf8"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeatureSetSchema.builder("x")
                .entityKey("id", FeatureType.INT32).column("id", FeatureType.INT32, "").build()).getMessage().contains("duplicate column 'id'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeatureSetSchema.builder("bad name")
                .entityKey("id", FeatureType.INT32).build()).getMessage().contains("feature set name must match"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeatureSetSchema.builder("x")
                .entityKey("id", FeatureType.INT32).embedding("e", 0, "").build()).getMessage().contains("dimension must be positive"));
        assertTrue(assertThrows(ValidationException.class, () -> Batch.builder(3).ints("id", new int[2]))
                .getMessage().contains("column 'id': 2 values for a batch of 3 rows"));
    }
}
