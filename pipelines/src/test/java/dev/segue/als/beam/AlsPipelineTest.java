package dev.segue.als.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.als.Gram;
import dev.segue.als.RowSolver;
import dev.segue.als.WrmfParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

/** The ALS transform against an in-memory ALS with exact (Cholesky) row solves, exchanges and reruns. */
class AlsPipelineTest {
    static final Map<String, float[]> FACTORS = new ConcurrentHashMap<>();
    static final Map<String, double[]> LOSSES = new ConcurrentHashMap<>();

    /** A random sparse confidence matrix: users × items, both sides as row blocks. */
    record Matrix(int users, int items, int[] userStart, int[] userCols, float[] userConf) {
        static Matrix random(int users, int items, int perUser, long seed) {
            Random rnd = new Random(seed);
            int[] start = new int[users + 1];
            List<Integer> cols = new ArrayList<>();
            List<Float> conf = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                int[] picked = rnd.ints(0, items).distinct().limit(1 + rnd.nextInt(perUser)).sorted().toArray();
                for (int i : picked) {
                    cols.add(i);
                    conf.add(1f + 20f * (1 + rnd.nextInt(2)));
                }
                start[u + 1] = cols.size();
            }
            return new Matrix(users, items, start, cols.stream().mapToInt(Integer::intValue).toArray(),
                    toFloats(conf));
        }

        private static float[] toFloats(List<Float> v) {
            float[] out = new float[v.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = v.get(i);
            }
            return out;
        }

        /** Rows {@code from..to-1} of the user side as a block. */
        RowBlock userBlock(int id, int from, int to) {
            int[] rs = new int[to - from + 1];
            for (int r = from; r <= to; r++) {
                rs[r - from] = userStart[r] - userStart[from];
            }
            return new RowBlock(id, from, rs, Arrays.copyOfRange(userCols, userStart[from], userStart[to]),
                    Arrays.copyOfRange(userConf, userStart[from], userStart[to]), null, 0, null);
        }

        /** The transpose as one CSR: item rows with users ascending. */
        int[][] itemCsr() {
            int[] start = new int[items + 1];
            for (int c : userCols) {
                start[c + 1]++;
            }
            for (int i = 0; i < items; i++) {
                start[i + 1] += start[i];
            }
            int[] cols = new int[userCols.length];
            int[] fill = Arrays.copyOf(start, items);
            float[] conf = new float[userCols.length];
            for (int u = 0; u < users; u++) {
                for (int k = userStart[u]; k < userStart[u + 1]; k++) {
                    int at = fill[userCols[k]]++;
                    cols[at] = u;
                    conf[at] = userConf[k];
                }
            }
            itemConf = conf;
            return new int[][] {start, cols};
        }

        static float[] itemConf;

