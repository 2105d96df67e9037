package dev.segue.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segue.cli.CliConvention;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.Json;
import dev.segue.store.WriteOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

class StoreCommandTest {
    @TempDir
    Path dir;
    String out;
    String err;
    Instant afterFirst;

    @BeforeEach
    void store() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        FeatureSetSchema s = FeatureSetSchema.builder("tracks").entityKey("id", FeatureType.INT32)
                .eventTimestamp("ts").categorical("genre", "genre").column("plays", FeatureType.INT64, "plays")
                .embedding("v", 4, "vector").build();
        for (int version = 1; version <= 2; version++) {
            int n = 5 * version;
            int[] id = new int[n];
            long[] ts = new long[n];
            String[] g = new String[n];
            long[] plays = new long[n];
            float[] v = new float[n * 4];
            for (int i = 0; i < n; i++) {
                id[i] = i;
                ts[i] = 1_700_000_000_000_000L + i;
                g[i] = i % 2 == 0 ? "rock" : "jazz";
                plays[i] = i * 100L;
                v[i * 4] = i;
            }
            try (FeatureSetWriter w = store.writer(s, WriteOptions.producer("cli-test").param("round", "" + version))) {
                w.append(Batch.builder(n).ints("id", id).timestamps("ts", ts).strings("genre", g).longs("plays", plays)
                        .embeddings("v", v).build());
                w.commit();
            }
            if (version == 1) {
                Thread.sleep(5);
                afterFirst = Instant.now();
                Thread.sleep(5);
            }
        }
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = CliConvention.install(new CommandLine(new StoreCommand()));
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void listAndHistory() throws Exception {
        assertEquals(0, run("list", "--store", dir.toString()));
        assertTrue(out.lines().anyMatch(l -> l.startsWith("tracks") && l.contains("v000002") && l.contains("cli-test")), out);
        assertEquals(0, run("list", "--store", dir.toString(), "--json"));
        JsonNode j = Json.MAPPER.readTree(out);
        assertEquals("tracks", j.get(0).get("name").asText());
        assertEquals(2, j.get(0).get("versions").asInt());
        assertEquals(10, j.get(0).get("rows").asInt());
        assertEquals(0, run("history", "tracks", "--store", dir.toString()));
        assertTrue(out.contains("v000001") && out.contains("v000002") && out.contains("{round=2}"), out);
        assertEquals(0, run("history", "tracks", "--store", dir.toString(), "--json"));
        assertEquals("v000001", Json.MAPPER.readTree(out).get(1).get("parent").asText());
    }

    @Test
    void describeHeadStatsWithVersionAndAsOf() throws Exception {
        assertEquals(0, run("describe", "tracks", "--store", dir.toString(), "--data-version", "v000001"));
        assertTrue(out.contains("version      v000001 (parent none)"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("v ") && l.contains("embedding[4]")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("genre") && l.contains("utf8 (categorical)")), out);
        assertEquals(0, run("describe", "tracks", "--store", dir.toString(), "--as-of", afterFirst.toString(), "--json"));
        assertEquals(5, Json.MAPPER.readTree(out).get("rowCount").asInt());
        assertEquals(0, run("head", "tracks", "--store", dir.toString(), "-n", "3"));
        assertEquals(5, out.lines().count(), out); // header, rule, 3 rows
        assertTrue(out.contains("[2.000, 0.000, 0.000, … (4)]"), out);
        assertEquals(0, run("head", "tracks", "--store", dir.toString(), "-n", "2", "--json"));
        JsonNode rows = Json.MAPPER.readTree(out);
        assertEquals(2, rows.size());
        assertEquals("2023-11-14T22:13:20Z", rows.get(0).get("ts").asText());
        assertEquals(0, run("stats", "tracks", "--store", dir.toString()));
        assertTrue(out.lines().anyMatch(l -> l.startsWith("plays") && l.contains("900")), out);
        assertTrue(out.contains("2 distinct; top jazz=5 rock=5"), out);
        assertEquals(0, run("stats", "tracks", "--store", dir.toString(), "--json"));
        assertEquals(450.0, Json.MAPPER.readTree(out).get("plays").get("mean").asDouble());
    }

