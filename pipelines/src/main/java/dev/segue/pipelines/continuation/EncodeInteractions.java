package dev.segue.pipelines.continuation;

import dev.segue.als.WrmfParams;
import dev.segue.als.beam.ImplicitAls;
import dev.segue.als.beam.RowBlock;
import dev.segue.ingest.PlaylistBlock;
import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import dev.segue.pipelines.coders.StringArrayCoder;
import dev.segue.vocab.TrackVocabulary;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Turns ingest blocks into the two sides of the confidence matrix: playlist row blocks (one per ingest
 * block, columns = dense track ids, a track repeated in a playlist counted as {@code r}) and track row
 * blocks (its transpose, by ranges of track ids), plus each playlist block's titles for the title model.
 */
final class EncodeInteractions extends PTransform<PCollection<PlaylistBlock>, PCollectionTuple> {
    private static final long serialVersionUID = 1L;

    static final TupleTag<RowBlock> USERS = ImplicitAls.USERS;
    static final TupleTag<RowBlock> ITEMS = ImplicitAls.ITEMS;
    static final TupleTag<KV<Integer, String[]>> TITLES = new TupleTag<>("titles") {};

    private final transient PCollectionView<TrackVocabulary> vocabulary;
    private final WrmfParams params;
    private final int trackBlocks;

    EncodeInteractions(PCollectionView<TrackVocabulary> vocabulary, WrmfParams params, int trackBlocks) {
        this.vocabulary = vocabulary;
        this.params = params;
        this.trackBlocks = trackBlocks;
    }

    /** Rows per track block: the tracks split into {@code blocks} ranges of at least 64 rows each. */
    static int itemBlockRows(int items, int blocks) {
        return Math.max(64, (items + blocks - 1) / blocks);
    }

    @Override
    public PCollectionTuple expand(PCollection<PlaylistBlock> blocks) {
        PCollectionView<PlaylistLayout> layout = blocks
                .apply("PlaylistLayout", Combine.globally(new PlaylistLayout.Fn()))
                .setCoder(new PlaylistLayout.LayoutCoder())
                .apply("PlaylistLayoutView", View.asSingleton());
        PCollectionTuple encoded = blocks.apply("EncodePlaylists",
                ParDo.of(new EncodeFn(vocabulary, layout, params)).withSideInputs(vocabulary, layout)
                        .withOutputTags(USERS, TupleTagList.of(TITLES)));
        PCollection<RowBlock> users = encoded.get(USERS).setCoder(RowBlock.Coder.of());
        PCollection<KV<Integer, String[]>> titles = encoded.get(TITLES)
                .setCoder(KvCoder.of(VarIntCoder.of(), StringArrayCoder.of()));
        PCollection<RowBlock> items = users
                .apply("SplitByTrackBlock", ParDo.of(new TransposeFn(vocabulary, trackBlocks)).withSideInputs(vocabulary))
                .setCoder(KvCoder.of(VarIntCoder.of(), Coo.Coder.of()))
                .apply("GroupTrackBlocks", GroupByKey.create())
                .apply("BuildTrackBlocks", ParDo.of(new BuildItemBlockFn(vocabulary, trackBlocks)).withSideInputs(vocabulary))
                .setCoder(RowBlock.Coder.of());
        return PCollectionTuple.of(USERS, users).and(ITEMS, items).and(TITLES, titles);
    }

    static final class EncodeFn extends DoFn<PlaylistBlock, RowBlock> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<TrackVocabulary> vocabulary;
        private final PCollectionView<PlaylistLayout> layout;
        private final WrmfParams params;

