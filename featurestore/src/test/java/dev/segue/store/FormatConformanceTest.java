package dev.segue.store;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Checks the writer's output against featurestore/FORMAT.md: the manifest, file-entry and schema-column field
 * tables are parsed from the document and compared with written manifests, and the layout, naming, checksum,
 * key-index and Arrow metadata rules are checked on written versions.
 */
class FormatConformanceTest {
    static final Path DOC = Path.of("FORMAT.md");
    static String doc;

    @TempDir
    Path root;

    /** One row of a field table: JSON type and whether the field is always present. */
    record FieldRule(String jsonType, boolean always) {
    }

    @BeforeAll
    static void readDoc() throws IOException {
        assertTrue(Files.exists(DOC), "run from the featurestore module: " + DOC.toAbsolutePath());
        doc = Files.readString(DOC);
    }

    static Map<String, FieldRule> table(String heading) {
        int at = doc.indexOf("\n### " + heading + "\n");
        assertTrue(at >= 0, "FORMAT.md has no '### " + heading + "' section");
        int end = doc.indexOf("\n#", at + 5);
        Map<String, FieldRule> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `([A-Za-z0-9_]+)` \\| ([a-z]+) \\| (yes|no) \\|").matcher(doc.substring(at, end < 0 ? doc.length() : end));
        while (m.find()) {
            out.put(m.group(1), new FieldRule(m.group(2), m.group(3).equals("yes")));
        }
        assertFalse(out.isEmpty(), "no field rows under '" + heading + "'");
        return out;
    }

