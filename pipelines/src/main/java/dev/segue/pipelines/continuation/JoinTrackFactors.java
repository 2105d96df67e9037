package dev.segue.pipelines.continuation;

import dev.segue.als.beam.RowBlock;
import dev.segue.vocab.TrackRows;
import dev.segue.vocab.TrackVocabulary;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Joins the final track factor blocks with the track table (URI, artist URI) by track block: the table rows
 * are re-cut from hash shards into the id ranges of the factor blocks.
 */
final class JoinTrackFactors extends PTransform<PCollection<RowBlock>, PCollection<TrackFactorRows>> {
    private static final long serialVersionUID = 1L;
    private final transient PCollection<TrackRows> trackRows;
    private final transient PCollectionView<TrackVocabulary> vocabulary;
    private final int trackBlocks;

    JoinTrackFactors(PCollection<TrackRows> trackRows, PCollectionView<TrackVocabulary> vocabulary, int trackBlocks) {
        this.trackRows = trackRows;
        this.vocabulary = vocabulary;
        this.trackBlocks = trackBlocks;
    }

    @Override
    public PCollection<TrackFactorRows> expand(PCollection<RowBlock> items) {
        TupleTag<RowBlock> blockTag = new TupleTag<>("factors") {};
        TupleTag<TrackRows> metaTag = new TupleTag<>("meta") {};
        PCollection<KV<Integer, RowBlock>> keyedBlocks = items
                .apply("KeyFactorBlocks", WithKeys.of(RowBlock::blockId).withKeyType(TypeDescriptors.integers()))
                .setCoder(KvCoder.of(VarIntCoder.of(), RowBlock.Coder.of()));
        PCollection<KV<Integer, TrackRows>> pieces = trackRows
                .apply("CutByTrackBlock", ParDo.of(new CutFn(vocabulary, trackBlocks)).withSideInputs(vocabulary))
                .setCoder(KvCoder.of(VarIntCoder.of(), TrackRows.Coder.of()));
        return KeyedPCollectionTuple.of(blockTag, keyedBlocks).and(metaTag, pieces)
                .apply("JoinFactorsAndTracks", CoGroupByKey.create())
                .apply("TrackFactorRows", ParDo.of(new JoinFn(blockTag, metaTag)))
                .setCoder(new TrackFactorRows.Coder());
    }

    static final class CutFn extends DoFn<TrackRows, KV<Integer, TrackRows>> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<TrackVocabulary> vocabulary;
        private final int blocks;

        CutFn(PCollectionView<TrackVocabulary> vocabulary, int blocks) {
            this.vocabulary = vocabulary;
            this.blocks = blocks;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            TrackRows r = c.element();
            int blockRows = EncodeInteractions.itemBlockRows(c.sideInput(vocabulary).size(), blocks);
            int from = 0;
            while (from < r.size()) {
                int block = r.ids()[from] / blockRows;
                int to = from + 1;
                while (to < r.size() && r.ids()[to] / blockRows == block) {
                    to++;
                }
                c.output(KV.of(block, slice(r, from, to)));
                from = to;
            }
        }

        private static TrackRows slice(TrackRows r, int from, int to) {
            return new TrackRows(java.util.Arrays.copyOfRange(r.ids(), from, to),
                    java.util.Arrays.copyOfRange(r.uri(), from, to), null,
                    java.util.Arrays.copyOfRange(r.artistUri(), from, to), null, null, null, null, null, null, null);
        }
    }

    static final class JoinFn extends DoFn<KV<Integer, CoGbkResult>, TrackFactorRows> {
        private static final long serialVersionUID = 1L;
        private final TupleTag<RowBlock> blockTag;
        private final TupleTag<TrackRows> metaTag;

        JoinFn(TupleTag<RowBlock> blockTag, TupleTag<TrackRows> metaTag) {
            this.blockTag = blockTag;
            this.metaTag = metaTag;
        }

        @ProcessElement
        public void process(@Element KV<Integer, CoGbkResult> e, OutputReceiver<TrackFactorRows> out) {
            RowBlock b = e.getValue().getOnly(blockTag, null);
            if (b == null) {
                throw new IllegalStateException("track block " + e.getKey() + " has tracks but no factors");
            }
            int rows = b.rows();
            String[] uri = new String[rows];
            String[] artist = new String[rows];
            int[] ids = new int[rows];
            List<TrackRows> parts = new ArrayList<>();
            e.getValue().getAll(metaTag).forEach(parts::add);
            int seen = 0;
            for (TrackRows p : parts) {
                for (int k = 0; k < p.size(); k++) {
                    int r = p.ids()[k] - b.rowOffset();
                    if (r < 0 || r >= rows || uri[r] != null) {
                        throw new IllegalStateException("track id " + p.ids()[k] + " does not fit track block "
                                + b.blockId());
                    }
                    uri[r] = p.uri()[k];
                    artist[r] = p.artistUri()[k];
                    seen++;
                }
            }
            if (seen != rows) {
                throw new IllegalStateException("track block " + b.blockId() + " has " + rows + " factor rows but "
                        + seen + " tracks");
            }
            for (int r = 0; r < rows; r++) {
                ids[r] = b.rowOffset() + r;
            }
            out.output(new TrackFactorRows(b.blockId(), ids, uri, artist, b.dim(), b.factors()));
        }
    }
}
