package dev.segue.pipelines.continuation;

import dev.segue.ingest.IngestTotals;
import dev.segue.pipelines.progress.Progress;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.WriteOptions;
import dev.segue.store.beam.BatchCoder;
import dev.segue.store.beam.FeatureSetIO;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;

/**
 * One feature set of the continuation run: holds the rows until the {@link Gate} opens, converts them to
 * batches and writes them with {@link FeatureSetIO}, then reports the committed version.
 */
final class WriteFeatureSet<T> extends PTransform<PCollection<T>, PDone> {
    private static final long serialVersionUID = 1L;

    /**
     * What every write waits for: the ingest's error-rate check and the last ALS iteration (side inputs), so a
     * rejected input or a failed training writes nothing.
     */
    record Gate(PCollectionView<IngestTotals> checked, PCollectionView<double[]> losses) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final FeatureSetSchema schema;
    private final SerializableFunction<T, Batch> toBatch;
    private final String store;
    private final Map<String, String> params;
    private final Gate gate;
    private final transient PCollectionView<String> trackFactorsVersion;

    private WriteFeatureSet(FeatureSetSchema schema, SerializableFunction<T, Batch> toBatch, String store,
            Map<String, String> params, Gate gate, PCollectionView<String> trackFactorsVersion) {
        this.schema = schema;
        this.toBatch = toBatch;
        this.store = store;
        this.params = new LinkedHashMap<>(params);
        this.gate = gate;
        this.trackFactorsVersion = trackFactorsVersion;
    }

    static <T> WriteFeatureSet<T> of(FeatureSetSchema schema, SerializableFunction<T, Batch> toBatch, String store,
            Map<String, String> params, Gate gate) {
        return new WriteFeatureSet<>(schema, toBatch, store, params, gate, null);
    }

    /** Records this version of {@code track_factors} as the set's input (and commits after it). */
    WriteFeatureSet<T> withTrackFactors(PCollectionView<String> version) {
        return new WriteFeatureSet<>(schema, toBatch, store, params, gate, version);
    }

    @Override
    public PDone expand(PCollection<T> rows) {
        FeatureSetIO.Write writer = FeatureSetIO.write(store, schema,
                WriteOptions.producer(ContinuationPipeline.PRODUCER).params(params));
        if (trackFactorsVersion != null) {
            writer = writer.withInput(FeatureSets.TRACK_FACTORS, trackFactorsVersion);
        }
        rows.apply("Gate", ParDo.of(new GateFn<>(toBatch, gate)).withSideInputs(gate.checked(), gate.losses()))
                .setCoder(BatchCoder.of())
                .apply("Write", writer)
                .apply("Report", ParDo.of(new ReportVersionFn(schema.name())));
        return PDone.in(rows.getPipeline());
    }

    /** Holds elements until the side inputs exist (ingest accepted, ALS finished), then converts them. */
    static final class GateFn<T> extends DoFn<T, Batch> {
        private static final long serialVersionUID = 1L;
        private final SerializableFunction<T, Batch> toBatch;
        private final Gate gate;

        GateFn(SerializableFunction<T, Batch> toBatch, Gate gate) {
            this.toBatch = toBatch;
            this.gate = gate;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            c.sideInput(gate.checked());
            c.sideInput(gate.losses());
            c.output(toBatch.apply(c.element()));
        }
    }

    static final class ReportVersionFn extends DoFn<String, Void> {
        private static final long serialVersionUID = 1L;
        private final String name;

        ReportVersionFn(String name) {
            this.name = name;
        }

        @ProcessElement
        public void process(@Element String version) {
            Progress.report("store", 0, 0, 0, "wrote " + name + " " + version);
        }
    }
}
