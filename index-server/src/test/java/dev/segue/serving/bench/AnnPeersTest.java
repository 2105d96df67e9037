package dev.segue.serving.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.Candidates;
import dev.segue.serving.index.ExactScan;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.index.RowFilter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnPeersTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT = Path.of("../tools/bench/ann_peer.py"); // tests run in the module folder

    static boolean installed(String library) throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import numpy, " + library).start();
        return p.waitFor() == 0;
    }

    @Test
    void equalRecallInterpolatesBetweenThePeersSettings() {
        List<AnnPeers.Point> peer = List.of(new AnnPeers.Point(10, 40, 0.90, 1000, 2000),
                new AnnPeers.Point(10, 10, 0.80, 3000, 6000), new AnnPeers.Point(10, 80, 0.95, 500, 1000));
        assertEquals(2000, AnnPeers.qpsAtRecall(peer, 0.85), 1e-6);
        assertEquals(1000, AnnPeers.qpsAtRecall(peer, 0.90), 1e-6);
        assertEquals(750, AnnPeers.qpsAtRecall(peer, 0.925), 1e-6);
        assertTrue(Double.isNaN(AnnPeers.qpsAtRecall(peer, 0.97)), "above the peer's range");
        assertTrue(Double.isNaN(AnnPeers.qpsAtRecall(peer, 0.5)), "below the peer's range");
        assertEquals(4000, AnnPeers.atRecall(peer, 0.85, true), 1e-6);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AnnPeers.printComparison(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                List.of(new AnnPeers.Point(10, 20, 0.85, 3000, 6000), new AnnPeers.Point(10, 30, 0.99, 1000, 2000)),
                new AnnPeers.Result("hnswlib", "test", 1, 1, peer, null), 10);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("2000.0        1.50"), "equal recall 0.85: 3000 against 2000 q/s\n" + out);
        assertTrue(out.contains(">=2.00"), "above the peer's best (0.95 at 500 q/s): 1000 / 500\n" + out);
        assertTrue(out.contains("above the peer's best (0.9500 at ef 80)"), out);
    }

    /** --runs: per-run ratios at fixed recalls (both curves interpolated), then the median and spread over runs. */
    @Test
    void severalRunsAreSummarisedByTheMedianOfTheirRatios() {
        List<AnnPeers.Point> peer = List.of(new AnnPeers.Point(10, 10, 0.94, 3000, 3000),
                new AnnPeers.Point(10, 40, 0.98, 1000, 1000));
        List<AnnBenchmark.Run> runs = new java.util.ArrayList<>();
        double[] segueQps = {500, 1500, 1000};
        for (double q : segueQps) {
            runs.add(new AnnBenchmark.Run(2.0, List.of(new AnnPeers.Point(10, 16, 0.96, q, q),
                    new AnnPeers.Point(10, 50, 0.99, q / 2, q / 2)),
                    List.of(new AnnPeers.Result("hnswlib", "t", 3.0, 2, peer, null),
                            new AnnPeers.Result("faiss", null, Double.NaN, 0, List.of(), "not installed"))));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AnnBenchmark.summarize(runs, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("summary of 3 runs"), out);
        assertTrue(out.contains("build, hnswlib s / Segue s (same threads): 1.50 (1.50-1.50)"), out);
        // at 0.96 the peer interpolates to 2000 q/s, Segue has 500 / 1500 / 1000
        assertTrue(out.contains("recall 0.960: 0.50 (0.25-0.75) (3 of 3 runs)"), out);
        // at 0.98: Segue interpolates two thirds of the way from q (0.96) to q/2 (0.99), 2q/3; the peer has 1000
        assertTrue(out.contains("recall 0.980: 0.67 (0.33-1.00) (3 of 3 runs)"), out);
        assertTrue(!out.contains("recall 0.990"), "above the peer's range\n" + out);
        assertTrue(out.contains("k=500, Segue / hnswlib: no recall level both reached in any run"), out);
        assertTrue(!out.contains("faiss"), "faiss has no graph to compare\n" + out);
    }

    @Test
    void aMissingPeerIsSkippedWithANote(@TempDir Path dir) throws Exception {
        BenchData data = BenchData.synthetic(300, 8, 3, 5, 1);
        AnnPeers noPython = new AnnPeers(dir.resolve("no-python"), SCRIPT, dir, 1);
        AnnPeers.Result r = noPython.run("hnswlib", data.factors(), data.queries(), new Candidates[0],
                HnswParams.defaults(), 1);
        assertTrue(r.missing().contains("no-python not found"), r.missing());
        AnnPeers.Result parsed = AnnPeers.parse("faiss", "{\"library\": \"faiss\", \"missing\": \"cannot import faiss\"}");
        assertTrue(parsed.missing().contains("cannot import faiss (install: tools/bench/install-peers.sh)"), parsed.missing());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new AnnBenchmark(data, new HnswParams(8, 40, 10), 1, 1, new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .withPeers(noPython, List.of("hnswlib", "faiss"))
                .run(new int[] {10}, new double[] {1}, dir, null, dev.segue.serving.index.BuildProgress.NONE);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("peer hnswlib: skipped: " + dir.resolve("no-python") + " not found"), out);
        assertTrue(out.contains("peer faiss: skipped: "), out);
        // the dot product every score came from (surefire runs with the Vector API module: the SIMD one)
        assertTrue(out.contains("dot product " + dev.segue.math.VectorUtil.implementation()), out);
        assertTrue(out.contains("dot product simd-128bit"), out);
    }

    @Test
    void thePeersRunOnTheSameVectorsAndQueries(@TempDir Path dir) throws Exception {
        assumeTrue(installed("hnswlib") && installed("faiss"),
                "python3-hnswlib / python3-faiss not installed (tools/bench/install-peers.sh)");
        BenchData data = BenchData.synthetic(2000, 16, 8, 20, 3);
        ExactScan exact = new ExactScan(data.factors());
        Candidates[] truth = new Candidates[data.queries().size()];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = exact.search(data.queries().get(i), 500, RowFilter.ALL, Cancellation.NEVER);
        }
        AnnPeers peers = new AnnPeers(PYTHON, SCRIPT, dir, 1);
        AnnPeers.Result flat = peers.run("faiss", data.factors(), data.queries(), truth, HnswParams.defaults(), 1);
        assertNull(flat.missing());
        assertEquals(2, flat.points().size());
        for (AnnPeers.Point p : flat.points()) {
            assertEquals(1.0, p.recall(), 0.02, "the flat scan is exact on the same vectors: " + p);
            assertTrue(p.qps() > 0 && p.cpuQps() > 0, p.toString());
        }
        AnnPeers.Result hnsw = peers.run("hnswlib", data.factors(), data.queries(), truth, new HnswParams(16, 100, 10), 2);
        assertNull(hnsw.missing());
        assertTrue(hnsw.buildSeconds() > 0);
        double best10 = hnsw.points(10).stream().mapToDouble(AnnPeers.Point::recall).max().orElse(0);
        assertTrue(best10 > 0.9, "hnswlib with a wide beam finds the exact top 10 of the same data: " + hnsw.points(10));
        assertTrue(!hnsw.points(500).isEmpty());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AnnPeers.printComparison(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                List.of(new AnnPeers.Point(10, 50, best10, 1234.5, 2345.5)), hnsw, 10);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("k=10, Segue vs hnswlib at equal recall"), out);
        assertTrue(out.contains("1234.5"), out);
    }
}
