package dev.segue.serving.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segue.serving.index.Candidates;
import dev.segue.serving.index.FactorMatrix;
import dev.segue.serving.index.HnswParams;
import dev.segue.store.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ANN peers of {@code segue bench ann --peers}: C++ hnswlib and FAISS, run by {@code tools/bench/ann_peer.py}
 * with Debian's {@code /usr/bin/python3} on the same vectors, queries and exact top-500 (exported to scratch
 * files in the same run), and compared with Segue at equal recall: for each Segue setting, the peer's q/s at the
 * same recall, interpolated linearly between the two peer settings around it. A peer that is not installed is
 * skipped with a note naming what to install.
 */
public final class AnnPeers {
    /** The peers, in the order they run. */
    public static final List<String> KNOWN = List.of("hnswlib", "faiss");

    /**
     * One search setting: results per query, beam (0: exact), mean recall@k and single-thread q/s per wall-clock
     * second and per CPU second (NaN when not measured).
     */
    public record Point(int k, int ef, double recall, double qps, double cpuQps) {}

    /** A peer's run: its points, or {@code missing} (why it was skipped). */
    public record Result(String library, String version, double buildSeconds, int buildThreads, List<Point> points,
                         String missing) {
        public List<Point> points(int k) {
            return points.stream().filter(p -> p.k() == k).toList();
        }
    }

    private final Path python;
    private final Path script;
    private final Path scratch;
    private final int passes;
    private boolean exported;

    public AnnPeers(Path python, Path script, Path scratch, int passes) {
        this.python = python;
        this.script = script;
        this.scratch = scratch;
        this.passes = passes;
    }

    /** {@code tools/bench/ann_peer.py} under {@code -Dsegue.home} (set by bin/segue), else under the working folder. */
    public static Path defaultScript() {
        String home = System.getProperty("segue.home");
        return (home == null ? Path.of("") : Path.of(home)).resolve("tools/bench/ann_peer.py");
    }

