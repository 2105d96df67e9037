package dev.segue.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.store.FeatureType;
import dev.segue.store.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The churn pipeline on the DirectRunner and on an embedded Flink cluster (parallelism 2) over the same dirty
 * logs: the same rows in user_churn_features, user_churn_labels and user_song_ratings (every non-floating
 * column, the row key, equal), floating values within {@value #TOLERANCE} relative (sums may be added in
 * another order), the same dead letters by reason.
 */
class ChurnRunnersAgreeTest {
    static final double TOLERANCE = 1e-9;

    @TempDir
    Path dir;

    @Test
    void directAndFlinkWriteTheSameSets() throws Exception {
        Path logs = dir.resolve("logs");
        TinyLogs.write(logs, 300, 23);
        ChurnRunReport direct = ChurnPipeline.run(options(logs, "direct", "--runner=DirectRunner",
                "--targetParallelism=2", "--enforceImmutability=false", "--enforceEncodability=false"));
        ChurnRunReport flink = ChurnPipeline.run(options(logs, "flink", "--runner=FlinkRunner", "--parallelism=2"));
        assertEquals(deadLetters(direct.counters()), deadLetters(flink.counters()));
        int compared = 0;
        for (String set : ChurnPipeline.SETS) {
            compared += assertSameRows(set, ChurnPipelineTest.readAll(dir.resolve("direct-store"), set),
                    ChurnPipelineTest.readAll(dir.resolve("flink-store"), set));
        }
        assertTrue(compared > 5_000, "values compared: " + compared);
    }

    private ChurnOptions options(Path logs, String name, String... runner) {
        List<String> args = new ArrayList<>(List.of("--logs=" + logs, "--store=" + dir.resolve(name + "-store"),
                "--snapshots=2017-04-21,2017-04-28", "--userShards=3", "--splitBytes=32768",
                "--reportDir=" + dir.resolve(name + "-report")));
        args.addAll(List.of(runner));
        return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(ChurnOptions.class);
    }

    private static Map<String, Long> deadLetters(Map<String, Long> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> {
            if (k.startsWith("deadletter.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Rows keyed by their non-floating columns; returns the number of floating values compared. */
    static int assertSameRows(String set, Table a, Table b) {
        assertEquals(a.columnNames(), b.columnNames(), set);
        assertEquals(a.rows(), b.rows(), set + " rows");
        Map<String, Integer> rowsB = new TreeMap<>();
        for (int r = 0; r < b.rows(); r++) {
            assertEquals(null, rowsB.put(key(b, r), r), set + ": duplicate key " + key(b, r));
        }
        int compared = 0;
        for (int r = 0; r < a.rows(); r++) {
            String key = key(a, r);
            Integer rb = rowsB.get(key);
            assertNotNull(rb, set + ": the DirectRunner's row " + key + " is missing on Flink");
            for (String c : a.columnNames()) {
                if (floating(a, c)) {
                    double x = ((Number) a.value(c, r)).doubleValue();
                    double y = ((Number) b.value(c, rb)).doubleValue();
                    assertTrue(Math.abs(x - y) <= TOLERANCE * Math.max(1, Math.abs(x)),
                            set + " " + key + " " + c + ": direct " + x + ", flink " + y);
                    compared++;
                }
            }
        }
        return compared;
    }

    private static boolean floating(Table t, String column) {
        return t.type(column) == FeatureType.FLOAT32 || t.type(column) == FeatureType.FLOAT64;
    }

    private static String key(Table t, int row) {
        StringBuilder b = new StringBuilder();
        for (String c : t.columnNames()) {
            if (!floating(t, c)) {
                b.append(c).append('=').append(t.value(c, row)).append(';');
            }
        }
        return b.toString();
    }
}
