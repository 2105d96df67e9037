package dev.segue.als.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.als.Gram;
import dev.segue.als.RowSolver;
import dev.segue.als.WrmfParams;
import dev.segue.pipelines.testing.TestPipelines;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** The ALS transform against an in-memory ALS with exact (Cholesky) row solves, exchanges and reruns. */
class AlsPipelineTest {
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

    /** Each ALS branch's outputs in one piece: factors keyed "name/users" and "name/items", losses keyed "name". */
    record Trained(PCollection<KV<String, float[]>> factors, PCollection<KV<String, double[]>> losses) {}

    /** All blocks of one side as one row-major array of {@code total} floats, keyed by {@code key}. */
    static final class Assemble extends PTransform<PCollection<RowBlock>, PCollection<KV<String, float[]>>> {
        private final String key;
        private final int total;

        Assemble(String key, int total) {
            this.key = key;
            this.total = total;
        }

        @Override
        public PCollection<KV<String, float[]>> expand(PCollection<RowBlock> blocks) {
            return blocks
                    .apply("OneKey", WithKeys.<String, RowBlock>of(key).withKeyType(TypeDescriptors.strings()))
                    .setCoder(KvCoder.of(StringUtf8Coder.of(), RowBlock.Coder.of()))
                    .apply("AllBlocks", GroupByKey.create())
                    .apply("Copy", ParDo.of(new CopyFn(total)))
                    .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(float[].class)));
        }
    }

    static final class CopyFn extends DoFn<KV<String, Iterable<RowBlock>>, KV<String, float[]>> {
        private final int total;

        CopyFn(int total) {
            this.total = total;
        }

        @ProcessElement
        public void process(@Element KV<String, Iterable<RowBlock>> e, OutputReceiver<KV<String, float[]>> out) {
            float[] all = new float[total];
            for (RowBlock b : e.getValue()) {
                System.arraycopy(b.factors(), 0, all, b.rowOffset() * b.dim(), b.rows() * b.dim());
            }
            out.output(KV.of(e.getKey(), all));
        }
    }

    private static TestPipeline pipeline() {
        return TestPipelines.directUnchecked("--targetParallelism=2");
    }

    private static Trained train(Pipeline p, String key, Matrix m, AlsConfig config) {
        return train(p, m, Map.of(key, config));
    }

    /** An independent ALS branch per entry in one pipeline (one runner start for several variants). */
    private static Trained train(Pipeline p, Matrix m, Map<String, AlsConfig> configs) {
        int third = m.users() / 3;
        int half = m.items() / 2;
        List<RowBlock> users = List.of(m.userBlock(0, 0, third), m.userBlock(1, third, 2 * third),
                m.userBlock(2, 2 * third, m.users()));
        List<RowBlock> items = List.of(m.itemBlock(0, 0, half), m.itemBlock(1, half, m.items()));
        PCollectionTuple input = PCollectionTuple
                .of(ImplicitAls.USERS, p.apply("Users", Create.of(users).withCoder(RowBlock.Coder.of())))
                .and(ImplicitAls.ITEMS, p.apply("Items", Create.of(items).withCoder(RowBlock.Coder.of())));
        List<PCollection<KV<String, float[]>>> factors = new ArrayList<>();
        List<PCollection<KV<String, double[]>>> losses = new ArrayList<>();
        for (Map.Entry<String, AlsConfig> e : configs.entrySet()) {
            String key = e.getKey();
            ImplicitAls.Result r = input.apply("ALS " + key, new ImplicitAls(e.getValue()));
            int d = e.getValue().factors();
            factors.add(r.users().apply("AssembleUsers " + key, new Assemble(key + "/users", m.users() * d)));
            factors.add(r.items().apply("AssembleItems " + key, new Assemble(key + "/items", m.items() * d)));
            losses.add(r.lossHistory()
                    .apply("KeyLoss " + key, WithKeys.<String, double[]>of(key).withKeyType(TypeDescriptors.strings()))
                    .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(double[].class))));
        }
        return new Trained(PCollectionList.of(factors).apply("AllFactors", Flatten.pCollections()),
                PCollectionList.of(losses).apply("AllLosses", Flatten.pCollections()));
    }

    /** The elements as a map, failing on a key seen twice (one assembled array per side and branch). */
    private static <V> Map<String, V> byKey(Iterable<KV<String, V>> kvs) {
        Map<String, V> out = new HashMap<>();
        for (KV<String, V> kv : kvs) {
            assertNull(out.put(kv.getKey(), kv.getValue()), "one value for " + kv.getKey());
        }
        return out;
    }

    /** A branch's factors as one text line (exact float bits), to compare against a separate run. */
    private static String toLine(KV<String, float[]> kv) {
        StringBuilder sb = new StringBuilder(kv.getKey());
        for (float f : kv.getValue()) {
            sb.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(f)));
        }
        return sb.toString();
    }

    private static KV<String, float[]> fromLine(String line) {
        String[] parts = line.split(" ");
        float[] v = new float[parts.length - 1];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[i + 1], 16));
        }
        return KV.of(parts[0], v);
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

        TestPipeline p = pipeline();
        Trained t = train(p, "exact", m, config);
        PAssert.that(t.factors()).satisfies(kvs -> {
            Map<String, float[]> got = byKey(kvs);
            assertArrayEquals(x, got.get("exact/users"), 1e-4f);
            assertArrayEquals(y, got.get("exact/items"), 1e-4f);
            return null;
        });
        PAssert.that(t.losses()).satisfies(kvs -> {
            double[] got = byKey(kvs).get("exact");
            assertArrayEquals(losses, got, 1e-6 * losses[0]);
            assertNonIncreasing(got);
            return null;
        });
        p.run().waitUntilFinish();
    }

    /** The benchmark's in-memory solver runs the pipeline's arithmetic: same blocks, same bits. */
    @Test
    void inMemorySolverGivesThePipelinesFactorsBitForBit() {
        Matrix m = Matrix.random(30, 20, 6, 5);
        AlsConfig config = config(8, 3, 3, 11, FactorExchange.BROADCAST, 0);
        // train() cuts the users into thirds and the items into halves: 10 rows per block on both sides here.
        InMemoryAls.Result mem = InMemoryAls.fit(m.users(), m.items(), m.userStart(), m.userCols(), m.userConf(), config,
                2, 10, null);
        assertEquals(3, mem.iterationSeconds().length);
        float[] users = mem.userFactors();
        float[] items = mem.itemFactors();
        double[] history = mem.lossHistory();
        TestPipeline p = pipeline();
        Trained t = train(p, "mem", m, config);
        PAssert.that(t.factors()).satisfies(kvs -> {
            Map<String, float[]> got = byKey(kvs);
            assertArrayEquals(users, got.get("mem/users"));
            assertArrayEquals(items, got.get("mem/items"));
            return null;
        });
        PAssert.that(t.losses()).satisfies(kvs -> {
            assertArrayEquals(history, byKey(kvs).get("mem"));
            return null;
        });
        p.run().waitUntilFinish();
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
    void factorFilesAreKeptForRecomputingRunnersAndPrunedOtherwise(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        Matrix m = Matrix.random(30, 20, 6, 9);
        WrmfParams wrmf = config(4, 3, 3, 11, FactorExchange.BROADCAST, 0).wrmf();
        java.nio.file.Path pruned = tmp.resolve("pruned");
        java.nio.file.Path kept = tmp.resolve("kept");
        Map<String, AlsConfig> variants = new java.util.LinkedHashMap<>();
        variants.put("pruned", new AlsConfig(wrmf, 4, 3, 11, 0.1, FactorExchange.FILES, 0, pruned.toString(), false));
        variants.put("kept", new AlsConfig(wrmf, 4, 3, 11, 0.1, FactorExchange.FILES, 0, kept.toString(), true));
        variants.put("broadcast", config(4, 3, 3, 11, FactorExchange.BROADCAST, 0));
        TestPipeline p = pipeline();
        Trained t = train(p, m, variants);
        PAssert.that(t.factors()).satisfies(kvs -> {
            Map<String, float[]> got = byKey(kvs);
            for (String side : new String[] {"/users", "/items"}) {
                assertArrayEquals(got.get("broadcast" + side), got.get("kept" + side), side);
                assertArrayEquals(got.get("broadcast" + side), got.get("pruned" + side), side);
            }
            return null;
        });
        p.run().waitUntilFinish();
        // 3 iterations pack each side's factors several times: pruning leaves the newest file per side, keeping
        // leaves every version (a Spark recomputation of an uncached solve reads an earlier one again)
        java.util.Set<String> prunedFiles = fileNames(pruned);
        java.util.Set<String> keptFiles = fileNames(kept);
        assertTrue(keptFiles.containsAll(prunedFiles), keptFiles + " vs " + prunedFiles);
        assertTrue(keptFiles.size() > prunedFiles.size(), keptFiles + " vs " + prunedFiles);
        assertTrue(prunedFiles.size() <= 2, "at most one live version per side: " + prunedFiles);
        for (String newest : prunedFiles) {
            int dash = newest.lastIndexOf('-');
            int version = Integer.parseInt(newest.substring(dash + 1, newest.length() - ".f32".length()));
            String earlier = newest.substring(0, dash) + "-" + (version - 1) + ".f32";
            assertFalse(prunedFiles.contains(earlier), "pruned: " + prunedFiles);
            assertTrue(keptFiles.contains(earlier), earlier + " kept: " + keptFiles);
        }
        FactorFiles.deleteRun(kept.toString());
        assertFalse(java.nio.file.Files.exists(kept), "the run's end removes every kept version");
    }

    private static java.util.Set<String> fileNames(java.nio.file.Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(
                    java.util.TreeSet::new));
        }
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
        TestPipeline p = pipeline();
        Trained t = train(p, m, variants);
        PAssert.that(t.factors()).satisfies(kvs -> {
            Map<String, float[]> got = byKey(kvs);
            for (String side : new String[] {"/users", "/items"}) {
                float[] reference = got.get("broadcast" + side);
                assertArrayEquals(reference, got.get("shuffle" + side), side);
                assertArrayEquals(reference, got.get("auto-shuffled" + side), side);
                assertArrayEquals(reference, got.get("auto-broadcast" + side), side);
                assertArrayEquals(reference, got.get("files" + side), side);
                assertArrayEquals(reference, got.get("auto-files" + side), side);
                assertFalse(Arrays.equals(reference, got.get("other-seed" + side)), side);
            }
            return null;
        });
        PAssert.that(t.losses()).satisfies(kvs -> {
            Map<String, double[]> got = byKey(kvs);
            assertArrayEquals(got.get("broadcast"), got.get("shuffle"));
            assertEquals(5, got.get("broadcast").length);
            assertNonIncreasing(got.get("broadcast"));
            assertNonIncreasing(got.get("other-seed"));
            return null;
        });
        // the broadcast factors leave this run as a text file, for the separate run below to compare against
        String reference = tmp.resolve("broadcast.txt").toString();
        t.factors().apply("BroadcastOnly", Filter.by(kv -> kv.getKey().startsWith("broadcast/")))
                .apply("ToLines", MapElements.into(TypeDescriptors.strings()).via(AlsPipelineTest::toLine))
                .apply("WriteReference", TextIO.write().to(reference).withoutSharding());
        p.run().waitUntilFinish();

        Map<String, float[]> first = new HashMap<>();
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(reference))) {
            KV<String, float[]> kv = fromLine(line);
            first.put(kv.getKey().replace("broadcast/", "broadcast-again/"), kv.getValue());
        }
        assertEquals(2, first.size(), "users and items of the first run");
        TestPipeline again = pipeline();
        Trained second = train(again, "broadcast-again", m, config(6, 5, 3, 11, FactorExchange.BROADCAST, 0));
        PAssert.that(second.factors()).satisfies(kvs -> {
            Map<String, float[]> got = byKey(kvs);
            assertEquals(first.keySet(), got.keySet());
            first.forEach((key, v) -> assertArrayEquals(v, got.get(key), key + ": a second, separate run"));
            return null;
        });
        again.run().waitUntilFinish();
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
