package dev.segue.store.cli;

import dev.segue.store.Batch;
import dev.segue.store.ColumnSpec;
import dev.segue.store.ColumnStats;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.io.LocalFileIO;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIOs;
import dev.segue.store.FeatureType;
import dev.segue.store.FileEntry;
import dev.segue.store.GcResult;
import dev.segue.store.Json;
import dev.segue.store.Manifest;
import dev.segue.store.Micros;
import dev.segue.store.StoreException;
import dev.segue.store.VerifyResult;
import dev.segue.cli.CliConvention;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code segue store ...}: inspect and maintain a feature store. */
@Command(name = "store", description = "Inspect and maintain a feature store.",
        subcommands = {StoreCommand.ListCmd.class, StoreCommand.Describe.class, StoreCommand.Head.class,
                StoreCommand.Stats.class, StoreCommand.Verify.class, StoreCommand.History.class, StoreCommand.Snapshots.class,
                StoreCommand.Gc.class, StoreJoin.class})
public final class StoreCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    public static void main(String[] args) {
        CliConvention.main(new StoreCommand(), args);
    }

    /** Options every subcommand shares. */
    static final class Common {
        @Option(names = "--store", paramLabel = "DIR", defaultValue = "${env:SEGUE_STORE:-store}",
                description = "Store root: a folder, or a URI such as hdfs://namenode:8020/store "
                        + "(default: $SEGUE_STORE or ./store).")
        String store;

        @Option(names = "--json", description = "Machine-readable JSON output.")
        boolean json;

        @Option(names = "--verbose", description = "Stack traces on errors (as SEGUE_VERBOSE=1).")
        boolean verbose;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
        boolean help;

        FeatureStore open() {
            return openExisting(store);
        }
    }

    /**
     * The store at {@code store} (a local folder or a store URI such as {@code hdfs://namenode:8020/store}), which must
     * exist: the check every command that reads a store makes (the store's file IO for a remote one), so that a
     * mistyped path is one line, "--store X is not a folder (no store there)", instead of an empty store created there.
     */
    public static FeatureStore openExisting(String store) {
        if (StoreFileIOs.isLocal(store)) {
            Path dir = LocalFileIO.path(Location.of(store));
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--store " + store + " is not a folder (no store there)");
            }
            return FeatureStore.open(dir);
        }
        Location root = Location.of(store);
        boolean exists;
        try {
            exists = StoreFileIOs.forRoot(root).isDirectory(root);
        } catch (java.io.IOException e) {
            throw new dev.segue.store.StoreException("--store " + store + ": cannot reach it: " + e.getMessage(), e);
        }
        if (!exists) {
            throw new IllegalArgumentException("--store " + store + " is not a folder (no store there)");
        }
        return FeatureStore.open(store);
    }

    /** Which version: latest by default. */
    static final class Which {
        @Option(names = "--data-version", paramLabel = "ID",
                description = "Version of the feature set: id (v000003), number, or latest.")
        String version;

        @Option(names = "--as-of", paramLabel = "INSTANT", description = "The version current at this ISO-8601 instant.")
        String asOf;

        Manifest resolve(FeatureStore store, String name) {
            if (version != null && asOf != null) {
                throw new IllegalArgumentException("--data-version and --as-of are mutually exclusive");
            }
            if (asOf != null) {
                return store.manifestAsOf(name, parseInstant(asOf));
            }
            return store.manifest(name, version == null ? "latest" : version);
        }

        static Instant parseInstant(String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--as-of: '" + s + "' is not an ISO-8601 instant like 2024-05-01T12:00:00Z");
            }
        }
    }

    /** Runs a subcommand body with the one-line error convention: 1 on store errors, 2 on bad usage. */
    abstract static class Sub implements Callable<Integer> {
        @Mixin
        Common common;

        @Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        abstract int run() throws Exception;

        /** Failures propagate to {@link CliConvention}: one line, exit 2 for bad input, 1 otherwise. */
        @Override
        public Integer call() throws Exception {
            return run();
        }

        void json(Object value) throws Exception {
            out().println(Json.MAPPER.writeValueAsString(value));
            out().flush();
        }
    }

    static String bytes(long b) {
        if (b < 1024) return b + " B";
        if (b < 1 << 20) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        if (b < 1 << 30) return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
        return String.format(Locale.ROOT, "%.2f GiB", b / 1073741824.0);
    }

    static String num(Double d) {
        if (d == null) return "";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.format(Locale.ROOT, "%.0f", d);
        return String.format(Locale.ROOT, "%.4g", d);
    }

    @Command(name = "list", description = "List feature sets with their latest version.")
    static final class ListCmd extends Sub {
        @Override
        int run() throws Exception {
            FeatureStore store = common.open();
            List<Map<String, Object>> rows = new ArrayList<>();
            TextTable t = new TextTable("NAME", "VERSIONS", "LATEST", "ROWS", "SIZE", "CREATED", "PRODUCER");
            for (String name : store.list()) {
                List<Manifest> all = store.versions(name);
                Manifest m;
                try {
                    m = store.latest(name); // the newest snapshot's version, not necessarily the newest commit
                } catch (StoreException e) {
                    if (e instanceof dev.segue.store.CorruptionException) {
                        throw e;
                    }
                    // only versions of an unfinished run: nothing complete to show
                    t.row(name, all.size(), "none complete", "-", "-", "-", "-");
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("name", name);
                    r.put("versions", all.size());
                    r.put("latest", null);
                    rows.add(r);
                    continue;
                }
                t.row(name, all.size(), m.version(), m.rowCount(), bytes(m.totalBytes()), m.createdAt(), m.producer());
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("name", name);
                r.put("versions", all.size());
                r.put("latest", m.version());
                r.put("rows", m.rowCount());
                r.put("bytes", m.totalBytes());
                r.put("createdAt", m.createdAt());
                r.put("producer", m.producer());
                rows.add(r);
            }
            if (common.json) {
                json(rows);
            } else {
                t.print(out());
            }
            return 0;
        }
    }

    @Command(name = "describe", description = "Schema and manifest of a version.")
    static final class Describe extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;
        @Mixin
        Which which;

        @Override
        int run() throws Exception {
            Manifest m = which.resolve(common.open(), name);
            if (common.json) {
                json(m);
                return 0;
            }
            PrintWriter o = out();
            o.printf("feature set  %s%n", m.featureSet());
            o.printf("version      %s (parent %s)%n", m.version(), m.parent() == null ? "none" : m.parent());
            o.printf("created      %s%n", m.createdAt());
            o.printf("producer     %s%n", m.producer());
            o.printf("parameters   %s%n", m.parameters());
            o.printf("entity key   %s%n", m.entityKey());
            o.printf("event time   %s%n", m.eventTimestamp() == null ? "none" : m.eventTimestamp());
            o.printf("rows         %d in %d part(s), %s, compression %s%n", m.rowCount(), m.files().size(),
                    bytes(m.totalBytes()), m.compression());
            o.println();
            TextTable t = new TextTable("COLUMN", "TYPE", "ROLE", "NULLABLE", "CHECKS", "DESCRIPTION");
            for (ColumnSpec c : m.schema().columns()) {
                String type = c.type() == FeatureType.EMBEDDING ? "embedding[" + c.dim() + "]"
                        : c.type().name().toLowerCase(Locale.ROOT) + (c.categorical() ? " (categorical)" : "");
                String role = c.name().equals(m.entityKey()) ? "entity key"
                        : c.name().equals(m.eventTimestamp()) ? "event time"
                        : c.name().equals(m.schema().createdTimestamp()) ? "created time" : "feature";
                String checks = c.min() == null && c.max() == null ? "" : "range [" + num(c.min()) + ", " + num(c.max()) + "]";
                t.row(c.name(), type, role, c.nullable() ? "yes" : "no", checks, c.description());
            }
            t.print(o);
            o.println();
            TextTable f = new TextTable("FILE", "ROWS", "SIZE", "CRC32C");
            for (FileEntry e : m.files()) {
                f.row(e.path(), e.rows(), bytes(e.size()), e.crc32c());
            }
            f.row(m.keyIndex().path(), m.keyIndex().rows(), bytes(m.keyIndex().size()), m.keyIndex().crc32c());
            f.print(o);
            return 0;
        }
    }

    @Command(name = "head", description = "First rows of a version.")
    static final class Head extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;
        @Mixin
        Which which;
        @Option(names = {"-n", "--rows"}, defaultValue = "10", description = "Rows to show (default ${DEFAULT-VALUE}).")
        int n;

        @Override
        int run() throws Exception {
            if (n < 0) {
                throw new IllegalArgumentException("-n must be >= 0, got " + n);
            }
            FeatureStore store = common.open();
            Manifest m = which.resolve(store, name);
            List<String> cols = m.schema().columnNames();
            List<Map<String, Object>> rows = new ArrayList<>();
            try (FeatureSetReader r = store.read(name, m.version())) {
                Iterator<Batch> it = r.scan(List.of());
                while (rows.size() < n && it.hasNext()) {
                    Batch b = it.next();
                    for (int i = 0; i < b.rows() && rows.size() < n; i++) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (String c : cols) {
                            Object v = b.value(c, i);
                            if (v != null && b.type(c) == FeatureType.TIMESTAMP) {
                                v = Micros.toInstant((Long) v).toString();
                            }
                            row.put(c, v);
                        }
                        rows.add(row);
                    }
                }
            }
            if (common.json) {
                json(rows);
                return 0;
            }
            TextTable t = new TextTable(cols.toArray(String[]::new));
            for (Map<String, Object> row : rows) {
                Object[] cells = new Object[cols.size()];
                for (int i = 0; i < cells.length; i++) {
                    Object v = row.get(cols.get(i));
                    cells[i] = v == null ? "null" : v instanceof float[] f ? embedding(f) : v;
                }
                t.row(cells);
            }
            t.print(out());
            return 0;
        }

        static String embedding(float[] f) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < Math.min(3, f.length); i++) {
                sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", f[i]));
            }
            return sb.append(f.length > 3 ? ", … (" + f.length + ")]" : "]").toString();
        }
    }

    @Command(name = "stats", description = "Column statistics computed at write time.")
    static final class Stats extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;
        @Mixin
        Which which;

        @Override
        int run() throws Exception {
            Manifest m = which.resolve(common.open(), name);
            if (common.json) {
                json(m.stats());
                return 0;
            }
            out().printf("%s %s: %d rows%n%n", m.featureSet(), m.version(), m.rowCount());
            TextTable t = new TextTable("COLUMN", "TYPE", "COUNT", "NULLS", "MIN", "MAX", "MEAN", "STD", "DETAIL");
            for (Map.Entry<String, ColumnStats> e : m.stats().entrySet()) {
                ColumnStats s = e.getValue();
                String detail = "";
                if (s.topValues() != null) {
                    StringBuilder sb = new StringBuilder(s.distinct() + " distinct; top ");
                    s.topValues().stream().limit(3).forEach(v -> sb.append(v.value()).append('=').append(v.count()).append(' '));
                    detail = sb.toString().trim();
                } else if (s.norm() != null) {
                    detail = String.format(Locale.ROOT, "L2 norm min %.4g max %.4g mean %.4g std %.4g; %d zero",
                            s.norm().min(), s.norm().max(), s.norm().mean(), s.norm().std(), s.zeroVectors());
                } else if (s.nan() != null && s.nan() > 0) {
                    detail = s.nan() + " NaN";
                } else if (s.type().startsWith("utf8")) {
                    detail = "length stats";
                }
                t.row(e.getKey(), s.type(), s.count(), s.nulls(), num(s.min()), num(s.max()), num(s.mean()), num(s.std()), detail);
            }
            t.print(out());
            return 0;
        }
    }

    @Command(name = "verify", description = "Check sizes, CRC32C checksums, Arrow structure and row counts.")
    static final class Verify extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;
        @Mixin
        Which which;

        @Override
        int run() throws Exception {
            FeatureStore store = common.open();
            Manifest m = which.resolve(store, name);
            VerifyResult v = store.verify(name, m.version());
            if (common.json) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("ok", v.ok());
                r.put("featureSet", v.featureSet());
                r.put("version", v.version());
                r.put("filesChecked", v.filesChecked());
                r.put("bytesChecked", v.bytesChecked());
                r.put("rows", v.rows());
                r.put("problems", v.problems());
                json(r);
            } else if (v.ok()) {
                out().printf("OK %s %s: %d files, %s, %d rows verified%n", v.featureSet(), v.version(),
                        v.filesChecked(), bytes(v.bytesChecked()), v.rows());
            } else {
                out().printf("FAILED %s %s: %d problem(s)%n", v.featureSet(), v.version(), v.problems().size());
                v.problems().forEach(p -> out().println("  " + p));
            }
            out().flush();
            return v.ok() ? 0 : 1;
        }
    }

    @Command(name = "history", description = "All versions of a feature set, oldest first.")
    static final class History extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run() throws Exception {
            List<Manifest> all = common.open().versions(name);
            if (all.isEmpty()) {
                throw new StoreException("feature set '" + name + "' does not exist in " + common.store);
            }
            if (common.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Manifest m : all) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("version", m.version());
                    r.put("createdAt", m.createdAt());
                    r.put("parent", m.parent());
                    r.put("rows", m.rowCount());
                    r.put("bytes", m.totalBytes());
                    r.put("producer", m.producer());
                    r.put("parameters", m.parameters());
                    rows.add(r);
                }
                json(rows);
                return 0;
            }
            TextTable t = new TextTable("VERSION", "CREATED", "PARENT", "ROWS", "SIZE", "PRODUCER", "PARAMETERS");
            for (Manifest m : all) {
                t.row(m.version(), m.createdAt(), m.parent() == null ? "-" : m.parent(), m.rowCount(),
                        bytes(m.totalBytes()), m.producer(), m.parameters().isEmpty() ? "" : m.parameters());
            }
            t.print(out());
            return 0;
        }
    }

    @Command(name = "snapshots", description = {"Snapshot records, oldest first: the feature-set versions each pipeline "
            + "run made visible together (the newest listing a set gives its 'latest').",
            "A store written before snapshots existed has none; 'latest' is then each set's newest version."})
    static final class Snapshots extends Sub {
        @Override
        int run() throws Exception {
            List<dev.segue.store.Snapshot> all = common.open().snapshots();
            if (common.json) {
                json(all);
                return 0;
            }
            if (all.isEmpty()) {
                out().println("no snapshots in " + common.store + " (written before snapshots existed, or by single "
                        + "writes only): 'latest' is each feature set's newest version");
                out().flush();
                return 0;
            }
            TextTable t = new TextTable("SNAPSHOT", "CREATED", "PRODUCER", "RUN", "FEATURE SETS");
            for (dev.segue.store.Snapshot s : all) {
                StringBuilder sets = new StringBuilder();
                s.featureSets().forEach((k, v) -> sets.append(sets.length() == 0 ? "" : " ").append(k).append('=').append(v));
                t.row(s.id(), s.createdAt(), s.producer(), s.run(), sets.toString());
            }
            t.print(out());
            return 0;
        }
    }

    @Command(name = "gc", description = {"Remove versions older than the newest N complete ones (never the latest, "
            + "one being read, or one of a run still going), and the versions of runs that died before their snapshot."})
    static final class Gc extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--keep", required = true, paramLabel = "N", description = "Newest versions to keep (>= 1).")
        int keep;

        @Override
        int run() throws Exception {
            GcResult r = common.open().gc(name, keep);
            if (common.json) {
                json(r);
                return 0;
            }
            out().printf("%s: removed %s, kept %s%s, %d dead writer folder(s) cleaned, %s freed%n", r.featureSet(),
                    r.removed().isEmpty() ? "nothing" : String.join(" ", r.removed()), String.join(" ", r.kept()),
                    r.keptLeased().isEmpty() ? "" : " and in-use " + String.join(" ", r.keptLeased()),
                    r.stagingRemoved(), bytes(r.bytesFreed()));
            out().flush();
            return 0;
        }
    }
}