        EncodeFn(PCollectionView<TrackVocabulary> vocabulary, PCollectionView<PlaylistLayout> layout, WrmfParams params) {
            this.vocabulary = vocabulary;
            this.layout = layout;
            this.params = params;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            PlaylistBlock b = c.element();
            TrackVocabulary vocab = c.sideInput(vocabulary);
            PlaylistLayout l = c.sideInput(layout);
            int blockId = l.blockId(b);
            long[] hashes = b.trackHashes();
            int[] start = b.rowStart();
            int rows = b.playlists();
            int[] rowStart = new int[rows + 1];
            int[] cols = new int[hashes.length];
            float[] conf = new float[hashes.length];
            int nnz = 0;
            int[] ids = new int[16];
            for (int r = 0; r < rows; r++) {
                int len = start[r + 1] - start[r];
                if (ids.length < len) {
                    ids = new int[Math.max(len, ids.length * 2)];
                }
                for (int k = 0; k < len; k++) {
                    int id = vocab.id(hashes[start[r] + k]);
                    if (id < 0) {
                        throw new IllegalStateException("playlist " + b.pids()[r] + " of " + b.source()
                                + " has a track missing from the vocabulary");
                    }
                    ids[k] = id;
                }
                Arrays.sort(ids, 0, len);
                int k = 0;
                while (k < len) {
                    int id = ids[k];
                    int count = 0;
                    while (k < len && ids[k] == id) {
                        count++;
                        k++;
                    }
                    cols[nnz] = id;
                    conf[nnz] = (float) params.confidence(count);
                    nnz++;
                }
                rowStart[r + 1] = nnz;
            }
            c.output(new RowBlock(blockId, l.offset(blockId), rowStart, Arrays.copyOf(cols, nnz),
                    Arrays.copyOf(conf, nnz), b.pids(), 0, null));
            c.output(TITLES, KV.of(blockId, b.titles()));
        }
    }

    /** Entries of one playlist block destined to one track block (global track id, global playlist row). */
    record Coo(int[] items, int[] users, float[] conf) {
        static final class Coder extends DataCoder<Coo> {
            private static final long serialVersionUID = 1L;

            static Coder of() {
                return new Coder();
            }

            @Override
            protected void write(DataOutputStream out, Coo v) throws IOException {
                BinaryArrays.writeInts(out, v.items);
                BinaryArrays.writeInts(out, v.users);
                BinaryArrays.writeFloats(out, v.conf);
            }

            @Override
            protected Coo read(DataInputStream in) throws IOException {
                return new Coo(BinaryArrays.readInts(in), BinaryArrays.readInts(in), BinaryArrays.readFloats(in));
            }
        }
    }

    static final class TransposeFn extends DoFn<RowBlock, KV<Integer, Coo>> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<TrackVocabulary> vocabulary;
        private final int blocks;

        TransposeFn(PCollectionView<TrackVocabulary> vocabulary, int blocks) {
            this.vocabulary = vocabulary;
            this.blocks = blocks;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            RowBlock b = c.element();
            int blockRows = itemBlockRows(c.sideInput(vocabulary).size(), blocks);
            int[] cols = b.cols();
            int used = 0;
            for (int col : cols) {
                used = Math.max(used, col / blockRows + 1);
            }
            int[] counts = new int[used];
            for (int col : cols) {
                counts[col / blockRows]++;
            }
            int[][] items = new int[used][];
            int[][] users = new int[used][];
            float[][] conf = new float[used][];
            for (int t = 0; t < used; t++) {
                items[t] = new int[counts[t]];
                users[t] = new int[counts[t]];
                conf[t] = new float[counts[t]];
            }
            int[] fill = new int[used];
            int[] rowStart = b.rowStart();
            for (int r = 0; r < b.rows(); r++) {
                int user = b.rowOffset() + r;
                for (int k = rowStart[r]; k < rowStart[r + 1]; k++) {
                    int t = cols[k] / blockRows;
                    int at = fill[t]++;
                    items[t][at] = cols[k];
                    users[t][at] = user;
                    conf[t][at] = b.conf()[k];
                }
            }
            for (int t = 0; t < used; t++) {
                if (counts[t] > 0) {
                    c.output(KV.of(t, new Coo(items[t], users[t], conf[t])));
                }
            }
        }
    }

    /** Builds a track block's CSR with each row's playlists in ascending order (independent of arrival order). */
    static final class BuildItemBlockFn extends DoFn<KV<Integer, Iterable<Coo>>, RowBlock> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<TrackVocabulary> vocabulary;
        private final int blocks;

        BuildItemBlockFn(PCollectionView<TrackVocabulary> vocabulary, int blocks) {
            this.vocabulary = vocabulary;
            this.blocks = blocks;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            int n = c.sideInput(vocabulary).size();
            int blockRows = itemBlockRows(n, blocks);
            int block = c.element().getKey();
            int first = block * blockRows;
            int rows = Math.min(blockRows, n - first);
            // Each piece comes from one playlist block, with its playlists ascending; pieces of different blocks
            // cover disjoint playlist ranges. Filled in order of their first playlist, every track row comes
            // out ascending without sorting it (checked below, and sorted only if a runner broke that).
            List<Coo> pieces = new ArrayList<>();
            for (Coo coo : c.element().getValue()) {
                if (coo.users().length > 0) {
                    pieces.add(coo);
                }
            }
            pieces.sort((a, b) -> Integer.compare(a.users()[0], b.users()[0]));
            int[] rowStart = new int[rows + 1];
            for (Coo coo : pieces) {
                for (int item : coo.items()) {
                    rowStart[item - first + 1]++;
                }
            }
            for (int r = 0; r < rows; r++) {
                rowStart[r + 1] += rowStart[r];
            }
            int[] cols = new int[rowStart[rows]];
            float[] conf = new float[cols.length];
            int[] fill = Arrays.copyOf(rowStart, rows);
            for (Coo coo : pieces) {
                int[] items = coo.items();
                int[] users = coo.users();
                float[] cs = coo.conf();
                for (int k = 0; k < items.length; k++) {
                    int at = fill[items[k] - first]++;
                    cols[at] = users[k];
                    conf[at] = cs[k];
                }
            }
            for (int r = 0; r < rows; r++) {
                if (!ascending(cols, rowStart[r], rowStart[r + 1])) {
                    sortRow(cols, conf, rowStart[r], rowStart[r + 1]);
                }
            }
            c.output(new RowBlock(block, first, rowStart, cols, conf, null, 0, null));
        }

        private static boolean ascending(int[] cols, int from, int to) {
            for (int k = from + 1; k < to; k++) {
                if (cols[k] <= cols[k - 1]) {
                    return false;
                }
            }
            return true;
        }

        /** Sorts one row's (playlist, confidence) pairs by playlist. */
        static void sortRow(int[] cols, float[] conf, int from, int to) {
            long[] packed = new long[to - from];
            for (int k = from; k < to; k++) {
                packed[k - from] = ((long) cols[k] << 32) | (Float.floatToRawIntBits(conf[k]) & 0xffffffffL);
            }
            Arrays.sort(packed);
            for (int k = from; k < to; k++) {
                cols[k] = (int) (packed[k - from] >>> 32);
                conf[k] = Float.intBitsToFloat((int) packed[k - from]);
            }
        }
    }
}
