package dev.segue.store.cli;

import dev.segue.store.ArrowPartWriter;
import dev.segue.store.Batch;
import dev.segue.store.ColumnSpec;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.Manifest;
import dev.segue.store.Micros;
import dev.segue.store.PointInTimeJoin;
import dev.segue.store.Table;
import dev.segue.store.WriteOptions;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code segue store join}: a training set from the shell. Reads entity rows (key, event time) from CSV or an
 * Arrow IPC file, runs {@link PointInTimeJoin} against the latest version of each named feature set and writes
 * the entity columns followed by one column {@code SET__COLUMN} per requested feature (null where no feature row
 * qualifies), in entity input order, as an Arrow IPC file (or CSV). The output appears whole or not at all.
 */
@Command(name = "join", description = "Point-in-time join (a training set): for each entity row (key, event time) "
        + "and feature set, the latest feature row of the key with ts <= event time (and ts > event time - ttl). "
        + "Writes the entity key and event time plus one SET__COLUMN per feature, in entity order, null where no "
        + "feature row qualifies. Exit 1 on store errors, 2 on bad options or entity files.")
final class StoreJoin extends StoreCommand.Sub {
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)([dhms])");

    @Option(names = "--entities", required = true, paramLabel = "FILE",
            description = "Entity rows: CSV with a header row, or an Arrow IPC file (detected by its magic bytes).")
    Path entities;

    @Option(names = "--features", required = true, split = ",", paramLabel = "SET:COL",
            description = "Features to join, comma-separated or repeated, e.g. user_churn_features:days_since_last_P,user_churn_features:days_since_last_S.")
    List<String> features;

    @Option(names = "--ttl", paramLabel = "D",
            description = "Oldest feature row to accept, relative to each event time: 30d, 12h, 15m, 90s or ISO-8601 "
                    + "(P30D, PT12H). Default: unbounded.")
    String ttl;

    @Option(names = "--entity-key", paramLabel = "NAME",
            description = "Key column of the entity file (default: the first feature set's entity key name).")
    String entityKey;

    @Option(names = "--event-time", paramLabel = "NAME", defaultValue = "event_timestamp",
            description = "Event-time column of the entity file (default ${DEFAULT-VALUE}): an Arrow timestamp or "
                    + "int64 micros; in CSV an ISO-8601 instant or integer micros since the epoch.")
    String eventTime;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file (replaced atomically).")
    Path out;

    @Option(names = "--format", defaultValue = "arrow", paramLabel = "FMT",
            description = "Output format: arrow (IPC file, default) or csv (timestamps ISO-8601, embeddings as [a b ...]).")
    String format;

    @Override
    int run() throws Exception {
        if (!format.equals("arrow") && !format.equals("csv")) {
            throw new IllegalArgumentException("--format must be arrow or csv, got '" + format + "'");
        }
        Duration ttlDuration = parseTtl(ttl);
        Map<String, List<String>> wanted = parseFeatures(features);
        FeatureStore store = common.open();
        List<Manifest> manifests = new ArrayList<>();
        PointInTimeJoin.Builder builder = PointInTimeJoin.builder();
        for (Map.Entry<String, List<String>> e : wanted.entrySet()) {
            Manifest m = store.manifest(e.getKey(), "latest");
            for (String c : e.getValue()) {
                m.schema().column(c); // names the set and the unknown column
            }
            manifests.add(m);
            builder.feature(store, e.getKey(), m.version(), ttlDuration);
        }
        boolean utf8 = manifests.get(0).schema().keyColumn().type() == FeatureType.UTF8;
        for (Manifest m : manifests) {
            if ((m.schema().keyColumn().type() == FeatureType.UTF8) != utf8) {
                throw new IllegalArgumentException("feature sets '" + manifests.get(0).featureSet() + "' and '"
                        + m.featureSet() + "' have different key types (utf8 vs integer); join them separately");
            }
        }
        String keyName = entityKey != null ? entityKey : manifests.get(0).entityKey();
        if (!Files.isRegularFile(entities)) {
            throw new IllegalArgumentException("--entities: no such file " + entities);
        }
        Entities in = isArrowFile(entities) ? readArrow(entities, keyName, eventTime, utf8)
                : readCsv(entities, keyName, eventTime, utf8);
        PointInTimeJoin join = builder.build();
        PointInTimeJoin.Matches matches = in.strings != null ? join.join(in.strings, in.micros) : join.join(in.longs, in.micros);

        int n = in.micros.length;
        Map<String, ColumnSpec> specs = new LinkedHashMap<>();
        Batch.Builder b = Batch.builder(n);
        if (utf8) {
            specs.put(keyName, new ColumnSpec(keyName, FeatureType.UTF8, "entity key", 0, false, false, null, null));
            b.strings(keyName, in.strings);
        } else {
            specs.put(keyName, new ColumnSpec(keyName, FeatureType.INT64, "entity key", 0, false, false, null, null));
            b.longs(keyName, in.longs);
        }
        specs.put(eventTime, new ColumnSpec(eventTime, FeatureType.TIMESTAMP, "event time", 0, false, false, null, null));
        b.timestamps(eventTime, in.micros);
        int f = 0;
        for (Map.Entry<String, List<String>> e : wanted.entrySet()) {
            Manifest m = manifests.get(f);
            Table gathered;
            try (FeatureSetReader r = store.read(m.featureSet(), m.version())) {
                gathered = PointInTimeJoin.gather(r.readAll(e.getValue()), matches.rows(f), e.getValue());
            }
            for (String c : e.getValue()) {
                ColumnSpec src = m.schema().column(c);
                String name = m.featureSet() + "__" + c;
                if (specs.containsKey(name)) {
                    throw new IllegalArgumentException("--features: " + m.featureSet() + ":" + c + " is asked for twice");
                }
                specs.put(name, new ColumnSpec(name, src.type(), src.description(), src.dim(), false, true, null, null));
                b.column(name, gathered.column(c));
            }
            f++;
        }
        FeatureSetSchema schema = new FeatureSetSchema("training_set", keyName, eventTime, null, new ArrayList<>(specs.values()));
        Batch batch = b.build();
        Path target = out.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            if (format.equals("arrow")) {
                writeArrow(tmp, schema, batch);
            } else {
                writeCsv(tmp, schema, batch);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("--out: cannot write " + out + " (no such folder " + target.getParent() + ")");
        } finally {
            Files.deleteIfExists(tmp);
        }
        long[] hits = new long[manifests.size()];
        for (int j = 0; j < hits.length; j++) {
            for (int r : matches.rows(j)) {
                if (r >= 0) hits[j]++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < hits.length; j++) {
            sb.append(j > 0 ? ", " : "").append(manifests.get(j).featureSet()).append(' ').append(manifests.get(j).version())
                    .append(": ").append(hits[j]).append(" matched");
        }
        if (common.json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("out", out.toString());
            r.put("rows", n);
            r.put("columns", new ArrayList<>(specs.keySet()));
            Map<String, Object> matched = new LinkedHashMap<>();
            for (int j = 0; j < hits.length; j++) {
                matched.put(manifests.get(j).featureSet() + " " + manifests.get(j).version(), hits[j]);
            }
            r.put("matched", matched);
            json(r);
            return 0;
        }
        out().printf("wrote %s: %d rows, %d columns (%s)%n", out, n, specs.size(), sb);
        out().flush();
        return 0;
    }

    static Duration parseTtl(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = SIMPLE_DURATION.matcher(s.trim().toLowerCase(Locale.ROOT));
        Duration d;
        if (m.matches()) {
            long v = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "d" -> Duration.ofDays(v);
                case "h" -> Duration.ofHours(v);
                case "m" -> Duration.ofMinutes(v);
                default -> Duration.ofSeconds(v);
            };
        } else {
            try {
                d = Duration.parse(s.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--ttl: '" + s + "' is not a duration like 30d, 12h, 15m, 90s or PT12H");
            }
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("--ttl must be positive, got '" + s + "'");
        }
        return d;
    }

    static Map<String, List<String>> parseFeatures(List<String> items) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String item : items) {
            String it = item.trim();
            int colon = it.indexOf(':');
            if (colon <= 0 || colon == it.length() - 1 || it.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("--features: '" + item + "' is not SET:COLUMN");
            }
            out.computeIfAbsent(it.substring(0, colon), k -> new ArrayList<>()).add(it.substring(colon + 1));
        }
        return out;
    }

    /** Entity rows: integer keys in {@code longs} or utf8 keys in {@code strings}, event times in micros. */
    record Entities(long[] longs, String[] strings, long[] micros) {
    }

    static boolean isArrowFile(Path file) throws IOException {
        byte[] head = new byte[6];
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(head, 0, 6) == 6 && Arrays.equals(head, "ARROW1".getBytes(StandardCharsets.US_ASCII));
        }
    }

    static Entities readArrow(Path file, String key, String time, boolean utf8) throws IOException {
        try (BufferAllocator alloc = new RootAllocator(Long.MAX_VALUE);
             FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(ch, alloc)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            List<String> names = root.getSchema().getFields().stream().map(f -> f.getName()).toList();
            if (!names.contains(key)) {
                throw new IllegalArgumentException(file + ": no entity key column '" + key + "' (columns: " + names + "); use --entity-key");
            }
            if (!names.contains(time)) {
                throw new IllegalArgumentException(file + ": no event-time column '" + time + "' (columns: " + names + "); use --event-time");
            }
            LongList ks = new LongList();
            List<String> ss = new ArrayList<>();
            LongList ts = new LongList();
            long row = 0;
            while (reader.loadNextBatch()) {
                FieldVector kv = root.getVector(key);
                FieldVector tv = root.getVector(time);
                int n = root.getRowCount();
                for (int i = 0; i < n; i++, row++) {
                    if (kv.isNull(i) || tv.isNull(i)) {
                        throw new IllegalArgumentException(file + ": row " + row + " has a null " + (kv.isNull(i) ? key : time));
                    }
                    if (utf8) {
                        if (!(kv instanceof VarCharVector v)) {
                            throw new IllegalArgumentException(file + ": column '" + key + "' is " + kv.getField().getType()
                                    + "; the feature sets are keyed by utf8");
                        }
                        ss.add(new String(v.get(i), StandardCharsets.UTF_8));
                    } else if (kv instanceof IntVector v) {
                        ks.add(v.get(i));
                    } else if (kv instanceof BigIntVector v) {
                        ks.add(v.get(i));
                    } else {
                        throw new IllegalArgumentException(file + ": column '" + key + "' is " + kv.getField().getType()
                                + "; the feature sets are keyed by integers (int32/int64)");
                    }
                    ts.add(micros(file, time, tv, i));
                }
            }
            return utf8 ? new Entities(null, ss.toArray(String[]::new), ts.toArray())
                    : new Entities(ks.toArray(), null, ts.toArray());
        }
    }

    private static long micros(Path file, String time, FieldVector tv, int i) {
        if (tv instanceof TimeStampVector v && tv.getField().getType() instanceof ArrowType.Timestamp t) {
            long raw = v.get(i);
            return switch (t.getUnit()) {
                case SECOND -> Math.multiplyExact(raw, 1_000_000L);
                case MILLISECOND -> Math.multiplyExact(raw, 1_000L);
                case MICROSECOND -> raw;
                case NANOSECOND -> Math.floorDiv(raw, 1_000L);
            };
        }
        if (tv instanceof BigIntVector v) {
            return v.get(i);
        }
        throw new IllegalArgumentException(file + ": column '" + time + "' is " + tv.getField().getType()
                + "; expected a timestamp or int64 micros");
    }

    static Entities readCsv(Path file, String key, String time, boolean utf8) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + ": empty file (expected a CSV header row)");
            }
            List<String> names = Csv.split(header.startsWith("\uFEFF") ? header.substring(1) : header);
            int ki = names.indexOf(key);
            int ti = names.indexOf(time);
            if (ki < 0) {
                throw new IllegalArgumentException(file + ": no entity key column '" + key + "' (columns: " + names + "); use --entity-key");
            }
            if (ti < 0) {
                throw new IllegalArgumentException(file + ": no event-time column '" + time + "' (columns: " + names + "); use --event-time");
            }
            LongList ks = new LongList();
            List<String> ss = new ArrayList<>();
            LongList ts = new LongList();
            String line;
            long lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) {
                    continue;
                }
                List<String> cells = Csv.split(line);
                if (cells.size() != names.size()) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": " + cells.size() + " fields, header has " + names.size());
                }
                String k = cells.get(ki);
                String t = cells.get(ti).trim();
                if (utf8) {
                    ss.add(k);
                } else {
                    try {
                        ks.add(Long.parseLong(k.trim()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + ":" + lineNo + ": key '" + k + "' is not an integer "
                                + "(the feature sets are keyed by integers)");
                    }
                }
                ts.add(parseTime(file, lineNo, t));
            }
            return utf8 ? new Entities(null, ss.toArray(String[]::new), ts.toArray())
                    : new Entities(ks.toArray(), null, ts.toArray());
        }
    }

    private static long parseTime(Path file, long lineNo, String t) {
        if (t.matches("-?\\d+")) {
            return Long.parseLong(t);
        }
        try {
            return Micros.of(Instant.parse(t));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": event time '" + t
                    + "' is neither an ISO-8601 instant (2024-05-01T12:00:00Z) nor integer micros");
        }
    }

    private static void writeArrow(Path file, FeatureSetSchema schema, Batch batch) throws IOException {
        WriteOptions opts = WriteOptions.producer("segue store join").compression(false);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ArrowPartWriter w = new ArrowPartWriter(ch, schema, opts)) {
            if (batch.rows() > 0) {
                w.append(batch, 0, batch.rows());
            }
            w.finish();
            ch.force(true);
        }
    }

    private static void writeCsv(Path file, FeatureSetSchema schema, Batch batch) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
            List<String> cols = schema.columnNames();
            List<String> head = new ArrayList<>();
            for (String c : cols) head.add(Csv.quote(c));
            w.write(String.join(",", head));
            w.write('\n');
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < batch.rows(); i++) {
                sb.setLength(0);
                for (int c = 0; c < cols.size(); c++) {
                    if (c > 0) sb.append(',');
                    Object v = batch.value(cols.get(c), i);
                    if (v == null) continue;
                    FeatureType type = batch.type(cols.get(c));
                    if (type == FeatureType.TIMESTAMP) {
                        sb.append(Micros.toInstant((Long) v));
                    } else if (v instanceof float[] fs) {
                        sb.append('[');
                        for (int d = 0; d < fs.length; d++) sb.append(d > 0 ? " " : "").append(fs[d]);
                        sb.append(']');
                    } else if (v instanceof String s) {
                        sb.append(Csv.quote(s));
                    } else {
                        sb.append(v);
                    }
                }
                w.write(sb.toString());
                w.write('\n');
            }
            w.flush();
        }
    }

    /** RFC 4180 fields: comma-separated, double quotes around fields with commas or quotes, "" for a quote. */
    static final class Csv {
        private Csv() {
        }

        static List<String> split(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        cur.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(ch);
                }
            }
            out.add(cur.toString());
            return out;
        }

        static String quote(String s) {
            return s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 ? s
                    : '"' + s.replace("\"", "\"\"") + '"';
        }
    }

    /** A growable long[]. */
    static final class LongList {
        private long[] a = new long[1024];
        private int n;

        void add(long v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