        RowBlock itemBlock(int id, int from, int to) {
            int[][] csr = itemCsr();
            int[] rs = new int[to - from + 1];
            for (int r = from; r <= to; r++) {
                rs[r - from] = csr[0][r] - csr[0][from];
            }
            return new RowBlock(id, from, rs, Arrays.copyOfRange(csr[1], csr[0][from], csr[0][to]),
                    Arrays.copyOfRange(itemConf, csr[0][from], csr[0][to]), null, 0, null);
        }
    }

    static final class Collect extends DoFn<RowBlock, Void> {
        private final String key;
        private final int total;

        Collect(String key, int total) {
            this.key = key;
            this.total = total;
        }

        @ProcessElement
        public void process(@Element RowBlock b) {
            float[] all = FACTORS.computeIfAbsent(key, k -> new float[total]);
            synchronized (all) {
                System.arraycopy(b.factors(), 0, all, b.rowOffset() * b.dim(), b.rows() * b.dim());
            }
        }
    }

    static final class CollectLoss extends DoFn<double[], Void> {
        private final String key;

        CollectLoss(String key) {
            this.key = key;
        }

        @ProcessElement
        public void process(@Element double[] losses) {
            LOSSES.put(key, losses);
        }
    }

    private static void run(String key, Matrix m, AlsConfig config) {
        run(m, Map.of(key, config));
    }

    /** One pipeline with an independent ALS branch per entry (one runner start for several variants). */
    private static void run(Matrix m, Map<String, AlsConfig> configs) {
        PipelineOptions o = PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--targetParallelism=2",
                "--enforceImmutability=false", "--enforceEncodability=false").create();
        Pipeline p = Pipeline.create(o);
        int third = m.users() / 3;
        int half = m.items() / 2;
        List<RowBlock> users = List.of(m.userBlock(0, 0, third), m.userBlock(1, third, 2 * third),
                m.userBlock(2, 2 * third, m.users()));
        List<RowBlock> items = List.of(m.itemBlock(0, 0, half), m.itemBlock(1, half, m.items()));
        PCollectionTuple input = PCollectionTuple
                .of(ImplicitAls.USERS, p.apply("Users", Create.of(users).withCoder(RowBlock.Coder.of())))
                .and(ImplicitAls.ITEMS, p.apply("Items", Create.of(items).withCoder(RowBlock.Coder.of())));
        for (Map.Entry<String, AlsConfig> e : configs.entrySet()) {
            String key = e.getKey();
            ImplicitAls.Result r = input.apply("ALS " + key, new ImplicitAls(e.getValue()));
            int d = e.getValue().factors();
            r.users().apply("CollectUsers " + key, ParDo.of(new Collect(key + "/users", m.users() * d)));
            r.items().apply("CollectItems " + key, ParDo.of(new Collect(key + "/items", m.items() * d)));
            r.lossHistory().apply("CollectLoss " + key, ParDo.of(new CollectLoss(key)));
        }
        p.run().waitUntilFinish();
    }

    private static AlsConfig config(int d, int iterations, int cgSteps, long seed, FactorExchange exchange, long limit) {
        return new AlsConfig(new WrmfParams(20, 0.5, cgSteps, false, 1), d, iterations, seed, 0.1, exchange, limit);
    }

    private static void assertNonIncreasing(double[] losses) {
        for (int i = 1; i < losses.length; i++) {
            assertTrue(losses[i] <= losses[i - 1], "loss went up at iteration " + (i + 1) + ": " + Arrays.toString(losses));
        }
    }

    @Test
    void convergedConjugateGradientMatchesExactCholeskyAls() {
        Matrix m = Matrix.random(30, 20, 6, 3);
        int d = 4;
        int iterations = 3;
        AlsConfig config = config(d, iterations, 4 * d, 7, FactorExchange.BROADCAST, 0);
        run("exact", m, config);

        // Reference: the same initial factors, every row solved exactly by Cholesky.
        float[] x = BlockMath.init(0, m.users(), d, 7, 0, 0.1);
        float[] y = BlockMath.init(0, m.items(), d, 7, 1, 0.1);
        int[][] itemCsr = m.itemCsr();
        float[] itemConf = Matrix.itemConf;
        RowSolver solver = new RowSolver(d);
        double lambda = config.wrmf().regularization();
        double[] losses = new double[iterations];
        for (int it = 0; it < iterations; it++) {
            double[] gy = Gram.compute(y, m.items(), d);
            for (int u = 0; u < m.users(); u++) {
                copy(solver.exact(gy, lambda, y, m.userCols(), m.userConf(), m.userStart()[u], m.userStart()[u + 1]), x, u * d);
            }
            double[] gx = Gram.compute(x, m.users(), d);
            double loss = lambda * Gram.trace(gx, d);
            for (int i = 0; i < m.items(); i++) {
                copy(solver.exact(gx, lambda, x, itemCsr[1], itemConf, itemCsr[0][i], itemCsr[0][i + 1]), y, i * d);
                loss += solver.loss(gx, lambda, x, itemCsr[1], itemConf, itemCsr[0][i], itemCsr[0][i + 1], y, i * d);
            }
            losses[it] = loss;
        }
        assertArrayEquals(x, FACTORS.get("exact/users"), 1e-4f);
        assertArrayEquals(y, FACTORS.get("exact/items"), 1e-4f);
        assertArrayEquals(losses, LOSSES.get("exact"), 1e-6 * losses[0]);
        assertNonIncreasing(LOSSES.get("exact"));
    }

    private static void copy(double[] from, float[] to, int offset) {
        for (int a = 0; a < from.length; a++) {
            to[offset + a] = (float) from[a];
        }
    }

    /** Names of the transforms one ALS of two iterations builds with this configuration. */
    private static List<String> transformNames(AlsConfig config) {
        Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
        Matrix m = Matrix.random(12, 8, 3, 1);
        PCollectionTuple input = PCollectionTuple
                .of(ImplicitAls.USERS, p.apply("Users", Create.of(List.of(m.userBlock(0, 0, 12))).withCoder(RowBlock.Coder.of())))
                .and(ImplicitAls.ITEMS, p.apply("Items", Create.of(List.of(m.itemBlock(0, 0, 8))).withCoder(RowBlock.Coder.of())));
        input.apply("ALS", new ImplicitAls(config));
        List<String> names = new ArrayList<>();
        p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
            @Override
            public CompositeBehavior enterCompositeTransform(org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
                names.add(node.getFullName());
                return CompositeBehavior.ENTER_TRANSFORM;
            }

            @Override
            public void visitPrimitiveTransform(org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
                names.add(node.getFullName());
            }
        });
        return names;
    }

    @Test
    void autoWithFactorFilesBuildsNoShufflePath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        WrmfParams wrmf = config(4, 2, 3, 11, FactorExchange.BROADCAST, 0).wrmf();
        List<String> withFiles = transformNames(
                new AlsConfig(wrmf, 4, 2, 11, 0.1, FactorExchange.AUTO, 0, tmp.toString()));
        List<String> withoutFiles = transformNames(config(4, 2, 3, 11, FactorExchange.AUTO, 0));
        // Every half-iteration of the run-time-routed AUTO joins row requests and routes blocks; with factor
        // files none of that is built (the DirectRunner's scheduler pays for every transform in the graph).
        assertTrue(withoutFiles.stream().anyMatch(n -> n.contains("JoinRequests")), "routed AUTO has the shuffle path");
        assertTrue(withoutFiles.stream().anyMatch(n -> n.contains("RouteBlocks")), "routed AUTO routes blocks");
        assertFalse(withFiles.stream().anyMatch(n -> n.contains("JoinRequests") || n.contains("Route")
                || n.contains("RowRequests") || n.contains("Layout")), "AUTO with factor files: " + withFiles);
        assertTrue(withFiles.stream().anyMatch(n -> n.contains("SolveBroadcast")));
        assertTrue(withFiles.size() * 3 < withoutFiles.size() * 2,
                withFiles.size() + " transforms with factor files vs " + withoutFiles.size() + " routed");
    }

    @Test
    void exchangesAgreeBitForBitAndRunsAreReproducible(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        Matrix m = Matrix.random(60, 40, 10, 5);
        Map<String, AlsConfig> variants = new java.util.LinkedHashMap<>();
        WrmfParams wrmf = config(6, 5, 3, 11, FactorExchange.BROADCAST, 0).wrmf();
        String filesDir = tmp.resolve("files").toString();
        String autoDir = tmp.resolve("auto").toString();
        variants.put("files", new AlsConfig(wrmf, 6, 5, 11, 0.1, FactorExchange.FILES, 1 << 20, filesDir));
        variants.put("auto-files", new AlsConfig(wrmf, 6, 5, 11, 0.1, FactorExchange.AUTO, 0, autoDir));
        variants.put("broadcast", config(6, 5, 3, 11, FactorExchange.BROADCAST, 0));
        variants.put("shuffle", config(6, 5, 3, 11, FactorExchange.SHUFFLE, 0));
        variants.put("auto-shuffled", config(6, 5, 3, 11, FactorExchange.AUTO, 0));
        variants.put("auto-broadcast", config(6, 5, 3, 11, FactorExchange.AUTO, 1 << 20));
        variants.put("other-seed", config(6, 5, 3, 12, FactorExchange.BROADCAST, 0));
        run(m, variants);
        run("broadcast-again", m, config(6, 5, 3, 11, FactorExchange.BROADCAST, 0)); // a second, separate run
        for (String side : new String[] {"/users", "/items"}) {
            float[] reference = FACTORS.get("broadcast" + side);
            assertArrayEquals(reference, FACTORS.get("shuffle" + side), side);
            assertArrayEquals(reference, FACTORS.get("auto-shuffled" + side), side);
            assertArrayEquals(reference, FACTORS.get("auto-broadcast" + side), side);
            assertArrayEquals(reference, FACTORS.get("files" + side), side);
            assertArrayEquals(reference, FACTORS.get("auto-files" + side), side);
            assertArrayEquals(reference, FACTORS.get("broadcast-again" + side), side);
            assertFalse(Arrays.equals(reference, FACTORS.get("other-seed" + side)), side);
        }
        assertArrayEquals(LOSSES.get("broadcast"), LOSSES.get("shuffle"));
        assertEquals(5, LOSSES.get("broadcast").length);
        assertNonIncreasing(LOSSES.get("broadcast"));
        assertNonIncreasing(LOSSES.get("other-seed"));
        // Each side's older factor files were deleted as the next version was written: after 5 iterations only
        // the item factors of iteration 4 (read by the last user half) and the user factors of iteration 5 remain.
        for (String dir : List.of(filesDir, autoDir)) {
            try (var listing = java.nio.file.Files.list(java.nio.file.Path.of(dir))) {
                assertEquals(List.of("items-4.f32", "users-5.f32"),
                        listing.map(f -> f.getFileName().toString()).sorted().toList(), dir);
            }
            FactorFiles.deleteRun(dir);
            assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of(dir)), dir);
        }
    }
}
