package dev.segue.store.cli;

import dev.segue.store.Batch;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.KeyIndex;
import dev.segue.store.PointInTimeJoin;
import dev.segue.store.Table;
import dev.segue.store.WriteOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code segue bench store}: write/scan throughput of an embedding set (ZSTD and uncompressed), open + key-index
 * load, random lookups, and point-in-time join throughput. Prints medians over {@code --reps} runs and heap use.
 */
@Command(name = "store", description = "Benchmark the feature store (write, scan, open, lookup, point-in-time join).")
public final class StoreBenchCommand implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "2000000", description = "Rows of the embedding set (default ${DEFAULT-VALUE}).")
    int rows;
    @Option(names = "--dim", defaultValue = "64", description = "Embedding dimension (default ${DEFAULT-VALUE}).")
    int dim;
    @Option(names = "--join-rows", defaultValue = "5000000", description = "Entity rows and feature rows of the join (default ${DEFAULT-VALUE}).")
    int joinRows;
    @Option(names = "--join-entities", description = "Entity rows of the join (default: --join-rows).")
    Integer joinEntities;
    @Option(names = "--entities-out", paramLabel = "FILE",
            description = "Also write the join's entity rows (user, event_timestamp) to this Arrow IPC file, so another "
                    + "implementation can join the same data (client/python/bench/bench_store.py does).")
    Path entitiesOut;
    @Option(names = "--join-keys", defaultValue = "1000000", description = "Distinct keys in the join (default ${DEFAULT-VALUE}).")
    int joinKeys;
    @Option(names = "--lookups", defaultValue = "1000", description = "Random lookups per repetition (default ${DEFAULT-VALUE}).")
    int lookups;
    @Option(names = "--reps", defaultValue = "3", description = "Repetitions; medians are reported (default ${DEFAULT-VALUE}).")
    int reps;
    @Option(names = "--dir", description = "Scratch store folder or URI, e.g. hdfs://namenode:8020/bench (default: a "
            + "temporary folder, removed afterwards).")
    String dir;
    @Option(names = "--skip-join", description = "Skip the point-in-time join section.")
    boolean skipJoin;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        dev.segue.cli.CliConvention.main(new StoreBenchCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (rows < 1 || dim < 1 || reps < 1 || lookups < 1 || joinRows < 1 || joinKeys < 1
                || (joinEntities != null && joinEntities < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--rows, --dim, --reps, --lookups, --join-rows, --join-entities and --join-keys must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean temp = dir == null;
        Path root = temp ? Files.createTempDirectory("segue-bench-store") : null;
        try {
            run(temp ? FeatureStore.open(root) : FeatureStore.open(dir), out);
            return 0;
        } finally {
            if (temp) {
                deleteTree(root);
            }
        }
    }

    private void run(FeatureStore store, PrintWriter out) {
        double logicalMb = rows * (4.0 + 4.0 * dim) / 1e6;
        out.printf(Locale.ROOT, "segue bench store: %,d rows x %d-dim float32 embeddings + int32 key (%.0f MB logical), "
                        + "%d reps (medians), %d cores, max heap %d MB, java %s%n", rows, dim, logicalMb, reps,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"));
        out.flush();
        List<Batch> data = embeddingBatches(rows, dim, 1 << 16);

        for (boolean zstd : new boolean[]{true, false}) {
            String label = zstd ? "zstd" : "none";
            FeatureSetSchema s = FeatureSetSchema.builder("bench_" + label).entityKey("track_id", FeatureType.INT32)
                    .embedding("factors", dim, "random gaussian factors").build();
            double[] write = new double[reps];
            long fileBytes = 0;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                try (FeatureSetWriter w = store.writer(s, WriteOptions.producer("bench").compression(zstd))) {
                    for (Batch b : data) {
                        w.append(b);
                    }
                    w.commit();
                }
                write[r] = (System.nanoTime() - t0) / 1e9;
                fileBytes = store.latest(s.name()).totalBytes();
                store.gc(s.name(), 1);
            }
            double w = median(write);
            out.printf(Locale.ROOT, "write %-4s  median %6.2f s  %7.1f MB/s  (files %.0f MB, ratio %.2f; runs %s)%n", label, w,
                    logicalMb / w, fileBytes / 1e6, rows * (4.0 + 4.0 * dim) / fileBytes, fmt(write));
            out.flush();
            double[] scan = new double[reps];
            for (int r = 0; r < reps; r++) {
                System.gc();
                long t0 = System.nanoTime();
                try (FeatureSetReader reader = store.read(s.name())) {
                    Table t = reader.readAll(List.of("track_id", "factors"));
                    if (t.rows() != rows) {
                        throw new IllegalStateException("read " + t.rows() + " rows, wrote " + rows);
                    }
                }
                scan[r] = (System.nanoTime() - t0) / 1e9;
            }
            double sc = median(scan);
            out.printf(Locale.ROOT, "scan  %-4s  median %6.2f s  %7.1f MB/s  (readAll of both columns; runs %s)%n", label, sc,
                    logicalMb / sc, fmt(scan));
            out.flush();
        }

        // open = manifest + size checks + key index load; build = the sort a commit performs
        long[] keys = new long[rows];
        int k = 0;
        for (Batch b : data) {
            for (int id : b.ints("track_id")) keys[k++] = id;
        }
        double[] build = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            KeyIndex.of(keys, null);
            build[r] = (System.nanoTime() - t0) / 1e9;
        }
        double[] open = new double[reps];
        double[] look = new double[reps];
        double[] lookRows = new double[reps];
        SplittableRandom rnd = new SplittableRandom(99);
        long found = 0;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            try (FeatureSetReader reader = store.read("bench_zstd")) {
                open[r] = (System.nanoTime() - t0) / 1e9;
                long[] probe = new long[lookups];
                for (int i = 0; i < lookups; i++) probe[i] = keys[rnd.nextInt(rows)];
                long t1 = System.nanoTime();
                for (long key : probe) {
                    if (reader.rowOf(key) >= 0) found++;
                }
                look[r] = (System.nanoTime() - t1) / 1e6;
                if (r == 0) {
                    reader.preload(List.of());
                }
                if (r == 0) {
                    long t2 = System.nanoTime();
                    for (long key : probe) {
                        if (reader.lookup(key).isPresent()) found++;
                    }
                    lookRows[r] = (System.nanoTime() - t2) / 1e6;
                }
            }
        }
        out.printf(Locale.ROOT, "index build (commit-time sort of %,d keys)  median %.3f s  (runs %s)%n", rows, median(build), fmt(build));
        out.printf(Locale.ROOT, "open + load key index (%,d keys)           median %.3f s  (runs %s)   target <= 2 s%n", rows, median(open), fmt(open));
        out.printf(Locale.ROOT, "%,d random lookups key->row after open     median %.3f ms (runs %s)   target <= 5 ms%n", lookups,
                median(look), fmt(look));
        out.printf(Locale.ROOT, "%,d random lookups of whole rows (preloaded table) %.3f ms%n", lookups, lookRows[0]);
        if (found != (long) lookups * reps + lookups) {
            throw new IllegalStateException("lookups found " + found + " rows");
        }
        out.flush();
        data = null;
        keys = null;
        if (!skipJoin) {
            join(store, out);
        }
    }

    private void join(FeatureStore store, PrintWriter out) {
        System.gc();
        SplittableRandom rnd = new SplittableRandom(5);
        long t0 = 1_700_000_000_000_000L;
        long span = 365L * 86_400_000_000L;
        FeatureSetSchema s = FeatureSetSchema.builder("bench_events").entityKey("user", FeatureType.INT64)
                .eventTimestamp("ts").column("value", FeatureType.FLOAT32, "random value").build();
        try (FeatureSetWriter w = store.writer(s, WriteOptions.producer("bench").compression(true))) {
            int chunk = 1 << 20;
            for (int at = 0; at < joinRows; at += chunk) {
                int n = Math.min(chunk, joinRows - at);
                long[] u = new long[n];
                long[] ts = new long[n];
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    u[i] = rnd.nextInt(joinKeys);
                    ts[i] = t0 + rnd.nextLong(span);
                    v[i] = (float) rnd.nextDouble();
                }
                w.append(Batch.builder(n).longs("user", u).timestamps("ts", ts).floats("value", v).build());
            }
            w.commit();
        }
        int entityRows = joinEntities == null ? joinRows : joinEntities;
        long[] ek = new long[entityRows];
        long[] et = new long[entityRows];
        for (int i = 0; i < entityRows; i++) {
            ek[i] = rnd.nextInt(joinKeys);
            et[i] = t0 + rnd.nextLong(span);
        }
        if (entitiesOut != null) {
            writeEntities(entitiesOut, ek, et);
        }
        PointInTimeJoin join = PointInTimeJoin.builder().feature(store, "bench_events", "latest", java.time.Duration.ofDays(30)).build();
        double[] secs = new double[reps];
        double[] cpu = new double[reps];
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long heapPeak = 0;
        long matched = 0;
        for (int r = 0; r < reps; r++) {
            System.gc();
            resetPeaks();
            long baseline = heapUsed();
            long a = System.nanoTime();
            long c = threads.getCurrentThreadCpuTime();
            PointInTimeJoin.Matches m = join.join(ek, et);
            cpu[r] = (threads.getCurrentThreadCpuTime() - c) / 1e9;
            secs[r] = (System.nanoTime() - a) / 1e9;
            heapPeak = Math.max(heapPeak, peakHeap() - baseline);
            matched = Arrays.stream(m.rows(0)).filter(x -> x >= 0).count();
        }
        double med = median(secs);
        out.printf(Locale.ROOT, "point-in-time join: %,d entity rows x %,d feature rows (%,d keys, ttl 30 d)  median %.3f s  "
                        + "%.2f M probe rows/s  (runs %s; %.1f%% matched; join heap above inputs <= %d MB)   target >= 5 M rows/s%n",
                entityRows, joinRows, joinKeys, med, entityRows / med / 1e6, fmt(secs), 100.0 * matched / entityRows, heapPeak >> 20);
        out.printf(Locale.ROOT, "point-in-time join CPU time of the joining thread: median %.3f s = %.2f M probe rows per CPU-second "
                + "(runs %s; the join is single-threaded, so on an otherwise idle core wall time ~ CPU time)%n",
                median(cpu), entityRows / median(cpu) / 1e6, fmt(cpu));
        out.printf(Locale.ROOT, "heap: max %d MB, in use now %d MB%n", Runtime.getRuntime().maxMemory() >> 20, heapUsed() >> 20);
        out.flush();
    }

    private static void writeEntities(Path file, long[] keys, long[] micros) {
        FeatureSetSchema s = FeatureSetSchema.builder("bench_entities").entityKey("user", FeatureType.INT64)
                .eventTimestamp("event_timestamp").build();
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE);
             dev.segue.store.ArrowPartWriter w = new dev.segue.store.ArrowPartWriter(ch, s, WriteOptions.producer("bench").compression(false))) {
            w.append(Batch.builder(keys.length).longs("user", keys).timestamps("event_timestamp", micros).build(), 0, keys.length);
            w.finish();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("--entities-out " + file + ": " + e.getMessage(), e);
        }
    }

    /** Batches of {@code batchRows} rows with shuffled unique keys and gaussian embeddings. */
    static List<Batch> embeddingBatches(int rows, int dim, int batchRows) {
        SplittableRandom rnd = new SplittableRandom(42);
        int[] ids = new int[rows];
        for (int i = 0; i < rows; i++) ids[i] = i;
        for (int i = rows - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        List<Batch> out = new ArrayList<>();
        for (int at = 0; at < rows; at += batchRows) {
            int n = Math.min(batchRows, rows - at);
            float[] f = new float[n * dim];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) gaussian(rnd);
            }
            out.add(Batch.builder(n).ints("track_id", Arrays.copyOfRange(ids, at, at + n)).embeddings("factors", f).build());
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v) * 0.1;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String fmt(double[] xs) {
        StringBuilder sb = new StringBuilder();
        for (double x : xs) sb.append(sb.length() > 0 ? " " : "").append(String.format(Locale.ROOT, "%.3f", x));
        return sb.toString();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long s = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) s += p.getPeakUsage().getUsed();
        }
        return s;
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