    /** Runs one peer; a missing Python, script or library gives a result with {@code missing} set. */
    public Result run(String library, FactorMatrix f, List<float[]> queries, Candidates[] truth, HnswParams build,
                      int threads) throws IOException, InterruptedException {
        if (!KNOWN.contains(library)) {
            throw new IllegalArgumentException("unknown ANN peer \"" + library + "\"; known: " + String.join(", ", KNOWN));
        }
        if (!Files.isExecutable(python)) {
            return missing(library, python + " not found (Debian's python3 runs the peers)");
        }
        if (!Files.isRegularFile(script)) {
            return missing(library, "peer script " + script.toAbsolutePath() + " not found (run from a Segue checkout)");
        }
        if (!exported) {
            export(f, queries, truth);
            exported = true;
        }
        List<String> cmd = List.of(python.toString(), script.toAbsolutePath().toString(), "--library", library,
                "--base", scratch.resolve("base.f32").toString(), "--queries", scratch.resolve("queries.f32").toString(),
                "--truth", scratch.resolve("truth.i32").toString(), "--dim", Integer.toString(f.dim()),
                "--m", Integer.toString(build.m()), "--ef-construction", Integer.toString(build.efConstruction()),
                "--threads", Integer.toString(threads), "--passes", Integer.toString(passes));
        Path log = scratch.resolve(library + ".err");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            String err = Files.exists(log) ? Files.readString(log).trim() : "";
            String last = err.isEmpty() ? "" : err.substring(err.lastIndexOf('\n') + 1);
            return missing(library, "the peer script failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + "): "
                    + last);
        }
        return parse(library, stdout);
    }

    static Result parse(String library, String json) throws IOException {
        JsonNode n = Json.MAPPER.readTree(json.substring(json.lastIndexOf('\n') + 1));
        if (n.has("missing")) {
            return missing(library, n.get("missing").asText() + " (install: tools/bench/install-peers.sh)");
        }
        List<Point> points = new ArrayList<>();
        for (JsonNode p : n.get("points")) {
            points.add(new Point(p.get("k").asInt(), p.get("ef").asInt(), p.get("recall").asDouble(),
                    p.get("qps").asDouble(), p.path("cpu_qps").isNumber() ? p.get("cpu_qps").asDouble() : Double.NaN));
        }
        return new Result(library, n.path("version").asText("?"), n.path("build_seconds").asDouble(Double.NaN),
                n.path("build_threads").asInt(0), points, null);
    }

    private static Result missing(String library, String why) {
        return new Result(library, null, Double.NaN, 0, List.of(), why);
    }

    private void export(FactorMatrix f, List<float[]> queries, Candidates[] truth) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(scratch.resolve("base.f32")), 1 << 20)) {
            writeFloats(out, f.values(), f.rows() * f.dim());
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(scratch.resolve("queries.f32")))) {
            for (float[] q : queries) {
                writeFloats(out, q, q.length);
            }
        }
        int width = truth.length == 0 ? 0 : truth[0].size();
        ByteBuffer b = ByteBuffer.allocate(4 * width).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(scratch.resolve("truth.i32")))) {
            for (Candidates t : truth) {
                if (t.size() != width) {
                    throw new IllegalStateException("exact answers of unequal length: " + t.size() + " vs " + width);
                }
                b.clear();
                for (int i = 0; i < width; i++) {
                    b.putInt(t.ids()[i]);
                }
                out.write(b.array(), 0, 4 * width);
            }
        }
    }

    private static void writeFloats(OutputStream out, float[] v, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; ) {
            b.clear();
            int m = Math.min(4096, n - i);
            for (int j = 0; j < m; j++) {
                b.putFloat(v[i + j]);
            }
            out.write(b.array(), 0, 4 * m);
            i += m;
        }
    }

    /**
     * The peer's q/s at {@code recall}, linear between its two settings around it (by recall), or NaN when the
     * recall is outside the peer's range.
     */
    static double qpsAtRecall(List<Point> peer, double recall) {
        return atRecall(peer, recall, false);
    }

    /** As {@link #qpsAtRecall}, of the per-CPU-second rate ({@code cpu}) or the wall-clock one. */
    static double atRecall(List<Point> peer, double recall, boolean cpu) {
        List<Point> sorted = new ArrayList<>(peer);
        sorted.sort(Comparator.comparingDouble(Point::recall));
        for (int i = 0; i < sorted.size(); i++) {
            Point hi = sorted.get(i);
            if (hi.recall() >= recall) {
                double h = cpu ? hi.cpuQps() : hi.qps();
                if (hi.recall() == recall || i == 0) {
                    return hi.recall() == recall ? h : Double.NaN;
                }
                Point lo = sorted.get(i - 1);
                double l = cpu ? lo.cpuQps() : lo.qps();
                double t = (recall - lo.recall()) / (hi.recall() - lo.recall());
                return l + t * (h - l);
            }
        }
        return Double.NaN;
    }

    /** Segue's points (ef = its beam) against one peer's at equal recall, for one k. */
    static void printComparison(PrintStream out, List<Point> segue, Result peer, int k) {
        List<Point> theirs = peer.points(k);
        if (theirs.isEmpty()) {
            return;
        }
        double lo = theirs.stream().mapToDouble(Point::recall).min().orElse(0);
        double hi = theirs.stream().mapToDouble(Point::recall).max().orElse(0);
        out.printf("k=%d, Segue vs %s at equal recall (the peer's q/s interpolated; its recall range %.4f-%.4f)%n", k,
                peer.library(), lo, hi);
        out.printf("  beam  recall@%-3d  Segue QPS  %9s QPS  Segue/peer  Segue/CPU-s  %9s/CPU-s  Segue/peer%n", k,
                peer.library(), peer.library());
        Point best = theirs.stream().max(Comparator.comparingDouble(Point::recall)).orElseThrow();
        boolean above = false;
        for (Point s : segue) {
            double q = atRecall(theirs, s.recall(), false);
            double c = atRecall(theirs, s.recall(), true);
            String ratio = Double.isNaN(q) ? "-" : String.format("%.2f", s.qps() / q);
            String cpuRatio = Double.isNaN(c) || Double.isNaN(s.cpuQps()) ? "-" : String.format("%.2f", s.cpuQps() / c);
            if (Double.isNaN(q) && s.recall() > best.recall()) {
                // above the peer's best recall: against its best setting, a bound if its q/s falls as recall rises
                above = true;
                ratio = String.format(">=%.2f", s.qps() / best.qps());
                cpuRatio = Double.isNaN(s.cpuQps()) ? "-" : String.format(">=%.2f", s.cpuQps() / best.cpuQps());
            }
            out.printf("%6d      %.4f  %9.1f  %13s  %10s  %11.1f  %15s  %10s%n", s.ef(), s.recall(), s.qps(),
                    fmt(q, "%.1f"), ratio, s.cpuQps(), fmt(c, "%.1f"), cpuRatio);
        }
        if (above) {
            out.printf(">=: Segue's recall is above the peer's best (%.4f at ef %d); the ratio is against that "
                    + "setting, a lower bound if the peer's q/s falls as its recall rises%n", best.recall(), best.ef());
        }
        out.printf("%s settings: %s%n", peer.library(), String.join(", ", theirs.stream()
                .map(p -> String.format("ef %d: %.4f @ %.0f QPS (%.0f per CPU-s)", p.ef(), p.recall(), p.qps(),
                        p.cpuQps())).toList()));
    }

    private static String fmt(double v, String format) {
        return Double.isNaN(v) ? "n/a" : String.format(format, v);
    }
}
