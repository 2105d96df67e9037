package dev.segue.als.beam;

import dev.segue.als.Gram;
import dev.segue.als.RowSolver;
import dev.segue.pipelines.progress.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * One half-iteration of implicit ALS: solves every row block of one side against the other side's current
 * factors {@code Y} and their Gram matrix {@code YᵀY} (a singleton view the caller provides). The opposite
 * factors arrive either as one packed broadcast or shuffled to the row blocks that reference them (see
 * {@link FactorExchange}). Outputs: the solved blocks, each block's partial Gram of its new factors (summed by
 * the caller into the next half's {@code XᵀX}), and with {@code computeLoss} the implicit objective after the
 * solve, logged as "iteration k of n".
 */
final class SolveHalf extends PTransform<PCollection<RowBlock>, PCollectionTuple> {
    private static final long serialVersionUID = 1L;

    static final TupleTag<RowBlock> BLOCKS = new TupleTag<>("blocks") {};
    static final TupleTag<KV<Integer, Double>> LOSS = new TupleTag<>("loss") {};
    static final TupleTag<double[]> GRAM_PARTS = new TupleTag<>("gramParts") {};

    private final AlsConfig config;
    private final int iteration;
    private final transient PCollection<RowBlock> opposite;
    private final transient PCollectionView<double[]> gram;
    private final transient PCollectionView<BlockLayout> oppositeLayout;
    private final transient PCollection<KV<Integer, RowRequest>> requests;
    private final boolean computeLoss;
    private final String oppositeName;
    private final int oppositeVersion;

    /**
     * @param oppositeName    "users" or "items": names the opposite side's factor files
     * @param oppositeVersion how many times the opposite factors have been solved (0 = initial factors)
     */
    SolveHalf(AlsConfig config, int iteration, PCollection<RowBlock> opposite, PCollectionView<double[]> gram,
            PCollectionView<BlockLayout> oppositeLayout, PCollection<KV<Integer, RowRequest>> requests,
            boolean computeLoss, String oppositeName, int oppositeVersion) {
        this.config = config;
        this.oppositeName = oppositeName;
        this.oppositeVersion = oppositeVersion;
        this.iteration = iteration;
        this.opposite = opposite;
        this.gram = gram;
        this.oppositeLayout = oppositeLayout;
        this.requests = requests;
        this.computeLoss = computeLoss;
    }

