package dev.segue.pipelines.continuation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.pipelines.quality.HoldoutRPrecision;
import dev.segue.pipelines.testing.TinyMpd;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole continuation pipeline on the DirectRunner and on an embedded Flink cluster: identical
 * vocabularies and statistics, equivalent factors, the same held-out quality — which must beat popularity.
 */
class RunnersAgreeTest {
    @TempDir
    Path tmp;

    @Test
    void directAndFlinkAgreeAndBeatPopularity() throws Exception {
        TinyMpd all = new TinyMpd(700, 8, 30, 17);
        TinyMpd train = new TinyMpd(0, 8, 30, 0);
        train.playlists.addAll(all.playlists.subList(0, 600));
        Path mpd = train.write(tmp.resolve("mpd"), 150);
        List<HoldoutRPrecision.Case> cases = new ArrayList<>();
        for (MpdPlaylist p : all.playlists.subList(600, 700)) {
            List<String> uris = p.tracks().stream().map(MpdTrack::trackUri).toList();
            cases.add(new HoldoutRPrecision.Case(p.name(), uris.subList(0, 5), uris.subList(5, uris.size())));
        }

        Path direct = tmp.resolve("direct");
        ContinuationPipeline.run(ContinuationPipelineTest.options(mpd, direct, "--factors=16", "--iterations=6",
                "--factorExchange=BROADCAST"));
        HoldoutRPrecision.Result d = HoldoutRPrecision.fromStore(direct).evaluate(cases);
        assertTrue(d.foldIn() >= 2 * d.popularity(), "fold-in " + d.foldIn() + " vs popularity " + d.popularity());
        assertTrue(d.title() > d.titlePopularity(), "title " + d.title() + " vs popularity " + d.titlePopularity());
        assertTrue(d.titleCases() > 50, "titled cases: " + d.titleCases());

        Path flink = tmp.resolve("flink");
        String[] args = {"--mpd=" + mpd, "--store=" + flink, "--factors=16", "--iterations=6", "--blockRows=100",
            "--runner=FlinkRunner", "--parallelism=2", "--factorExchange=FILES", "--tempLocation=" + tmp.resolve("flink-temp"),
            // Flink's batch (DataSet) optimizer walks every path of the plan: exponential in unrolled iterations.
            "--streaming=true"};
        ContinuationPipeline.run(org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs(args).withValidation()
                .as(ContinuationOptions.class));
        HoldoutRPrecision.Result f = HoldoutRPrecision.fromStore(flink).evaluate(cases);
        assertEquals(d.foldIn(), f.foldIn(), 0.01);
        // The run's factor files went away with it.
        java.nio.file.Files.createDirectories(tmp.resolve("flink-temp"));
        try (var left = java.nio.file.Files.list(tmp.resolve("flink-temp"))) {
            assertEquals(List.of(), left.toList());
        }
        assertEquals(d.title(), f.title(), 0.01);

        FeatureStore a = FeatureStore.open(direct);
        FeatureStore b = FeatureStore.open(flink);
        for (String set : List.of(FeatureSets.TRACKS, FeatureSets.TRACK_STATS)) {
            try (FeatureSetReader ra = a.read(set); FeatureSetReader rb = b.read(set)) {
                Table ta = ra.readAll(List.of());
                Table tb = rb.readAll(List.of());
                assertEquals(ta.rows(), tb.rows(), set);
                int[] rowA = rowsById(ta.ints("track_id"));
                int[] rowB = rowsById(tb.ints("track_id"));
                for (String column : ta.columnNames()) {
                    for (int id = 0; id < rowA.length; id++) {
                        assertEquals(ta.value(column, rowA[id]), tb.value(column, rowB[id]), set + "." + column + " of " + id);
                    }
                }
            }
        }
        // the same neighbour rows (exact: counts are sums, whichever runner groups them)
        try (FeatureSetReader ra = a.read(FeatureSets.TRACK_NEIGHBOURS);
             FeatureSetReader rb = b.read(FeatureSets.TRACK_NEIGHBOURS)) {
            assertEquals(neighbourRows(ra.readAll(List.of())), neighbourRows(rb.readAll(List.of())));
        }
        assertArrayEquals(embeddingsById(a, FeatureSets.TRACK_FACTORS, "track_id", "factors"),
                embeddingsById(b, FeatureSets.TRACK_FACTORS, "track_id", "factors"), 1e-5f);
        try (FeatureSetReader ra = a.read(FeatureSets.TRACK_FACTORS); FeatureSetReader rb = b.read(FeatureSets.TRACK_FACTORS)) {
            assertEquals(ra.manifest().parameters().get("loss_history"), rb.manifest().parameters().get("loss_history"));
        }
    }

    /** Every row of track_neighbours as text, by key. */
    private static java.util.TreeMap<Long, String> neighbourRows(Table t) {
        java.util.TreeMap<Long, String> rows = new java.util.TreeMap<>();
        for (int i = 0; i < t.rows(); i++) {
            rows.put(t.longs("id")[i], t.ints("rank")[i] + " " + t.longs("count")[i] + " " + t.floats("score")[i]);
        }
        assertTrue(!rows.isEmpty());
        return rows;
    }

    /** Row of each dense id (and a check that the ids are exactly 0..n-1). */
    private static int[] rowsById(int[] ids) {
        int[] row = new int[ids.length];
        java.util.Arrays.fill(row, -1);
        for (int r = 0; r < ids.length; r++) {
            assertEquals(-1, row[ids[r]], "duplicate id " + ids[r]);
            row[ids[r]] = r;
        }
        return row;
    }

    private static float[] embeddingsById(FeatureStore store, String set, String key, String column) {
        try (FeatureSetReader r = store.read(set)) {
            Table t = r.readAll(List.of(key, column));
            int[] ids = t.ints(key);
            int dim = t.dim(column);
            float[] rows = t.embeddings(column);
            float[] out = new float[ids.length * dim];
            for (int i = 0; i < ids.length; i++) {
                System.arraycopy(rows, i * dim, out, ids[i] * dim, dim);
            }
            return out;
        }
    }
}
