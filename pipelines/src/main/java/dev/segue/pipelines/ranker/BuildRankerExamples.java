package dev.segue.pipelines.ranker;

import dev.segue.format.FeatureSetContracts.RankerExamples;
import dev.segue.ingest.IngestTotals;
import dev.segue.ingest.PlaylistBlock;
import dev.segue.pipelines.progress.Progress;
import dev.segue.ranking.ExampleBuilder;
import dev.segue.ranking.RankFeatures;
import dev.segue.ranking.RankerHoldout;
import dev.segue.store.Batch;
import dev.segue.store.beam.BatchCoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Training playlists → {@code ranker_examples} batches, one per block of ranker playlists holding each (playlist,
 * shape) group's rows together: keep the ranker playlists (the pid share the first stage left out,
 * {@link RankerHoldout}), spread them over the workers in {@link #BLOCKS} blocks, split each into up to
 * {@code shapes} of the ten challenge shapes (seeds + held-out tracks, {@link RankerHoldout#splits}), and build each
 * split's candidates and features with the ranking module's exact offline first stage
 * ({@link dev.segue.ranking.OfflineTwoStage}, loaded once per worker).
 */
final class BuildRankerExamples extends PTransform<PCollection<PlaylistBlock>, PCollection<Batch>> {
    private static final long serialVersionUID = 1L;

    private final String store;
    private final String factorsVersion;
    private final double share;
    private final double titlePriorSeeds;
    private final int shapes;
    private final transient PCollectionView<IngestTotals> checked;

    BuildRankerExamples(String store, String factorsVersion, double share, double titlePriorSeeds, int shapes,
                        PCollectionView<IngestTotals> checked) {
        this.store = store;
        this.factorsVersion = factorsVersion;
        this.share = share;
        this.titlePriorSeeds = titlePriorSeeds;
        this.shapes = shapes;
        this.checked = checked;
    }

    @Override
    public PCollection<Batch> expand(PCollection<PlaylistBlock> blocks) {
        return blocks
                .apply("KeepRankerPlaylists", ParDo.of(new KeepFn(share)))
                .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(RankerPlaylist.class)))
                .apply("Blocks", GroupByKey.create())
                .apply("SplitAndScore", ParDo.of(new ExamplesFn(store, factorsVersion, titlePriorSeeds, shapes, checked))
                        .withSideInputs(checked))
                .setCoder(BatchCoder.of());
    }

    /**
     * Blocks of ranker playlists (by pid) that one element of {@code SplitAndScore} scores and writes as ONE batch.
     * One batch per group made the write's grouping (the direct runner copies a key's whole bag of batches on every
     * bundle that adds one) quadratic in the number of groups: 806 groups of ~90 kB took ~100 s.
     */
    static final int BLOCKS = 16;

    /** The ranker's share of playlists, by pid, keyed by their block. */
    static final class KeepFn extends DoFn<PlaylistBlock, KV<Integer, RankerPlaylist>> {
        private static final long serialVersionUID = 1L;
        private final double share;

        KeepFn(double share) {
            this.share = share;
        }

        @ProcessElement
        public void process(@Element PlaylistBlock b, OutputReceiver<KV<Integer, RankerPlaylist>> out) {
            for (int p = 0; p < b.playlists(); p++) {
                if (RankerHoldout.isRankerPlaylist(b.pids()[p], share)) {
                    out.output(KV.of(Math.floorMod(Long.hashCode(b.pids()[p] * 0x9E3779B97F4A7C15L), BLOCKS),
                            new RankerPlaylist(b.pids()[p], b.titles()[p],
                            Arrays.copyOfRange(b.trackHashes(), b.rowStart()[p], b.rowStart()[p + 1]))));
                }
            }
        }
    }

    /**
     * Splits, candidates, features, labels of a block of playlists: one batch holding every split's group, playlists
     * by pid ascending (none when nothing can be learned).
     */
    static final class ExamplesFn extends DoFn<KV<Integer, Iterable<RankerPlaylist>>, Batch> {
        private static final long serialVersionUID = 1L;
        private static final AtomicLong DONE = new AtomicLong();
        private static final int MAX_CANDIDATES = 1 << 16;

        private final String store;
        private final String factorsVersion;
        private final double titlePriorSeeds;
        private final int shapes;
        private final PCollectionView<IngestTotals> checked;
        private transient FirstStageCache.Loaded first;

        ExamplesFn(String store, String factorsVersion, double titlePriorSeeds, int shapes,
                   PCollectionView<IngestTotals> checked) {
            this.store = store;
            this.factorsVersion = factorsVersion;
            this.titlePriorSeeds = titlePriorSeeds;
            this.shapes = shapes;
            this.checked = checked;
        }

        @Setup
        public void setup() {
            first = FirstStageCache.get(store, factorsVersion, titlePriorSeeds);
        }

        @ProcessElement
        public void process(ProcessContext c) {
            c.sideInput(checked); // rejected input (error-rate check) writes nothing
            List<RankerPlaylist> block = new ArrayList<>();
            c.element().getValue().forEach(block::add);
            block.sort(Comparator.comparingLong(RankerPlaylist::pid));
            List<Batch> groups = new ArrayList<>();
            for (RankerPlaylist p : block) {
                groups.addAll(examples(first, p, shapes));
                long n = DONE.incrementAndGet();
                if (n % 20 == 0) {
                    Progress.report("examples", n, 0, 0, n + " ranker playlists scored (" + GROUPS.get()
                            + " groups, " + ROWS.get() + " rows)");
                }
            }
            if (!groups.isEmpty()) {
                c.output(concat(groups));
            }
        }

        private static final AtomicLong GROUPS = new AtomicLong();
        private static final AtomicLong ROWS = new AtomicLong();

        /** The groups' rows one after another, in one batch (every group has the same columns). */
        static Batch concat(List<Batch> groups) {
            int rows = 0;
            for (Batch g : groups) {
                rows += g.rows();
            }
            Batch first = groups.get(0);
            Batch.Builder out = Batch.builder(rows);
            for (String name : first.columnNames()) {
                switch (first.column(name).type()) {
                    case INT64 -> out.longs(name, append(groups, g -> g.longs(name), new long[rows]));
                    case INT32 -> out.ints(name, append(groups, g -> g.ints(name), new int[rows]));
                    case FLOAT32 -> out.floats(name, append(groups, g -> g.floats(name), new float[rows]));
                    default -> throw new IllegalStateException("unexpected " + RankerExamples.NAME + " column " + name);
                }
            }
            return out.build();
        }

        /** One column of every group, one after another, copied into {@code into} (a primitive array). */
        private static <A> A append(List<Batch> groups, java.util.function.Function<Batch, A> column, A into) {
            int at = 0;
            for (Batch g : groups) {
                A src = column.apply(g);
                int n = java.lang.reflect.Array.getLength(src);
                System.arraycopy(src, 0, into, at, n);
                at += n;
            }
            return into;
        }

        /** The playlist's groups, one per split that gives a candidate set holding a held-out track. */
        static List<Batch> examples(FirstStageCache.Loaded first, RankerPlaylist p, int shapes) {
            List<String> tracks = new ArrayList<>(p.trackHashes().length);
            for (long h : p.trackHashes()) {
                String uri = first.uriOfHash().get(h);
                if (uri != null) {
                    tracks.add(uri);
                }
            }
            List<Batch> out = new ArrayList<>();
            for (RankerHoldout.Split split : RankerHoldout.splits(p.pid(), p.title(), tracks, shapes)) {
                Batch b = group(first, p, split);
                if (b != null) {
                    out.add(b);
                    GROUPS.incrementAndGet();
                    ROWS.addAndGet(b.rows());
                }
            }
            return out;
        }

        private static Batch group(FirstStageCache.Loaded first, RankerPlaylist p, RankerHoldout.Split split) {
            ExampleBuilder.Group g = first.offline().examples(split.seeds(), split.title(),
                    split.category().random(), split.heldOut());
            int n = g.size();
            if (n == 0 || g.heldOut() == 0) {
                return null;
            }
            if (n >= MAX_CANDIDATES) {
                throw new IllegalStateException("playlist " + p.pid() + " has " + n + " candidates; the "
                        + RankerExamples.NAME + " key allows " + (MAX_CANDIDATES - 1));
            }
            int f = RankFeatures.count();
            long[] ids = new long[n];
            long[] pids = new long[n];
            int[] category = new int[n];
            int[] heldOut = new int[n];
            int[] trackIds = new int[n];
            int[] candidateTracks = g.tracks();
            Batch.Builder b = Batch.builder(n);
            for (int i = 0; i < n; i++) {
                ids[i] = RankerHoldout.exampleKey(p.pid(), split.category(), i);
                pids[i] = p.pid();
                category[i] = split.category().id();
                heldOut[i] = g.heldOut();
                trackIds[i] = candidateTracks[i];
            }
            b.longs(RankerExamples.ID, ids).longs(RankerExamples.PID, pids).ints(RankerExamples.CATEGORY, category)
                    .ints(RankerExamples.HELD_OUT, heldOut).ints(RankerExamples.TRACK_ID, trackIds)
                    .floats(RankerExamples.LABEL, g.labels());
            for (int j = 0; j < f; j++) {
                float[] col = new float[n];
                for (int i = 0; i < n; i++) {
                    col[i] = g.features()[i * f + j];
                }
                b.floats(RankFeatures.NAMES.get(j), col);
            }
            return b.build();
        }
    }
}