    @Override
    public PCollectionTuple expand(PCollection<RowBlock> targets) {
        // With a fixed exchange (or AUTO with factor files) every block takes the same path; AUTO without a
        // factor directory routes blocks at run time.
        PCollection<RowBlock> packInput = opposite;
        PCollection<RowBlock> broadcastTargets = targets;
        PCollection<KV<Integer, FactorSlab>> shuffleSlabs = null;
        PCollection<KV<Integer, RowBlock>> shuffleTargets = null;
        KvCoder<Integer, RowBlock> keyedCoder = KvCoder.of(VarIntCoder.of(), RowBlock.Coder.of());
        KvCoder<Integer, FactorSlab> slabCoder = KvCoder.of(VarIntCoder.of(), FactorSlab.Coder.of());
        if (config.exchange() == FactorExchange.SHUFFLE) {
            shuffleSlabs = opposite.apply("KeySlabs", ParDo.of(new KeySlabFn())).setCoder(slabCoder);
            shuffleTargets = targets.apply("KeyBlocks", ParDo.of(new KeyFn())).setCoder(keyedCoder);
        } else if (config.routesAtRunTime()) {
            TupleTag<RowBlock> toPack = new TupleTag<>("pack") {};
            TupleTag<KV<Integer, FactorSlab>> toShuffle = new TupleTag<>("shuffle") {};
            PCollectionTuple routedSlabs = opposite.apply("RouteSlabs", ParDo.of(new RouteFn(config, oppositeLayout, null, toShuffle))
                    .withSideInputs(oppositeLayout).withOutputTags(toPack, TupleTagList.of(toShuffle)));
            packInput = routedSlabs.get(toPack).setCoder(RowBlock.Coder.of());
            shuffleSlabs = routedSlabs.get(toShuffle).setCoder(slabCoder);
            TupleTag<RowBlock> solveHere = new TupleTag<>("broadcastTargets") {};
            TupleTag<KV<Integer, RowBlock>> solveThere = new TupleTag<>("shuffleTargets") {};
            PCollectionTuple routedTargets = targets.apply("RouteBlocks", ParDo.of(new RouteFn(config, oppositeLayout, solveThere, null))
                    .withSideInputs(oppositeLayout).withOutputTags(solveHere, TupleTagList.of(solveThere)));
            broadcastTargets = routedTargets.get(solveHere).setCoder(RowBlock.Coder.of());
            shuffleTargets = routedTargets.get(solveThere).setCoder(keyedCoder);
        }

        List<PCollection<RowBlock>> solved = new ArrayList<>();
        List<PCollection<double[]>> lossParts = new ArrayList<>();
        List<PCollection<double[]>> gramParts = new ArrayList<>();
        FixedPointSum.VectorCoder vectorCoder = new FixedPointSum.VectorCoder();
        if (config.exchange() != FactorExchange.SHUFFLE) {
            PCollectionView<SharedFactors> packed = packInput
                    .apply("Pack", Combine.globally(new PackFn(config, oppositeName, oppositeVersion)).asSingletonView());
            PCollectionTuple out = broadcastTargets
                    .apply("SolveBroadcast", ParDo.of(new SolveBroadcastFn(config, packed, gram, computeLoss))
                            .withSideInputs(packed, gram)
                            .withOutputTags(SolveFn.SOLVED, TupleTagList.of(SolveFn.LOSS_PART).and(SolveFn.GRAM_PART)));
            solved.add(out.get(SolveFn.SOLVED).setCoder(RowBlock.Coder.of()));
            lossParts.add(out.get(SolveFn.LOSS_PART).setCoder(vectorCoder));
            gramParts.add(out.get(SolveFn.GRAM_PART).setCoder(vectorCoder));
        }
        if (shuffleSlabs != null) {
            TupleTag<FactorSlab> slabTag = new TupleTag<>("slab") {};
            TupleTag<RowRequest> requestTag = new TupleTag<>("request") {};
            PCollection<KV<Integer, FactorSlab>> pieces = KeyedPCollectionTuple.of(slabTag, shuffleSlabs)
                    .and(requestTag, requests)
                    .apply("JoinRequests", CoGroupByKey.create())
                    .apply("ServeRows", ParDo.of(new ServeRowsFn(slabTag, requestTag)))
                    .setCoder(KvCoder.of(VarIntCoder.of(), FactorSlab.Coder.of()));
            TupleTag<RowBlock> blockTag = new TupleTag<>("block") {};
            TupleTag<FactorSlab> pieceTag = new TupleTag<>("piece") {};
            PCollectionTuple out = KeyedPCollectionTuple.of(blockTag, shuffleTargets)
                    .and(pieceTag, pieces)
                    .apply("JoinRows", CoGroupByKey.create())
                    .apply("SolveShuffled", ParDo.of(new SolveShuffledFn(config, gram, computeLoss, blockTag, pieceTag))
                            .withSideInputs(gram)
                            .withOutputTags(SolveFn.SOLVED, TupleTagList.of(SolveFn.LOSS_PART).and(SolveFn.GRAM_PART)));
            solved.add(out.get(SolveFn.SOLVED).setCoder(RowBlock.Coder.of()));
            lossParts.add(out.get(SolveFn.LOSS_PART).setCoder(vectorCoder));
            gramParts.add(out.get(SolveFn.GRAM_PART).setCoder(vectorCoder));
        }
        PCollection<RowBlock> blocks = solved.size() == 1 ? solved.get(0)
                : PCollectionList.of(solved).apply("MergeSolved", Flatten.pCollections());
        PCollection<double[]> grams = gramParts.size() == 1 ? gramParts.get(0)
                : PCollectionList.of(gramParts).apply("MergeGramParts", Flatten.pCollections());
        PCollectionTuple result = PCollectionTuple.of(BLOCKS, blocks).and(GRAM_PARTS, grams);
        if (computeLoss) {
            PCollection<double[]> parts = lossParts.size() == 1 ? lossParts.get(0)
                    : PCollectionList.of(lossParts).apply("LossParts", Flatten.pCollections());
            PCollection<KV<Integer, Double>> loss = parts
                    .apply("SumLoss", Combine.globally(new FixedPointSum()))
                    .setCoder(vectorCoder)
                    .apply("Loss", ParDo.of(new TotalLossFn(config, iteration, gram)).withSideInputs(gram))
                    .setCoder(KvCoder.of(VarIntCoder.of(), DoubleCoder.of()));
            result = result.and(LOSS, loss);
        }
        return result;
    }

