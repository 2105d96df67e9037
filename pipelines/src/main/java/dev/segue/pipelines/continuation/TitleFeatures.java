package dev.segue.pipelines.continuation;

import dev.segue.als.beam.RowBlock;
import dev.segue.titles.beam.TitleEmbeddings;
import dev.segue.titles.beam.TitleRows;
import dev.segue.titles.beam.TitleTrackCounts;
import dev.segue.titles.beam.TitleTrackRows;
import dev.segue.titles.beam.TitledFactors;
import dev.segue.titles.beam.TitledTracks;
import java.util.Map;
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
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The title models: each block of final playlist factors meets its block of titles, then {@link TitleEmbeddings}
 * averages the factors per title and token and {@link TitleTrackCounts} counts the tracks per title.
 * Input: {@link #PLAYLIST_FACTORS} and {@link #TITLES}; output: {@link #EMBEDDINGS} and {@link #TITLE_TRACKS}.
 */
final class TitleFeatures extends PTransform<PCollectionTuple, PCollectionTuple> {
    private static final long serialVersionUID = 1L;
    static final TupleTag<RowBlock> PLAYLIST_FACTORS = new TupleTag<>("playlistFactors") {};
    static final TupleTag<KV<Integer, String[]>> TITLES = EncodeInteractions.TITLES;
    static final TupleTag<TitleRows> EMBEDDINGS = new TupleTag<>("titleEmbeddings") {};
    static final TupleTag<TitleTrackRows> TITLE_TRACKS = new TupleTag<>("titleTracks") {};

    private final TitleEmbeddings embeddings;
    private final TitleTrackCounts trackCounts;

    TitleFeatures(ContinuationOptions o) {
        this.embeddings = new TitleEmbeddings(o.getTitleLambda(), o.getTitleMinCount(), o.getShards());
        this.trackCounts = new TitleTrackCounts(o.getTitleMinCount(), o.getTitleTopTracks(), o.getShards());
    }

    /** The embedding model's parameters, for the manifest of {@code title_embeddings}. */
    Map<String, String> embeddingParameters(int dim) {
        return embeddings.parameters(dim);
    }

    /** The track-count model's parameters, for the manifest of {@code title_tracks}. */
    Map<String, String> trackCountParameters() {
        return trackCounts.parameters();
    }

    @Override
    public PCollectionTuple expand(PCollectionTuple input) {
        TupleTag<RowBlock> userTag = new TupleTag<>("users") {};
        TupleTag<String[]> titleTag = new TupleTag<>("titles") {};
        PCollection<KV<Integer, RowBlock>> keyedFactors = input.get(PLAYLIST_FACTORS)
                .apply("KeyPlaylistBlocks", WithKeys.of(RowBlock::blockId).withKeyType(TypeDescriptors.integers()))
                .setCoder(KvCoder.of(VarIntCoder.of(), RowBlock.Coder.of()));
        PCollection<KV<Integer, CoGbkResult>> joined = KeyedPCollectionTuple
                .of(userTag, keyedFactors)
                .and(titleTag, input.get(TITLES))
                .apply("JoinTitles", CoGroupByKey.create());
        PCollection<TitleTrackRows> titleTracks = joined
                .apply("TitledTracks", ParDo.of(new TitledTracksFn(userTag, titleTag)))
                .setCoder(TitledTracks.Coder.of())
                .apply("TitleTrackCounts", trackCounts);
        PCollection<TitleRows> titles = joined
                .apply("TitledFactors", ParDo.of(new TitledFn(userTag, titleTag)))
                .setCoder(TitledFactors.Coder.of())
                .apply("TitleEmbeddings", embeddings);
        return PCollectionTuple.of(EMBEDDINGS, titles).and(TITLE_TRACKS, titleTracks);
    }

    static final class TitledFn extends DoFn<KV<Integer, CoGbkResult>, TitledFactors> {
        private static final long serialVersionUID = 1L;
        private final TupleTag<RowBlock> userTag;
        private final TupleTag<String[]> titleTag;

        TitledFn(TupleTag<RowBlock> userTag, TupleTag<String[]> titleTag) {
            this.userTag = userTag;
            this.titleTag = titleTag;
        }

        @ProcessElement
        public void process(@Element KV<Integer, CoGbkResult> e, OutputReceiver<TitledFactors> out) {
            RowBlock users = e.getValue().getOnly(userTag);
            String[] titles = e.getValue().getOnly(titleTag);
            out.output(new TitledFactors(e.getKey(), titles, users.dim(), users.factors()));
        }
    }

    static final class TitledTracksFn extends DoFn<KV<Integer, CoGbkResult>, TitledTracks> {
        private static final long serialVersionUID = 1L;
        private final TupleTag<RowBlock> userTag;
        private final TupleTag<String[]> titleTag;

        TitledTracksFn(TupleTag<RowBlock> userTag, TupleTag<String[]> titleTag) {
            this.userTag = userTag;
            this.titleTag = titleTag;
        }

        @ProcessElement
        public void process(@Element KV<Integer, CoGbkResult> e, OutputReceiver<TitledTracks> out) {
            RowBlock users = e.getValue().getOnly(userTag);
            String[] titles = e.getValue().getOnly(titleTag);
            out.output(new TitledTracks(e.getKey(), titles, users.rowStart(), users.cols()));
        }
    }
}
