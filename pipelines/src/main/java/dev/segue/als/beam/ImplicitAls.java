package dev.segue.als.beam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Implicit-feedback ALS (WRMF, Hu, Koren &amp; Volinsky 2008) with warm-started conjugate-gradient row solves
 * (Takács et al. 2011), as a composite transform. Input: the user-side and item-side row blocks of the same
 * rating matrix ({@link #USERS}, {@link #ITEMS}; the item side is the transpose of the user side, with the
 * same confidences). Every iteration solves all user rows against the item factors, then all item rows
 * against the new user factors; iterations are unrolled when the pipeline is built (Beam has no loop). The
 * objective is reported after each iteration and collected into {@link Result#lossHistory()}.
 *
 * <p>Given the same data, seed and configuration, the factors are the same on every run and every runner:
 * initial factors depend only on (seed, side, row), rows are solved independently, and the global sums
 * ({@code YᵀY}, the loss) are added exactly in fixed point ({@link FixedPointSum}), so their order does not matter.
 */
public final class ImplicitAls extends PTransform<PCollectionTuple, ImplicitAls.Result> {
    private static final long serialVersionUID = 1L;

    public static final TupleTag<RowBlock> USERS = new TupleTag<>("users") {};
    public static final TupleTag<RowBlock> ITEMS = new TupleTag<>("items") {};

    private final AlsConfig config;

    public ImplicitAls(AlsConfig config) {
        this.config = config;
    }

    @Override
    public Result expand(PCollectionTuple input) {
        PCollection<RowBlock> users = input.get(USERS)
                .apply("InitUsers", ParDo.of(new InitFn(config, 0))).setCoder(RowBlock.Coder.of());
        PCollection<RowBlock> items = input.get(ITEMS)
                .apply("InitItems", ParDo.of(new InitFn(config, 1))).setCoder(RowBlock.Coder.of());
        // The layouts only serve routing and row requests, i.e. the shuffle path.
        PCollectionView<BlockLayout> userLayout = config.buildsShuffle() ? layout(users, "UserLayout") : null;
        PCollectionView<BlockLayout> itemLayout = config.buildsShuffle() ? layout(items, "ItemLayout") : null;
        PCollection<KV<Integer, RowRequest>> userRequests = null;
        PCollection<KV<Integer, RowRequest>> itemRequests = null;
        if (config.buildsShuffle()) {
            userRequests = requests(users, itemLayout, "UserRowRequests");
            itemRequests = requests(items, userLayout, "ItemRowRequests");
        }
        List<PCollection<KV<Integer, Double>>> losses = new ArrayList<>();
        // YᵀY of the initial item factors; afterwards every solve emits its blocks' partial Grams, so each
        // half-iteration's Gram costs one small combine instead of another pass over the factors.
        PCollectionView<double[]> itemGram = gram(items
                .apply("InitialItemGramParts", ParDo.of(new SolveHalf.GramPartFn()))
                .setCoder(new FixedPointSum.VectorCoder()), "InitialItemGram");
        int n = config.iterations();
        for (int it = 1; it <= n; it++) {
            PCollectionTuple userHalf = users.apply("Iteration " + it + "/Users",
                    new SolveHalf(config, it, items, itemGram, itemLayout, userRequests, false, "items", it - 1));
            users = userHalf.get(SolveHalf.BLOCKS);
            PCollectionView<double[]> userGram = gram(userHalf.get(SolveHalf.GRAM_PARTS), "Iteration " + it + "/UserGram");
            PCollectionTuple itemHalf = items.apply("Iteration " + it + "/Items",
                    new SolveHalf(config, it, users, userGram, userLayout, itemRequests, true, "users", it));
            items = itemHalf.get(SolveHalf.BLOCKS);
            itemGram = gram(itemHalf.get(SolveHalf.GRAM_PARTS), "Iteration " + it + "/ItemGram");
            losses.add(itemHalf.get(SolveHalf.LOSS));
        }
        PCollection<double[]> history = PCollectionList.of(losses)
                .apply("AllLosses", Flatten.pCollections())
                .setCoder(KvCoder.of(VarIntCoder.of(), DoubleCoder.of()))
                .apply("LossHistory", Combine.globally(new HistoryFn()))
                .setCoder(new FixedPointSum.VectorCoder());
        return new Result(input.getPipeline(), users, items, history);
    }

    /**
     * The manifest parameters every factor feature set records about training: {@code final_loss} and
     * {@code loss_history} (comma-separated, iteration 1 first).
     */
    public static Map<String, String> lossParameters(double[] history) {
        java.util.StringJoiner joined = new java.util.StringJoiner(",");
        for (double l : history) {
            joined.add(Double.toString(l));
        }
        return Map.of("final_loss", history.length == 0 ? "NaN" : Double.toString(history[history.length - 1]),
                "loss_history", joined.toString());
    }

    /** Sums partial Gram matrices exactly (the same bits on every runner) into a singleton view. */
    private static PCollectionView<double[]> gram(PCollection<double[]> parts, String name) {
        return parts.apply(name, Combine.globally(new FixedPointSum()).asSingletonView());
    }

    private static PCollectionView<BlockLayout> layout(PCollection<RowBlock> blocks, String name) {
        return blocks.apply(name, Combine.globally(new BlockLayout.Fn()))
                .setCoder(new BlockLayout.Coder())
                .apply(name + "View", View.asSingleton());
    }

    private static PCollection<KV<Integer, RowRequest>> requests(PCollection<RowBlock> blocks,
            PCollectionView<BlockLayout> oppositeLayout, String name) {
        return blocks.apply(name, ParDo.of(new RequestsFn(oppositeLayout)).withSideInputs(oppositeLayout))
                .setCoder(KvCoder.of(VarIntCoder.of(), RowRequest.Coder.of()));
    }

    /** The final factors of both sides and the objective after each iteration. */
    public static final class Result implements POutput {
        private final Pipeline pipeline;
        private final PCollection<RowBlock> users;
        private final PCollection<RowBlock> items;
        private final PCollection<double[]> lossHistory;

        Result(Pipeline pipeline, PCollection<RowBlock> users, PCollection<RowBlock> items,
                PCollection<double[]> lossHistory) {
            this.pipeline = pipeline;
            this.users = users;
            this.items = items;
            this.lossHistory = lossHistory;
        }

        public PCollection<RowBlock> users() {
            return users;
        }

        public PCollection<RowBlock> items() {
            return items;
        }

        /** One element: the loss after iteration 1, 2, … n. */
        public PCollection<double[]> lossHistory() {
            return lossHistory;
        }

        @Override
        public Pipeline getPipeline() {
            return pipeline;
        }

        @Override
        public Map<TupleTag<?>, PValue> expand() {
            return Map.of(USERS, users, ITEMS, items, new TupleTag<double[]>("lossHistory"), lossHistory);
        }

        @Override
        public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {
        }
    }

    /** Seeds a block's factors (the ratings pass through untouched). */
    static final class InitFn extends DoFn<RowBlock, RowBlock> {
        private static final long serialVersionUID = 1L;
        private final AlsConfig config;
        private final int side;

        InitFn(AlsConfig config, int side) {
            this.config = config;
            this.side = side;
        }

        @ProcessElement
        public void process(@Element RowBlock b, OutputReceiver<RowBlock> out) {
            int d = config.factors();
            out.output(b.withFactors(d, BlockMath.init(b.rowOffset(), b.rows(), d, config.seed(), side,
                    config.initScale())));
        }
    }

    /** For the shuffle exchange: which opposite rows each block needs, grouped by the block holding them. */
    static final class RequestsFn extends DoFn<RowBlock, KV<Integer, RowRequest>> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<BlockLayout> oppositeLayout;

        RequestsFn(PCollectionView<BlockLayout> oppositeLayout) {
            this.oppositeLayout = oppositeLayout;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            RowBlock b = c.element();
            BlockLayout layout = c.sideInput(oppositeLayout);
            int[] unique = SolveHalf.distinctColumns(b.cols());
            int from = 0;
            while (from < unique.length) {
                int block = layout.blockOfRow(unique[from]);
                int to = from + 1;
                while (to < unique.length && layout.blockOfRow(unique[to]) == block) {
                    to++;
                }
                c.output(KV.of(block, new RowRequest(b.blockId(), java.util.Arrays.copyOfRange(unique, from, to))));
                from = to;
            }
        }
    }

    /** Orders the per-iteration losses. */
    static final class HistoryFn extends Combine.CombineFn<KV<Integer, Double>, TreeMap<Integer, double[]>, double[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public TreeMap<Integer, double[]> createAccumulator() {
            return new TreeMap<>();
        }

        @Override
        public TreeMap<Integer, double[]> addInput(TreeMap<Integer, double[]> acc, KV<Integer, Double> in) {
            acc.put(in.getKey(), new double[] {in.getValue()});
            return acc;
        }

        @Override
        public TreeMap<Integer, double[]> mergeAccumulators(Iterable<TreeMap<Integer, double[]>> accs) {
            TreeMap<Integer, double[]> out = new TreeMap<>();
            for (TreeMap<Integer, double[]> a : accs) {
                out.putAll(a);
            }
            return out;
        }

        @Override
        public double[] extractOutput(TreeMap<Integer, double[]> acc) {
            double[] out = new double[acc.size()];
            int k = 0;
            for (double[] v : acc.values()) {
                out[k++] = v[0];
            }
            return out;
        }

        @Override
        public org.apache.beam.sdk.coders.Coder<double[]> getDefaultOutputCoder(
                org.apache.beam.sdk.coders.CoderRegistry registry,
                org.apache.beam.sdk.coders.Coder<KV<Integer, Double>> inputCoder) {
            return new FixedPointSum.VectorCoder();
        }

        @Override
        public org.apache.beam.sdk.coders.Coder<TreeMap<Integer, double[]>> getAccumulatorCoder(
                org.apache.beam.sdk.coders.CoderRegistry registry,
                org.apache.beam.sdk.coders.Coder<KV<Integer, Double>> inputCoder) {
            return new HistoryCoder();
        }
    }

    /** Coder of the loss history accumulator (iteration → loss). */
    static final class HistoryCoder extends dev.segue.pipelines.coders.DataCoder<TreeMap<Integer, double[]>> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(java.io.DataOutputStream out, TreeMap<Integer, double[]> v) throws java.io.IOException {
            out.writeInt(v.size());
            for (Map.Entry<Integer, double[]> e : v.entrySet()) {
                out.writeInt(e.getKey());
                dev.segue.pipelines.coders.BinaryArrays.writeDoubles(out, e.getValue());
            }
        }

        @Override
        protected TreeMap<Integer, double[]> read(java.io.DataInputStream in) throws java.io.IOException {
            int n = in.readInt();
            TreeMap<Integer, double[]> out = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                out.put(in.readInt(), dev.segue.pipelines.coders.BinaryArrays.readDoubles(in));
            }
            return out;
        }
    }
}