    /** A block's partial Gram matrix (for the initial factors; solves emit theirs). */
    static final class GramPartFn extends DoFn<RowBlock, double[]> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element RowBlock b, OutputReceiver<double[]> out) {
            out.output(BlockMath.gram(b));
        }
    }

    /** The factors of a block, keyed by block id, for the shuffle exchange (ratings stay behind). */
    static final class KeySlabFn extends DoFn<RowBlock, KV<Integer, FactorSlab>> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element RowBlock b, OutputReceiver<KV<Integer, FactorSlab>> out) {
            out.output(KV.of(b.blockId(), b.slab()));
        }
    }

    static final class KeyFn extends DoFn<RowBlock, KV<Integer, RowBlock>> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element RowBlock b, OutputReceiver<KV<Integer, RowBlock>> out) {
            out.output(KV.of(b.blockId(), b));
        }
    }

    /**
     * Sends each block to the broadcast (main) output or, keyed by block id, to the shuffle output — as a whole
     * block ({@code blocks}) or as its factors only ({@code slabs}) — decided from the opposite side's size.
     */
    static final class RouteFn extends DoFn<RowBlock, RowBlock> {
        private static final long serialVersionUID = 1L;
        private final AlsConfig config;
        private final PCollectionView<BlockLayout> layout;
        private final TupleTag<KV<Integer, RowBlock>> blocks;
        private final TupleTag<KV<Integer, FactorSlab>> slabs;

        RouteFn(AlsConfig config, PCollectionView<BlockLayout> layout, TupleTag<KV<Integer, RowBlock>> blocks,
                TupleTag<KV<Integer, FactorSlab>> slabs) {
            this.config = config;
            this.layout = layout;
            this.blocks = blocks;
            this.slabs = slabs;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            RowBlock b = c.element();
            if (useBroadcast(config, c.sideInput(layout))) {
                c.output(b);
            } else if (blocks != null) {
                c.output(blocks, KV.of(b.blockId(), b));
            } else {
                c.output(slabs, KV.of(b.blockId(), b.slab()));
            }
        }
    }

    /** The run-time route (AUTO without factor files): inline broadcast up to the limit, else shuffle. */
    static boolean useBroadcast(AlsConfig config, BlockLayout oppositeLayout) {
        return 4L * oppositeLayout.totalRows() * config.factors() <= config.broadcastLimitBytes();
    }

    /** Whether a packed matrix of this size travels as a factor file rather than inline. */
    static boolean viaFile(AlsConfig config, long bytes) {
        return switch (config.exchange()) {
            case FILES -> true;
            case AUTO -> config.factorDirectory() != null && bytes > config.broadcastLimitBytes();
            default -> false;
        };
    }

    /** Common parts of the solve functions. */
    abstract static class SolveFn<I> extends DoFn<I, RowBlock> {
        private static final long serialVersionUID = 1L;
        static final TupleTag<RowBlock> SOLVED = new TupleTag<>("solved") {};
        static final TupleTag<double[]> LOSS_PART = new TupleTag<>("lossPart") {};
        static final TupleTag<double[]> GRAM_PART = new TupleTag<>("gramPart") {};

        final AlsConfig config;
        final PCollectionView<double[]> gram;
        final boolean computeLoss;
        private transient RowSolver solver;

        SolveFn(AlsConfig config, PCollectionView<double[]> gram, boolean computeLoss) {
            this.config = config;
            this.gram = gram;
            this.computeLoss = computeLoss;
        }

        @Setup
        public void setup() {
            solver = new RowSolver(config.factors());
        }

        void solveAndEmit(RowBlock b, float[] y, int[] cols, ProcessContext c) {
            double[] g = c.sideInput(gram);
            int d = config.factors();
            if (g.length == 0) {
                g = new double[d * d];
            }
            double[] observed = computeLoss ? new double[1] : null;
            float[] x = BlockMath.solve(b, y, cols, g, config.wrmf(), solver, observed);
            RowBlock next = b.withFactors(d, x);
            double[] blockGram = BlockMath.gram(next);
            c.output(next);
            c.output(GRAM_PART, blockGram);
            if (computeLoss) {
                // Σ over the block's rows of xᵀGx + λ‖x‖² is tr(G·XᵦᵀXᵦ) + λ·tr(XᵦᵀXᵦ): d² work per block, not per row.
                double loss = observed[0] + Gram.traceOfProduct(g, blockGram, d) + config.wrmf().regularization() * Gram.trace(blockGram, d);
                c.output(LOSS_PART, new double[] {loss});
            }
        }
    }

    static final class SolveBroadcastFn extends SolveFn<RowBlock> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<SharedFactors> packed;

        SolveBroadcastFn(AlsConfig config, PCollectionView<SharedFactors> packed, PCollectionView<double[]> gram,
                boolean computeLoss) {
            super(config, gram, computeLoss);
            this.packed = packed;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            RowBlock b = c.element();
            PackedFactors y = c.sideInput(packed).resolve();
            if (y.rows() > 0 && y.dim() != config.factors()) {
                throw new IllegalStateException("packed factors have dimension " + y.dim() + ", expected " + config.factors());
            }
            solveAndEmit(b, y.data(), b.cols(), c);
        }
    }

    /** Answers each row block's requests with the rows of one opposite slab. */
    static final class ServeRowsFn extends DoFn<KV<Integer, CoGbkResult>, KV<Integer, FactorSlab>> {
        private static final long serialVersionUID = 1L;
        private final TupleTag<FactorSlab> slabTag;
        private final TupleTag<RowRequest> requestTag;

        ServeRowsFn(TupleTag<FactorSlab> slabTag, TupleTag<RowRequest> requestTag) {
            this.slabTag = slabTag;
            this.requestTag = requestTag;
        }

        @ProcessElement
        public void process(@Element KV<Integer, CoGbkResult> e, OutputReceiver<KV<Integer, FactorSlab>> out) {
            FactorSlab slab = e.getValue().getOnly(slabTag, null);
            if (slab == null) {
                return; // this side is broadcast in this half-iteration
            }
            int d = slab.dim();
            for (RowRequest r : e.getValue().getAll(requestTag)) {
                int[] ids = r.ids();
                float[] values = new float[ids.length * d];
                for (int k = 0; k < ids.length; k++) {
                    int local = ids[k] - slab.rowOffset();
                    if (local < 0 || local >= slab.rows()) {
                        throw new IllegalStateException("row " + ids[k] + " requested from block " + slab.blockId()
                                + " which holds rows " + slab.rowOffset() + ".." + (slab.rowOffset() + slab.rows() - 1));
                    }
                    System.arraycopy(slab.values(), local * d, values, k * d, d);
                }
                out.output(KV.of(r.targetBlock(), new FactorSlab(slab.blockId(), -1, ids.length, d, values, ids)));
            }
        }
    }

    /** Gathers the shuffled rows into a local packed matrix and solves the block against it. */
    static final class SolveShuffledFn extends SolveFn<KV<Integer, CoGbkResult>> {
        private static final long serialVersionUID = 1L;
        private final TupleTag<RowBlock> blockTag;
        private final TupleTag<FactorSlab> pieceTag;

        SolveShuffledFn(AlsConfig config, PCollectionView<double[]> gram, boolean computeLoss, TupleTag<RowBlock> blockTag,
                TupleTag<FactorSlab> pieceTag) {
            super(config, gram, computeLoss);
            this.blockTag = blockTag;
            this.pieceTag = pieceTag;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            KV<Integer, CoGbkResult> e = c.element();
            RowBlock b = e.getValue().getOnly(blockTag, null);
            if (b == null) {
                throw new IllegalStateException("rows were shuffled to block " + e.getKey() + ", which does not exist");
            }
            int d = config.factors();
            int[] unique = distinctColumns(b.cols());
            float[] y = new float[unique.length * d];
            int filled = 0;
            for (FactorSlab piece : e.getValue().getAll(pieceTag)) {
                int[] ids = piece.ids();
                for (int k = 0; k < ids.length; k++) {
                    int at = Arrays.binarySearch(unique, ids[k]);
                    System.arraycopy(piece.values(), k * d, y, at * d, d);
                }
                filled += ids.length;
            }
            if (filled != unique.length) {
                throw new IllegalStateException("block " + b.blockId() + " received " + filled + " of the "
                        + unique.length + " opposite rows it references");
            }
            int[] cols = b.cols();
            int[] local = new int[cols.length];
            for (int k = 0; k < cols.length; k++) {
                local[k] = Arrays.binarySearch(unique, cols[k]);
            }
            solveAndEmit(b, y, local, c);
        }
    }

    /** Ascending distinct values. */
    static int[] distinctColumns(int[] cols) {
        int[] sorted = cols.clone();
        Arrays.sort(sorted);
        int n = 0;
        for (int k = 0; k < sorted.length; k++) {
            if (n == 0 || sorted[n - 1] != sorted[k]) {
                sorted[n++] = sorted[k];
            }
        }
        return Arrays.copyOf(sorted, n);
    }

    /** Adds {@code λ‖X‖²} (the trace of the opposite Gram) to the summed row losses and reports. */
    static final class TotalLossFn extends DoFn<double[], KV<Integer, Double>> {
        private static final long serialVersionUID = 1L;
        private final AlsConfig config;
        private final int iteration;
        private final PCollectionView<double[]> gram;

        TotalLossFn(AlsConfig config, int iteration, PCollectionView<double[]> gram) {
            this.config = config;
            this.iteration = iteration;
            this.gram = gram;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            double[] parts = c.element();
            double[] g = c.sideInput(gram);
            double loss = (parts.length == 0 ? 0 : parts[0])
                    + (g.length == 0 ? 0 : config.wrmf().regularization() * Gram.trace(g, config.factors()));
            Progress.report("als", iteration, config.iterations(), loss,
                    String.format("iteration %d of %d: loss %.6g", iteration, config.iterations(), loss));
            c.output(KV.of(iteration, loss));
        }
    }
}
