package dev.segue.store.cli;

import dev.segue.store.Batch;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.PointInTimeJoin;
import dev.segue.store.WriteOptions;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class StoreJoinTest {
    static final long T0 = 1_700_000_000_000_000L;
    static final long HOUR = 3_600_000_000L;

    @TempDir
    Path dir;
    Path store;
    String out;
    String err;

    @BeforeEach
    void write() {
        store = dir.resolve("store");
        FeatureStore fs = FeatureStore.open(store);
        SplittableRandom r = new SplittableRandom(3);
        int n = 300;
        long[] user = new long[n], ts = new long[n];
        double[] plays = new double[n];
        String[] uri = new String[n];
        boolean[] valid = new boolean[n];
        for (int i = 0; i < n; i++) {
            user[i] = r.nextInt(20);
            ts[i] = T0 + r.nextInt(100) * HOUR;
            plays[i] = i;
            valid[i] = i % 11 != 0;
            uri[i] = "spotify:track:" + r.nextInt(15);
        }
        FeatureSetSchema users = FeatureSetSchema.builder("users").entityKey("user", FeatureType.INT64).eventTimestamp("ts")
                .column("plays", FeatureType.FLOAT64, "plays").embedding("v", 2, "vector").build();
        float[] v = new float[n * 2];
        for (int i = 0; i < v.length; i++) v[i] = i / 2f;
        try (FeatureSetWriter w = fs.writer(users, WriteOptions.producer("test"))) {
            w.append(Batch.builder(n).longs("user", user).timestamps("ts", ts).doubles("plays", plays, valid)
                    .embeddings("v", v).build());
            w.commit();
        }
        FeatureSetSchema tracks = FeatureSetSchema.builder("tracks").entityKey("track_uri", FeatureType.UTF8)
                .eventTimestamp("ts").categorical("genre", "genre").build();
        String[] genre = new String[n];
        for (int i = 0; i < n; i++) genre[i] = "g" + i;
        try (FeatureSetWriter w = fs.writer(tracks, WriteOptions.producer("test"))) {
            w.append(Batch.builder(n).strings("track_uri", uri).timestamps("ts", ts).strings("genre", genre).build());
            w.commit();
        }
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = dev.segue.cli.CliConvention.install(new CommandLine(new StoreCommand()));
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void integerKeysFromCsvMatchTheJavaJoinInInputOrder() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        int n = 200;
        long[] keys = new long[n], ts = new long[n];
        StringBuilder csv = new StringBuilder("user,event_timestamp,label\n");
        for (int i = 0; i < n; i++) {
            keys[i] = r.nextInt(25);
            ts[i] = T0 + r.nextInt(120) * HOUR + 1;
            String t = i % 2 == 0 ? dev.segue.store.Micros.toInstant(ts[i]).toString() : Long.toString(ts[i]);
            csv.append(keys[i]).append(',').append(t).append(",x\n");
        }
        Path entities = Files.writeString(dir.resolve("entities.csv"), csv);
        Path outFile = dir.resolve("train.arrow");
        assertEquals(0, run("join", "--store", store.toString(), "--entities", entities.toString(),
                "--features", "users:plays,users:v", "--ttl", "24h", "--out", outFile.toString()), err);
        assertTrue(out.contains("200 rows"), out);

        FeatureStore fs = FeatureStore.open(store);
        int[] rows = PointInTimeJoin.builder().feature(fs, "users", "latest", Duration.ofHours(24)).build()
                .join(keys, ts).rows(0);
        double[] plays;
        boolean[] playsValid;
        try (FeatureSetReader reader = fs.read("users")) {
            plays = reader.readAll("plays").doubles("plays");
            playsValid = reader.readAll("plays").validity("plays");
        }
        int matched = 0;
        try (RootAllocator a = new RootAllocator();
             FileChannel ch = FileChannel.open(outFile, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(ch, a)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals(List.of("user", "event_timestamp", "users__plays", "users__v"),
                    root.getSchema().getFields().stream().map(f -> f.getName()).toList());
            int at = 0;
            while (reader.loadNextBatch()) {
                BigIntVector k = (BigIntVector) root.getVector("user");
                TimeStampVector t = (TimeStampVector) root.getVector("event_timestamp");
                Float8Vector p = (Float8Vector) root.getVector("users__plays");
                for (int i = 0; i < root.getRowCount(); i++, at++) {
                    assertEquals(keys[at], k.get(i));
                    assertEquals(ts[at], t.get(i));
                    int fr = rows[at];
                    boolean expectNull = fr < 0 || (playsValid != null && !playsValid[fr]);
                    assertEquals(expectNull, p.isNull(i), "row " + at);
                    if (!expectNull) {
                        assertEquals(plays[fr], p.get(i), "row " + at);
                        matched++;
                    }
                    assertEquals(fr < 0, root.getVector("users__v").isNull(i), "row " + at);
                }
            }
            assertEquals(n, at);
        }
        assertTrue(matched > 20 && matched < n, "the ttl admits some rows and excludes others: " + matched);
    }

    @Test
    void stringKeysAndCsvOutput() throws Exception {
        Path entities = Files.writeString(dir.resolve("e.csv"), "track_uri,event_timestamp\n"
                + "spotify:track:3," + (T0 + 200 * HOUR) + "\n"
                + "\"spotify:track:nope\"," + (T0 + 200 * HOUR) + "\n"
                + "spotify:track:3," + (T0 - 1) + "\n");
        Path outFile = dir.resolve("t.csv");
        assertEquals(0, run("join", "--store", store.toString(), "--entities", entities.toString(),
                "--features", "tracks:genre", "--out", outFile.toString(), "--format", "csv"), err);
        List<String> lines = Files.readAllLines(outFile, StandardCharsets.UTF_8);
        assertEquals(0, run("join", "--store", store.toString(), "--entities", entities.toString(), "--json",
                "--features", "tracks:genre", "--out", dir.resolve("t2.arrow").toString()), err);
        com.fasterxml.jackson.databind.JsonNode summary = dev.segue.store.Json.MAPPER.readTree(out);
        assertEquals(3, summary.get("rows").asInt());
        assertEquals("[\"track_uri\",\"event_timestamp\",\"tracks__genre\"]", summary.get("columns").toString());
        assertEquals(1, summary.get("matched").get("tracks v000001").asInt());
        assertEquals("track_uri,event_timestamp,tracks__genre", lines.get(0));
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(1).matches("spotify:track:3,[0-9T:.Z-]+,g\\d+"), lines.get(1));
        assertTrue(lines.get(2).endsWith(","), "absent key -> null: " + lines.get(2));
        assertTrue(lines.get(3).endsWith(","), "before any feature row -> null: " + lines.get(3));
        FeatureStore fs = FeatureStore.open(store);
        int[] rows = PointInTimeJoin.builder().feature(fs, "tracks", "latest", null).build()
                .join(new String[]{"spotify:track:3"}, new long[]{T0 + 200 * HOUR}).rows(0);
        try (FeatureSetReader reader = fs.read("tracks")) {
            assertEquals("g" + rows[0], reader.readAll("genre").strings("genre")[rows[0]]);
            assertTrue(lines.get(1).endsWith("," + reader.readAll("genre").strings("genre")[rows[0]]));
        }
    }

    @Test
    void entitiesFromAnArrowFileWithUtf8Keys() throws Exception {
        Path entities = dir.resolve("e.arrow");
        // the join's own Arrow output is a valid entity file: reuse it, with its track_uri and event_timestamp
        Files.writeString(dir.resolve("e.csv"), "track_uri,event_timestamp\nspotify:track:1," + (T0 + 500 * HOUR) + "\n");
        assertEquals(0, run("join", "--store", store.toString(), "--entities", dir.resolve("e.csv").toString(),
                "--features", "tracks:genre", "--out", entities.toString()), err);
        Path outFile = dir.resolve("o.arrow");
        assertEquals(0, run("join", "--store", store.toString(), "--entities", entities.toString(),
                "--features", "tracks:genre", "--out", outFile.toString()), err);
        try (RootAllocator a = new RootAllocator();
             FileChannel ch = FileChannel.open(outFile, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(ch, a)) {
            assertTrue(reader.loadNextBatch());
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals("spotify:track:1", new String(((VarCharVector) root.getVector("track_uri")).get(0), StandardCharsets.UTF_8));
            assertFalse(root.getVector("tracks__genre").isNull(0));
        }
    }

    @Test
    void badInputIsOneLineWithTheRightExitCodeAndNoOutput() throws Exception {
        Path e = Files.writeString(dir.resolve("e.csv"), "user,event_timestamp\n1,2024-01-01T00:00:00Z\n");
        Path o = dir.resolve("o.arrow");
        String s = store.toString();
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[]{2, "is not a folder (no store there)", new String[]{"--store", dir.resolve("none").toString(), "--entities", e.toString(), "--features", "users:plays"}});
        cases.add(new Object[]{1, "feature set 'nope' does not exist", new String[]{"--store", s, "--entities", e.toString(), "--features", "nope:plays"}});
        cases.add(new Object[]{1, "'users' has no column 'nope'", new String[]{"--store", s, "--entities", e.toString(), "--features", "users:nope"}});
        cases.add(new Object[]{2, "'users' is not SET:COLUMN", new String[]{"--store", s, "--entities", e.toString(), "--features", "users"}});
        cases.add(new Object[]{2, "--ttl: 'soon'", new String[]{"--store", s, "--entities", e.toString(), "--features", "users:plays", "--ttl", "soon"}});
        cases.add(new Object[]{2, "--entities: no such file", new String[]{"--store", s, "--entities", dir.resolve("x.csv").toString(), "--features", "users:plays"}});
        cases.add(new Object[]{2, "different key types", new String[]{"--store", s, "--entities", e.toString(), "--features", "users:plays,tracks:genre"}});
        cases.add(new Object[]{2, "no event-time column 'when'", new String[]{"--store", s, "--entities", e.toString(), "--features", "users:plays", "--event-time", "when"}});
        cases.add(new Object[]{2, "--format must be arrow or csv", new String[]{"--store", s, "--entities", e.toString(), "--features", "users:plays", "--format", "xml"}});
        Path badTime = Files.writeString(dir.resolve("bt.csv"), "user,event_timestamp\n1,yesterday\n");
        cases.add(new Object[]{2, "bt.csv:2: event time 'yesterday'", new String[]{"--store", s, "--entities", badTime.toString(), "--features", "users:plays"}});
        Path badKey = Files.writeString(dir.resolve("bk.csv"), "user,event_timestamp\nabc,1\n");
        cases.add(new Object[]{2, "bk.csv:2: key 'abc' is not an integer", new String[]{"--store", s, "--entities", badKey.toString(), "--features", "users:plays"}});
        for (Object[] c : cases) {
            List<String> args = new ArrayList<>(List.of("join", "--out", o.toString()));
            args.addAll(List.of((String[]) c[2]));
            int code = run(args.toArray(String[]::new));
            assertEquals(c[0], code, String.join(" ", args) + " -> " + err);
            assertTrue(err.startsWith("store join: ") && err.contains((String) c[1]), err);
            assertEquals(1, err.strip().lines().count(), err);
            assertFalse(Files.exists(o), "no output on error");
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temp files left");
        }
    }
}
