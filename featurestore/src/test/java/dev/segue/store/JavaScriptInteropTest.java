package dev.segue.store;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The parts are standard Arrow IPC files: the JavaScript {@code apache-arrow} package (npm) reads a written
 * version, ZSTD-compressed and not, and sees the declared schema and the written values.
 * Runs {@code npm ci} in src/test/js when its node_modules is missing; skipped only when node itself is absent.
 */
class JavaScriptInteropTest {
    static final Path JS = Path.of("src", "test", "js");

    @TempDir
    Path dir;

    static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Installs apache-arrow from the npm registry (install time, pinned by package-lock.json) when missing. */
    static synchronized void installJsDependencies() throws Exception {
        if (Files.isDirectory(JS.resolve("node_modules/apache-arrow"))) {
            return;
        }
        Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefix", JS.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "npm ci timed out");
        assertEquals(0, p.exitValue(), "`npm ci --prefix " + JS + "` failed:\n" + log);
    }

    JsonNode readWithJs(Path versionDir) throws Exception {
        installJsDependencies();
        Process p = new ProcessBuilder("node", JS.resolve("read_version.mjs").toString(), versionDir.toString())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "node failed: " + err);
        return Json.MAPPER.readTree(out);
    }

    @Test
    void javascriptArrowReadsSchemaAndValues() throws Exception {
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed");
        FeatureStore store = FeatureStore.open(dir);
        FeatureSetSchema schema = FeatureSetSchema.builder("interop").entityKey("track_id", FeatureType.INT32)
                .eventTimestamp("ts").column("uri", FeatureType.UTF8, "track URI").categorical("genre", "genre")
                .column("plays", FeatureType.INT64, "plays").column("score", FeatureType.FLOAT64, "score")
                .column("liked", FeatureType.BOOL, "liked").embedding("factors", 3, "ALS factors").build();
        int n = 25;
        int[] id = new int[n];
        long[] ts = new long[n];
        String[] uri = new String[n];
        String[] genre = new String[n];
        long[] plays = new long[n];
        double[] score = new double[n];
        boolean[] scoreValid = new boolean[n];
        boolean[] liked = new boolean[n];
        float[] f = new float[n * 3];
        long t0 = Micros.of(Instant.parse("2024-03-01T10:00:00Z"));
        for (int i = 0; i < n; i++) {
            id[i] = 100 + i;
            ts[i] = t0 + i * 1_000_000L;
            uri[i] = i == 4 ? null : "spotify:track:" + i;
            genre[i] = new String[]{"rock", "jazz", "pop"}[i % 3];
            plays[i] = 5_000_000_000L + i;
            score[i] = i * 0.25;
            scoreValid[i] = i % 6 != 0;
            liked[i] = i % 2 == 1;
            for (int d = 0; d < 3; d++) f[i * 3 + d] = i + d * 0.5f;
        }
        Batch b = Batch.builder(n).ints("track_id", id).timestamps("ts", ts).strings("uri", uri).strings("genre", genre)
                .longs("plays", plays).doubles("score", score, scoreValid).bools("liked", liked).embeddings("factors", f).build();
        for (boolean zstd : new boolean[]{true, false}) {
            String v;
            try (FeatureSetWriter w = store.writer(schema, WriteOptions.producer("interop").compression(zstd).partRows(10).batchRows(4))) {
                w.append(b);
                v = w.commit();
            }
            JsonNode js = readWithJs(dir.resolve("interop/versions").resolve(v));
            assertEquals(3, js.get("parts").size());
            JsonNode p0 = js.get("parts").get(0);
            assertEquals(10, p0.get("rows").asInt());
            assertEquals(3, p0.get("batches").asInt());
            assertEquals("interop", p0.get("metadata").get("segue.feature_set").asText());
            String[][] expected = {
                    {"track_id", "Int32"}, {"ts", "Timestamp<MICROSECOND, UTC>"}, {"uri", "Utf8"},
                    {"genre", "Dictionary<Int32, Utf8>"}, {"plays", "Int64"}, {"score", "Float64"},
                    {"liked", "Bool"}, {"factors", "FixedSizeList[3]<Float32>"}};
            for (int c = 0; c < expected.length; c++) {
                JsonNode field = p0.get("fields").get(c);
                assertEquals(expected[c][0], field.get("name").asText());
                assertEquals(expected[c][1], field.get("type").asText(), expected[c][0]);
            }
            assertTrue(p0.get("fields").get(3).get("dictionary").asBoolean());
            assertFalse(p0.get("fields").get(0).get("nullable").asBoolean());
            assertEquals("ALS factors", p0.get("fields").get(7).get("description").asText());
            JsonNode cols = js.get("columns");
            for (int i = 0; i < n; i++) {
                assertEquals(id[i], cols.get("track_id").get(i).asInt());
                assertEquals(uri[i] == null, cols.get("uri").get(i).isNull());
                if (uri[i] != null) assertEquals(uri[i], cols.get("uri").get(i).asText());
                assertEquals(genre[i], cols.get("genre").get(i).asText());
                assertEquals(Long.toString(plays[i]), cols.get("plays").get(i).asText());
                assertEquals(scoreValid[i] ? score[i] : null, cols.get("score").get(i).isNull() ? null : cols.get("score").get(i).asDouble());
                assertEquals(liked[i], cols.get("liked").get(i).asBoolean());
                // arrow-js renders timestamp[us] as epoch milliseconds
                assertEquals(ts[i] / 1000, cols.get("ts").get(i).asLong());
                JsonNode vec = cols.get("factors").get(i);
                assertEquals(3, vec.size());
                for (int d = 0; d < 3; d++) assertEquals(f[i * 3 + d], (float) vec.get(d).asDouble());
            }
        }
    }
}
