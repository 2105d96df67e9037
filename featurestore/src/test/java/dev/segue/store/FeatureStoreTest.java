package dev.segue.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class FeatureStoreTest {
    @TempDir
    Path dir;

    @Test
    void writesPartsAndReadsEveryTypeBack() {
        FeatureStore store = FeatureStore.open(dir.resolve("store"));
        String v;
        try (FeatureSetWriter w = store.writer(TestData.trackFactors(),
                WriteOptions.producer("test").param("alpha", "40").partRows(700).batchRows(128))) {
            w.append(TestData.trackBatch(0, 1000, 1));
            w.append(TestData.trackBatch(1000, 500, 2));
            v = w.commit();
        }
        assertEquals("v000001", v);
        assertEquals(List.of("track_factors"), store.list());
        try (FeatureSetReader r = store.read("track_factors")) {
            Manifest m = r.manifest();
            assertEquals(1500, m.rowCount());
            assertEquals(3, m.files().size()); // 700 + 700 + 100
            assertEquals("40", m.parameters().get("alpha"));
            assertEquals("track_id", m.entityKey());
            Table t = r.readAll(List.of());
            assertEquals(1500, t.rows());
            int[] ids = t.ints("track_id");
            for (int i = 0; i < t.rows(); i++) {
                int id = ids[i];
                assertEquals(id % 7 == 3 ? null : "spotify:track:" + id, t.strings("track_uri")[i]);
                assertEquals(new String[]{"mobile", "desktop", "tv"}[id % 3], t.strings("device")[i]);
                assertEquals(id * 10L, t.longs("popularity")[i]);
                assertEquals(id * 0.5f, t.floats("score")[i]);
                assertEquals(id % 5 != 0, !t.isNull("weight", i));
                if (id % 5 != 0) assertEquals(id / 4.0, t.doubles("weight")[i]);
                assertEquals(id % 2 == 0, t.bools("explicit")[i]);
                assertEquals(TestData.DIM, t.dim("factors"));
                assertEquals(id + 0.3f, t.embeddings("factors")[i * TestData.DIM + 3]);
                assertEquals(i, r.rowOf(id));
            }
            assertEquals(-1, r.rowOf(5000));
            Optional<Row> row = r.lookup(1234);
            assertTrue(row.isPresent());
            assertEquals(12340L, row.get().getLong("popularity"));
            assertEquals(1234 + 0.7f, row.get().getEmbedding("factors")[7]);
            long scanned = r.stream(List.of("score")).mapToLong(Batch::rows).sum();
            assertEquals(1500, scanned);
        }
    }

    @Test
    void emptyVersionKeepsItsSchema() {
        FeatureStore store = FeatureStore.open(dir);
        String v;
        try (FeatureSetWriter w = store.writer(TestData.trackFactors(), WriteOptions.producer("empty"))) {
            v = w.commit();
        }
        try (FeatureSetReader r = store.read("track_factors", v)) {
            assertEquals(0, r.rows());
            assertEquals(TestData.trackFactors(), r.schema());
            Table t = r.readAll(List.of("factors"));
            assertEquals(0, t.rows());
            assertEquals(TestData.DIM, t.dim("factors"));
            assertTrue(r.lookup(1).isEmpty());
        }
        assertTrue(store.verify("track_factors", v).ok());
    }
}