    FeatureStore writeStore() {
        FeatureStore store = FeatureStore.open(root);
        try (FeatureSetWriter w = store.writer(TestData.trackFactors(), WriteOptions.producer("conformance").partRows(300).batchRows(64))) {
            w.append(TestData.trackBatch(0, 1_000, 1));
            w.commit();
        }
        FeatureSetSchema events = FeatureSetSchema.builder("user_events").entityKey("uri", FeatureType.UTF8)
                .eventTimestamp("ts").createdTimestamp("created", "ingested").column("x", FeatureType.FLOAT64, "x")
                .range("x", 0.0, 1e9).build();
        String run = FeatureStore.newRun();
        for (int v = 0; v < 2; v++) {
            int n = 50;
            String[] k = new String[n];
            long[] ts = new long[n];
            long[] c = new long[n];
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                k[i] = "user:" + (i % 7);
                ts[i] = 1_000L * (i % 5);
                c[i] = i;
                x[i] = i;
            }
            // the second version as a pipeline run writes it: tagged with its run, with its lineage
            WriteOptions options = v == 0 ? WriteOptions.producer("conformance").compression(true)
                    : WriteOptions.producer("conformance").compression(false).run(run).input("track_factors", "v000001");
            try (FeatureSetWriter w = store.writer(events, options)) {
                w.append(Batch.builder(n).strings("uri", k).timestamps("ts", ts).timestamps("created", c).doubles("x", x).build());
                w.commit();
            }
        }
        store.commitRun(run, "conformance", List.of("user_events"));
        return store;
    }

    @Test
    void snapshotRecordsHaveExactlyTheDocumentedFieldsAndName() throws Exception {
        writeStore();
        Map<String, FieldRule> rules = table("Snapshot record fields");
        Path dir = root.resolve("_snapshots");
        List<Path> files;
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            files = s.toList();
        }
        assertEquals(1, files.size(), "one record and no temporary file: " + files);
        JsonNode record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(files.get(0).toFile());
        checkObject(record, rules, "snapshot record");
        Set<String> seen = new HashSet<>();
        record.fieldNames().forEachRemaining(seen::add);
        assertEquals(rules.keySet(), seen, "snapshot record fields written vs documented");
        assertEquals("s000001.json", files.get(0).getFileName().toString());
        assertEquals(record.get("id").asText() + ".json", files.get(0).getFileName().toString());
        assertEquals("v000002", record.get("featureSets").get("user_events").asText());
        FeatureStore store = FeatureStore.open(root);
        assertEquals("v000002", store.latest("user_events").version(), "the snapshot's version is latest");
        assertEquals(record.get("run").asText(), store.latest("user_events").parameters().get("segue.run"));
    }

    @Test
    void artifactManifestsHaveExactlyTheDocumentedFieldsAndLayout() throws Exception {
        FeatureStore store = writeStore();
        Manifest v = store.latest("user_events");
        StoreArtifacts.Artifact a = StoreArtifacts.of(store).write("user_events", v.version(), v.rowCount(), 0,
                "demo-a1", "data.bin", Map.of("k", "1"), "conformance", f -> Files.writeString(f, "payload"));
        Path folder = root.resolve("_artifacts/user_events/" + v.version() + "/demo-a1");
        assertEquals(folder, a.folder());
        try (Stream<Path> s = Files.list(folder)) {
            assertEquals(Set.of("artifact.json", "data.bin"), s.map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toSet()), "exactly the manifest and its file");
        }
        try (Stream<Path> s = Files.list(root.resolve("_artifacts/_staging"))) {
            assertEquals(0, s.count(), "no staging folder left");
        }
        JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(folder.resolve("artifact.json").toFile());
        Map<String, FieldRule> rules = table("Artifact manifest fields");
        checkObject(m, rules, "artifact manifest");
        Set<String> seen = new HashSet<>();
        m.fieldNames().forEachRemaining(seen::add);
        assertEquals(rules.keySet(), seen, "artifact manifest fields written vs documented");
        checkObject(m.get("file"), table("File entry fields"), "artifact file entry");
        checkFile(folder, a.manifest().file());
        assertFalse(store.list().contains("_artifacts"), "the artifacts folder is not a feature set");
    }

    @Test
    void formatVersionInTheDocumentIsTheWritersAndEveryManifestRecordsIt() throws Exception {
        Matcher m = Pattern.compile("\\*\\*formatVersion (\\d+)\\.\\*\\*").matcher(doc);
        assertTrue(m.find(), "FORMAT.md must state its formatVersion");
        assertEquals(Manifest.FORMAT_VERSION, Integer.parseInt(m.group(1)));
        writeStore();
        for (JsonNode manifest : manifests()) {
            assertEquals(Manifest.FORMAT_VERSION, manifest.get("formatVersion").asInt());
        }
    }

    @Test
    void manifestsHaveExactlyTheDocumentedFields() throws Exception {
        writeStore();
        Map<String, FieldRule> top = table("Manifest fields");
        Map<String, FieldRule> file = table("File entry fields");
        Map<String, FieldRule> column = table("Schema column fields");
        Set<String> seenTop = new HashSet<>();
        Set<String> seenColumn = new HashSet<>();
        for (JsonNode m : manifests()) {
            checkObject(m, top, "manifest of " + m.get("featureSet") + " " + m.get("version"));
            m.fieldNames().forEachRemaining(seenTop::add);
            List<JsonNode> entries = new ArrayList<>();
            m.get("files").forEach(entries::add);
            entries.add(m.get("keyIndex"));
            for (JsonNode e : entries) {
                checkObject(e, file, "file entry " + e);
            }
            for (JsonNode c : m.get("schema").get("columns")) {
                checkObject(c, column, "schema column " + c);
                c.fieldNames().forEachRemaining(seenColumn::add);
            }
        }
        // every documented field does occur (the optional ones in some manifest written here)
        assertEquals(top.keySet(), seenTop, "manifest fields written vs documented");
        assertEquals(column.keySet(), seenColumn, "schema column fields written vs documented");
    }

    private static void checkObject(JsonNode node, Map<String, FieldRule> rules, String what) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            FieldRule r = rules.get(f);
            assertNotNull(r, what + ": field '" + f + "' is not documented in FORMAT.md");
            JsonNode v = node.get(f);
            boolean typeOk = switch (r.jsonType()) {
                case "string" -> v.isTextual();
                case "number" -> v.isNumber();
                case "boolean" -> v.isBoolean();
                case "object" -> v.isObject();
                case "array" -> v.isArray();
                default -> fail("unknown JSON type '" + r.jsonType() + "' in FORMAT.md");
            };
            assertTrue(typeOk, what + ": field '" + f + "' should be a " + r.jsonType() + ", is " + v);
        }
        rules.forEach((f, r) -> {
            if (r.always()) {
                assertTrue(node.has(f), what + ": documented as always present but missing: " + f);
            }
        });
    }

    @Test
    void layoutNamingChecksumsAndVisibility() throws Exception {
        FeatureStore store = writeStore();
        Pattern name = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
        Pattern version = Pattern.compile("v(\\d{6,})");
        Pattern part = Pattern.compile("part-(\\d{5})\\.arrow");
        for (String set : store.list()) {
            assertTrue(name.matcher(set).matches(), set);
            try (Stream<Path> s = Files.list(root.resolve(set))) {
                Set<String> entries = new HashSet<>(s.map(p -> p.getFileName().toString()).toList());
                entries.removeAll(Set.of("versions", "_staging", "_leases"));
                assertEquals(Set.of(), entries, "only versions/, _staging/ and _leases/ in a feature-set folder");
            }
            long expectedSeq = 1;
            for (Manifest m : store.versions(set)) {
                Matcher vm = version.matcher(m.version());
                assertTrue(vm.matches(), m.version());
                assertEquals(expectedSeq++, Long.parseLong(vm.group(1)), "sequences start at 1 and grow by one");
                assertEquals(m.sequence(), Long.parseLong(vm.group(1)));
                assertEquals(set, m.featureSet());
                Path dir = root.resolve(set).resolve("versions").resolve(m.version());
                Set<String> expected = new HashSet<>(List.of("manifest.json", "keys.idx"));
                long rows = 0;
                for (int i = 0; i < m.files().size(); i++) {
                    FileEntry f = m.files().get(i);
                    Matcher pm = part.matcher(f.path());
                    assertTrue(pm.matches(), f.path());
                    assertEquals(i, Integer.parseInt(pm.group(1)), "parts numbered from 0 without gaps");
                    expected.add(f.path());
                    rows += f.rows();
                    checkFile(dir, f);
                    checkArrow(dir.resolve(f.path()), m);
                }
                assertEquals(m.rowCount(), rows);
                assertEquals("keys.idx", m.keyIndex().path());
                assertEquals(m.rowCount(), m.keyIndex().rows());
                checkFile(dir, m.keyIndex());
                checkKeyIndex(dir.resolve("keys.idx"), m);
                try (Stream<Path> s = Files.list(dir)) {
                    assertEquals(expected, new HashSet<>(s.map(p -> p.getFileName().toString()).toList()),
                            "a version folder holds exactly the manifest, its parts and keys.idx");
                }
                assertTrue(Set.of("zstd", "none").contains(m.compression()));
            }
            assertEquals(List.of(), listOrEmpty(root.resolve(set).resolve("_staging")), "committed writers leave no staging");
        }
        assertEquals("zstd", store.manifest("user_events", "1").compression());
        assertEquals("none", store.manifest("user_events", "2").compression());
        assertEquals("v000001", store.manifest("user_events", "2").parent());

        // visibility is the manifest: a version folder without one does not exist, and latest skips it
        Path v2 = root.resolve("user_events/versions/v000002/manifest.json");
        Path moved = root.resolve("hidden.json");
        Files.move(v2, moved);
        assertEquals("v000001", store.latest("user_events").version());
        Files.move(moved, v2);
        assertEquals("v000002", store.latest("user_events").version());

        // a lease is PID-UUID under _leases/VERSION while a reader is open, and gone after
        try (FeatureSetReader r = store.read("user_events", "1")) {
            List<Path> leases = listOrEmpty(root.resolve("user_events/_leases/v000001"));
            assertEquals(1, leases.size());
            assertTrue(leases.get(0).getFileName().toString().matches(ProcessHandle.current().pid() + "-[0-9a-f-]{36}"));
            assertEquals(0, Files.size(leases.get(0)));
            assertEquals(1, store.gc("user_events", 1).keptLeased().size());
        }
        assertEquals(List.of(), listOrEmpty(root.resolve("user_events/_leases/v000001")));
    }

    private static List<Path> listOrEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static void checkFile(Path dir, FileEntry f) throws IOException {
        Path p = dir.resolve(f.path());
        assertEquals(f.size(), Files.size(p), p.toString());
        assertTrue(f.crc32c().matches("[0-9a-f]{8}"), f.crc32c());
        assertEquals(f.crc32c(), Checksums.crc32c(p), "CRC32C of the whole file: " + p);
    }

    private static void checkArrow(Path part, Manifest m) throws IOException {
        byte[] magic = new byte[6];
        try (var in = Files.newInputStream(part)) {
            assertEquals(6, in.readNBytes(magic, 0, 6));
        }
        assertEquals("ARROW1", new String(magic, StandardCharsets.US_ASCII), "Arrow IPC file format");
        try (RootAllocator a = new RootAllocator();
             FileChannel ch = FileChannel.open(part, StandardOpenOption.READ);
             ArrowFileReader r = new ArrowFileReader(ch, a)) {
            Schema s = r.getVectorSchemaRoot().getSchema();
            assertEquals(m.featureSet(), s.getCustomMetadata().get("segue.feature_set"));
            assertEquals(m.entityKey(), s.getCustomMetadata().get("segue.entity_key"));
            assertEquals(m.eventTimestamp(), s.getCustomMetadata().get("segue.event_timestamp"));
            assertEquals(m.schema().columnNames(), s.getFields().stream().map(Field::getName).toList(), "declared column order");
            for (Field f : s.getFields()) {
                ColumnSpec c = m.schema().column(f.getName());
                String role = f.getMetadata().get("segue.role");
                String expected = c.name().equals(m.entityKey()) ? "entity_key" : c.name().equals(m.eventTimestamp()) ? "event_timestamp"
                        : c.name().equals(m.schema().createdTimestamp()) ? "created_timestamp" : "feature";
                assertEquals(expected, role, f.getName());
                assertTrue(doc.contains("`" + role + "`"), "role " + role + " documented");
                assertEquals(c.description(), f.getMetadata().get("description"));
                assertEquals(c.nullable(), f.isNullable(), f.getName());
                ArrowType t = f.getType();
                switch (c.type()) {
                    case TIMESTAMP -> {
                        assertEquals(TimeUnit.MICROSECOND, ((ArrowType.Timestamp) t).getUnit());
                        assertEquals("UTC", ((ArrowType.Timestamp) t).getTimezone());
                    }
                    case EMBEDDING -> assertEquals(c.dim(), ((ArrowType.FixedSizeList) t).getListSize());
                    case UTF8 -> assertEquals(c.categorical(), f.getDictionary() != null, f.getName());
                    default -> {
                    }
                }
            }
        }
    }

    private static void checkKeyIndex(Path file, Manifest m) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("SGKI", new String(b.array(), 0, 4, StandardCharsets.US_ASCII));
        assertEquals(0x494B4753, b.getInt(0));
        assertEquals(1, b.getInt(4));
        FeatureType keyType = m.schema().keyColumn().type();
        assertEquals(switch (keyType) { case INT32 -> 0; case INT64 -> 1; case UTF8 -> 5; default -> -1; }, b.get(8));
        boolean ts = m.eventTimestamp() != null;
        boolean created = m.schema().createdTimestamp() != null;
        assertEquals(ts ? 1 : 0, b.get(9));
        assertEquals(created ? 1 : 0, b.get(10));
        int n = b.getInt(12);
        int d = b.getInt(16);
        assertEquals(m.rowCount(), n);
        long dict = 0;
        if (keyType == FeatureType.UTF8) {
            b.position(24);
            String prev = null;
            for (int i = 0; i < d; i++) {
                byte[] s = new byte[b.getInt()];
                b.get(s);
                String key = new String(s, StandardCharsets.UTF_8);
                assertTrue(prev == null || prev.compareTo(key) < 0, "utf8 keys ascending and distinct");
                prev = key;
                dict += 4 + s.length;
            }
        } else {
            assertEquals(0, d);
        }
        assertEquals(24 + dict + (long) n * (8 + (ts ? 8 : 0) + (created ? 8 : 0) + 4), Files.size(file), "section sizes");
    }

    private List<JsonNode> manifests() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().equals("manifest.json")).sorted().toList()) {
                out.add(Json.MAPPER.readTree(p.toFile()));
            }
        }
        assertFalse(out.isEmpty());
        return out;
    }
}