    @Test
    void verifyAndGc() throws Exception {
        assertEquals(0, run("verify", "tracks", "--store", dir.toString()));
        assertTrue(out.startsWith("OK tracks v000002"), out);
        Path part = dir.resolve("tracks/versions/v000001/part-00000.arrow");
        try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
            f.seek(100);
            f.write(f.read() ^ 1);
        }
        assertEquals(1, run("verify", "tracks", "--store", dir.toString(), "--data-version", "1"));
        assertTrue(out.contains("FAILED tracks v000001") && out.contains(part + ": checksum mismatch"), out);
        assertEquals(1, run("verify", "tracks", "--store", dir.toString(), "--data-version", "1", "--json"));
        assertFalse(Json.MAPPER.readTree(out).get("ok").asBoolean());
        assertEquals(0, run("gc", "tracks", "--store", dir.toString(), "--keep", "1"));
        assertTrue(out.startsWith("tracks: removed v000001, kept v000002"), out);
        assertEquals(1, FeatureStore.open(dir).versions("tracks").size());
    }

    @Test
    void headRefusesACorruptPartInOneLineAndSnapshotsAreListed() throws Exception {
        Path part = dir.resolve("tracks/versions/v000002/part-00000.arrow");
        try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
            for (int i = 0; i < 16; i++) {
                f.seek(200 + i);
                int b = f.read();
                f.seek(200 + i);
                f.write(b ^ 0xff);
            }
        }
        assertEquals(1, run("head", "tracks", "--store", dir.toString()));
        assertTrue(err.startsWith("store head: " + part + ": checksum mismatch: expected CRC32C "), err);
        assertTrue(err.contains("(manifest), actual "), err);
        assertEquals(1, err.lines().count(), err);
        assertEquals("", out);

        assertEquals(0, run("snapshots", "--store", dir.toString()));
        assertTrue(out.startsWith("no snapshots in "), out);
        FeatureStore store = FeatureStore.open(dir);
        String run = FeatureStore.newRun();
        FeatureSetSchema s = FeatureSetSchema.builder("labels").entityKey("id", FeatureType.INT32)
                .column("y", FeatureType.BOOL, "label").build();
        try (FeatureSetWriter w = store.writer(s, WriteOptions.producer("cli-test").run(run))) {
            w.append(Batch.builder(1).ints("id", new int[] {1}).bools("y", new boolean[] {true}).build());
            w.commit();
        }
        assertEquals(1, run("describe", "labels", "--store", dir.toString()));
        assertTrue(err.contains("has no complete version"), err);
        assertEquals(0, run("list", "--store", dir.toString()));
        assertTrue(out.lines().anyMatch(l -> l.startsWith("labels") && l.contains("none complete")), out);
        store.commitRun(run, "cli-test", java.util.List.of("labels"));
        assertEquals(0, run("snapshots", "--store", dir.toString()));
        assertTrue(out.contains("s000001") && out.contains("labels=v000001") && out.contains(run), out);
        assertEquals(0, run("list", "--store", dir.toString(), "--json"));
        assertTrue(out.contains("\"latest\" : \"v000001\"") || out.contains("\"latest\":\"v000001\""), out);
        assertEquals(0, run("snapshots", "--store", dir.toString(), "--json"));
        assertEquals("v000001", Json.MAPPER.readTree(out).get(0).get("featureSets").get("labels").asText());
    }

    @Test
    void errorsAreOneLineWithExitCodes() {
        assertEquals(1, run("describe", "nope", "--store", dir.toString()));
        assertTrue(err.startsWith("store describe: feature set 'nope' does not exist"), err);
        assertEquals(1, err.lines().count());
        assertEquals(1, run("head", "tracks", "--store", dir.toString(), "--data-version", "v000007"));
        assertTrue(err.contains("has no version v000007"), err);
        assertEquals(2, run("stats", "tracks", "--store", dir.toString(), "--as-of", "yesterday"));
        assertTrue(err.contains("not an ISO-8601 instant"), err);
        assertEquals(2, run("gc", "tracks", "--store", dir.toString(), "--keep", "0"));
        assertEquals(2, run("gc", "tracks", "--store", dir.toString())); // --keep missing: picocli usage error
        assertEquals(2, run("list", "--store", dir.resolve("missing").toString())); // bad input, not a failure
        assertTrue(err.startsWith("store list: --store " + dir.resolve("missing") + " is not a folder"), err);
        assertEquals(1, err.lines().count(), err);
        assertEquals(2, run());
    }
}
