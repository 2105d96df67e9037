package dev.segue.pipelines.continuation;

import dev.segue.format.FeatureSetContracts.TrackFactors;
import dev.segue.als.beam.ImplicitAls;
import dev.segue.als.beam.RowBlock;
import dev.segue.pipelines.progress.Progress;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.WriteOptions;
import dev.segue.vocab.BuildTrackTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The final track factor blocks joined to the track table and written as one {@code track_factors} version, in
 * id order and by one writer, because its manifest records the loss history, known only at run time. Outputs
 * that version as a view, for the sets that record it as their input.
 */
final class WriteTrackFactors extends PTransform<PCollection<RowBlock>, PCollectionView<String>> {
    private static final long serialVersionUID = 1L;
    private final transient BuildTrackTable.Result tracks;
    private final int trackBlocks;
    private final String store;
    private final FeatureSetSchema schema;
    private final Map<String, String> params;
    private final WriteFeatureSet.Gate gate;

    WriteTrackFactors(BuildTrackTable.Result tracks, int trackBlocks, String store, FeatureSetSchema schema,
            Map<String, String> params, WriteFeatureSet.Gate gate) {
        this.tracks = tracks;
        this.trackBlocks = trackBlocks;
        this.store = store;
        this.schema = schema;
        this.params = new LinkedHashMap<>(params);
        this.gate = gate;
    }

    @Override
    public PCollectionView<String> expand(PCollection<RowBlock> items) {
        return items
                .apply("TrackFactorRows", new JoinTrackFactors(tracks.rows(), tracks.vocabularyView(), trackBlocks))
                .apply("OneWriter", WithKeys.<Integer, TrackFactorRows>of(0).withKeyType(TypeDescriptors.integers()))
                .setCoder(KvCoder.of(VarIntCoder.of(), new TrackFactorRows.Coder()))
                .apply("AllTrackFactors", GroupByKey.create())
                .apply("Write", ParDo.of(new WriteFn(store, schema, params, gate))
                        .withSideInputs(gate.losses(), gate.checked()))
                .setCoder(StringUtf8Coder.of())
                .apply("TrackFactorsVersion", View.asSingleton());
    }

    /** Writes {@code track_factors} in id order with the loss history in its manifest. */
    static final class WriteFn extends DoFn<KV<Integer, Iterable<TrackFactorRows>>, String> {
        private static final long serialVersionUID = 1L;
        private final String store;
        private final FeatureSetSchema schema;
        private final Map<String, String> params;
        private final WriteFeatureSet.Gate gate;

        WriteFn(String store, FeatureSetSchema schema, Map<String, String> params, WriteFeatureSet.Gate gate) {
            this.store = store;
            this.schema = schema;
            this.params = new LinkedHashMap<>(params);
            this.gate = gate;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            c.sideInput(gate.checked());
            double[] history = c.sideInput(gate.losses());
            List<TrackFactorRows> blocks = new ArrayList<>();
            c.element().getValue().forEach(blocks::add);
            blocks.sort((a, b) -> Integer.compare(a.blockId(), b.blockId()));
            WriteOptions options = WriteOptions.producer(ContinuationPipeline.PRODUCER).params(params)
                    .params(ImplicitAls.lossParameters(history));
            String version;
            try (FeatureSetWriter w = FeatureStore.open(store).writer(schema, options)) {
                for (TrackFactorRows r : blocks) {
                    w.append(Batch.builder(r.ids().length)
                            .ints(TrackFactors.TRACK_ID, r.ids())
                            .strings(TrackFactors.TRACK_URI, r.uri())
                            .strings(TrackFactors.ARTIST_URI, r.artistUri())
                            .embeddings(TrackFactors.FACTORS, r.dim(), r.factors(), null)
                            .build());
                }
                version = w.commit();
            }
            Progress.report("store", 0, 0, 0, "wrote " + schema.name() + " " + version);
            c.output(version);
        }
    }
}
