package dev.segue.pipelines.continuation;

import dev.segue.als.WrmfParams;
import dev.segue.als.beam.AlsConfig;
import dev.segue.als.beam.FactorFiles;
import dev.segue.als.beam.ImplicitAls;
import dev.segue.als.beam.RowBlock;
import dev.segue.ingest.DeadLetter;
import dev.segue.pipelines.evidence.DeadLetterFiles;
import dev.segue.ingest.IngestTotals;
import dev.segue.ingest.MpdIngest;
import dev.segue.pipelines.progress.Progress;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.Snapshot;
import dev.segue.store.WriteOptions;
import dev.segue.store.beam.StoreRunOptions;
import dev.segue.store.beam.BatchCoder;
import dev.segue.store.beam.FeatureSetIO;
import dev.segue.titles.beam.TitleEmbeddings;
import dev.segue.titles.beam.TitleRows;
import dev.segue.titles.beam.TitledFactors;
import dev.segue.titles.beam.TitleTrackCounts;
import dev.segue.titles.beam.TitleTrackRows;
import dev.segue.titles.beam.TitledTracks;
import dev.segue.vocab.BuildTrackTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The continuation pipeline: MPD slices → {@code tracks}, {@code track_stats}, {@code track_factors},
 * {@code playlist_factors}, {@code title_embeddings} and {@code title_tracks} in the feature store. Runs on any Beam runner; as a
 * main class it takes the {@link ContinuationOptions} plus the runner's options, e.g.
 * {@code --mpd=DIR --store=DIR --runner=FlinkRunner --flinkMaster=host:8081}.
 *
 * <p>Every write waits for the ingest's error-rate check and for the last ALS iteration (side inputs), so a
 * rejected input or a failed training writes nothing. {@code track_factors} is written in one final step
 * because its manifest records the loss history, known only at run time.
 */
public final class ContinuationPipeline {
    public static final String PRODUCER = "segue-continuation";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ContinuationPipeline.class);

    private ContinuationPipeline() {}

    public static void main(String[] args) {
        PipelineOptionsFactory.register(ContinuationOptions.class);
        ContinuationOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(ContinuationOptions.class);
        run(options);
    }

    /** Builds, runs and waits; throws if the pipeline does not finish successfully. */
    public static PipelineResult run(ContinuationOptions options) {
        DeadLetterFiles deadLetters = deadLetterFile(options);
        boolean ownsRun = StoreRunOptions.begin(options);
        Pipeline p = Pipeline.create(options);
        Outputs built = build(p, options);
        PipelineResult result;
        try {
            if (deadLetters != null) {
                deadLetters.reset();
            }
            result = p.run();
            PipelineResult.State state = result.waitUntilFinish();
            if (state != PipelineResult.State.DONE) {
                throw new IllegalStateException("continuation pipeline ended in state " + state);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            deleteFactorFiles(built.alsConfig().factorDirectory());
            finishDeadLetters(deadLetters);
        }
        buildArtifacts(options);
        if (ownsRun) {
            // last: the six sets become "latest" together (a run stopped before this leaves the previous snapshot)
            Snapshot s = FeatureStore.open(Path.of(options.getStore())).commitRun(options.getStoreRun(), PRODUCER, SETS);
            Progress.report("store", 0, 0, 0, "snapshot " + s.id());
        }
        return result;
    }

    /**
     * The artifacts derived from this run's sets (the HNSW index of its track_factors, when the index server is on
     * the class path, as in {@code segue pipeline continuation}), written before the snapshot so that they are in
     * place when the run's sets become latest together.
     */
    private static void buildArtifacts(ContinuationOptions options) {
        String run = options.getStoreRun();
        if (run == null || run.isEmpty()) {
            return;
        }
        FeatureStore store = FeatureStore.open(Path.of(options.getStore()));
        java.util.Map<String, String> versions = new java.util.LinkedHashMap<>();
        for (String set : SETS) {
            store.runVersion(set, run).ifPresent(m -> versions.put(set, m.version()));
        }
        for (String line : dev.segue.store.ArtifactBuilder.buildAll(store, versions)) {
            LOG.info("artifact: {}", line);
        }
    }

    /** The feature sets one run writes (its snapshot lists them). */
    public static final List<String> SETS = List.of(FeatureSets.TRACKS, FeatureSets.TRACK_STATS,
            FeatureSets.TRACK_FACTORS, FeatureSets.PLAYLIST_FACTORS, FeatureSets.TITLE_EMBEDDINGS,
            FeatureSets.TITLE_TRACKS);

    /** {@code --deadLetters} as a file that survives a failed run, or null when not asked for. */
    static DeadLetterFiles deadLetterFile(ContinuationOptions o) {
        return o.getDeadLetters() == null || o.getDeadLetters().isEmpty() ? null
                : new DeadLetterFiles(java.nio.file.Paths.get(o.getDeadLetters()), null);
    }

    /** On every exit path: publishes the dead letters found so far (also when the error-rate check failed). */
    private static void finishDeadLetters(DeadLetterFiles deadLetters) {
        if (deadLetters == null) {
            return;
        }
        try {
            long n = deadLetters.finish();
            LOG.info("{} dead letters in {}", n, deadLetters.target());
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("could not write the dead letters to {}: {}", deadLetters.target(), e.getMessage());
        }
    }

    private static void deleteFactorFiles(String directory) {
        try {
            FactorFiles.deleteRun(directory);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("could not delete the factor files in {}: {}", directory, e.getMessage());
        }
    }

    /** Handles on the main intermediate results (for tests and composition). */
    public record Outputs(MpdIngest.Result ingest, BuildTrackTable.Result tracks, ImplicitAls.Result als,
            PCollection<TitleRows> titles, AlsConfig alsConfig) {}

    public static AlsConfig alsConfig(ContinuationOptions o) {
        WrmfParams wrmf = new WrmfParams(o.getAlpha(), o.getRegularization(), o.getCgSteps(), o.getLogScaling(),
                o.getEpsilon());
        return new AlsConfig(wrmf, o.getFactors(), o.getIterations(), o.getSeed(), o.getInitScale(),
                o.getFactorExchange(), o.getBroadcastLimitMb() << 20, factorDirectory(o));
    }

    /**
     * A directory of its own for this run's factor files, under {@code --tempLocation} (which on a cluster must
     * be a filesystem every worker reads: a shared mount or gs://, as no hdfs:// or s3:// file system is on the
     * class path) or else the local temporary directory.
     */
    static String factorDirectory(ContinuationOptions o) {
        String base = o.getTempLocation();
        if (base == null || base.isBlank()) {
            base = System.getProperty("java.io.tmpdir");
        }
        return (base.endsWith("/") ? base : base + "/") + "segue-als-" + java.util.UUID.randomUUID();
    }

    /** Checks option values, naming the option at fault. */
    public static void validate(ContinuationOptions o) {
        positive("blockRows", o.getBlockRows());
        positive("trackBlocks", o.getTrackBlocks());
        positive("ingestShards", o.getIngestShards());
        positive("shards", o.getShards());
        positive("titleMinCount", o.getTitleMinCount());
        if (!(o.getMaxErrorRate() >= 0 && o.getMaxErrorRate() <= 1)) {
            throw new IllegalArgumentException("--maxErrorRate must be in [0, 1], got " + o.getMaxErrorRate());
        }
        if (!(o.getTitleLambda() >= 0)) {
            throw new IllegalArgumentException("--titleLambda must be non-negative, got " + o.getTitleLambda());
        }
        if (o.getDeadLetters() != null && o.getDeadLetters().contains("://")) {
            throw new IllegalArgumentException("--deadLetters " + o.getDeadLetters() + ": must be a local or mounted "
                    + "file path (dead letters are written as they are found, to survive a failed run)");
        }
        if (o.getBroadcastLimitMb() < 0) {
            throw new IllegalArgumentException("--broadcastLimitMb must not be negative");
        }
        try {
            alsConfig(o);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad ALS option: " + e.getMessage(), e);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be positive, got " + value);
        }
    }

    public static Outputs build(Pipeline p, ContinuationOptions o) {
        validate(o);
        AlsConfig config = alsConfig(o);
        int d = config.factors();
        String store = o.getStore();

        MpdIngest ingestTransform = MpdIngest.from(o.getMpd()).withBlockRows(o.getBlockRows())
                .withMaxErrorRate(o.getMaxErrorRate()).withShards(o.getIngestShards());
        DeadLetterFiles deadLetters = deadLetterFile(o);
        if (deadLetters != null) {
            ingestTransform = ingestTransform.withDeadLetterFile(deadLetters);
        }
        MpdIngest.Result ingest = p.apply("Ingest", ingestTransform);
        ingest.deadLetters().apply("LogDeadLetters", ParDo.of(new LogDeadLetterFn()));

        BuildTrackTable.Result tracks = ingest.tracks().apply("TrackTable", new BuildTrackTable(o.getShards()));
        PCollectionTuple matrix = ingest.blocks().apply("Interactions",
                new EncodeInteractions(tracks.vocabularyView(), config.wrmf(), o.getTrackBlocks()));
        ImplicitAls.Result als = PCollectionTuple.of(ImplicitAls.USERS, matrix.get(EncodeInteractions.USERS))
                .and(ImplicitAls.ITEMS, matrix.get(EncodeInteractions.ITEMS))
                .apply("ALS", new ImplicitAls(config));
        PCollectionView<double[]> losses = als.lossHistory().apply("LossHistoryView", View.asSingleton());
        PCollectionView<IngestTotals> checked = ingest.checkedTotals();

        // Title embeddings from the final playlist factors.
        TupleTag<RowBlock> userTag = new TupleTag<>("users") {};
        TupleTag<String[]> titleTag = new TupleTag<>("titles") {};
        TitleEmbeddings titleModel = new TitleEmbeddings(o.getTitleLambda(), o.getTitleMinCount(), o.getShards());
        PCollection<KV<Integer, CoGbkResult>> joined = KeyedPCollectionTuple
                .of(userTag, keyByBlock(als.users(), "KeyPlaylistBlocks"))
                .and(titleTag, matrix.get(EncodeInteractions.TITLES))
                .apply("JoinTitles", CoGroupByKey.create());
        TitleTrackCounts titleTrackModel = new TitleTrackCounts(o.getTitleMinCount(), o.getTitleTopTracks(), o.getShards());
        PCollection<TitleTrackRows> titleTracks = joined
                .apply("TitledTracks", ParDo.of(new TitledTracksFn(userTag, titleTag)))
                .setCoder(TitledTracks.Coder.of())
                .apply("TitleTrackCounts", titleTrackModel);
        PCollection<TitleRows> titles = joined
                .apply("TitledFactors", ParDo.of(new TitledFn(userTag, titleTag)))
                .setCoder(TitledFactors.Coder.of())
                .apply("TitleEmbeddings", titleModel);

        Map<String, String> source = new LinkedHashMap<>();
        source.put("mpd", o.getMpd());
        if (o.getStoreRun() != null && !o.getStoreRun().isBlank()) {
            source.put(dev.segue.store.WriteOptions.RUN, o.getStoreRun());
        }
        Map<String, String> factorParams = new LinkedHashMap<>(source);
        factorParams.putAll(config.toParameters());
        PCollectionView<String> factorsVersion = als.items()
                .apply("TrackFactorRows", new JoinTrackFactors(tracks.rows(), tracks.vocabularyView(), o.getTrackBlocks()))
                .apply("OneWriter", WithKeys.<Integer, TrackFactorRows>of(0).withKeyType(TypeDescriptors.integers()))
                .setCoder(KvCoder.of(VarIntCoder.of(), new TrackFactorRows.Coder()))
                .apply("AllTrackFactors", GroupByKey.create())
                .apply("WriteTrackFactors", ParDo.of(new WriteTrackFactorsFn(store, FeatureSets.trackFactors(d),
                        factorParams, losses, checked)).withSideInputs(losses, checked))
                .setCoder(StringUtf8Coder.of())
                .apply("TrackFactorsVersion", View.asSingleton());

        write(tracks.rows(), FeatureSets::tracksBatch, FeatureSets.tracks(), store, source, checked, losses, "Tracks",
                null);
        write(tracks.rows(), FeatureSets::trackStatsBatch, FeatureSets.trackStats(), store, source, checked, losses,
                "TrackStats", null);
        write(als.users(), ContinuationPipeline::playlistBatch, FeatureSets.playlistFactors(d), store, factorParams,
                checked, losses, "PlaylistFactors", null);
        // title vectors live in the space of these track factors, and title tracks are served with them: both
        // commit after track_factors and record its version in their manifests
        Map<String, String> titleParams = new LinkedHashMap<>(source);
        titleParams.putAll(titleModel.parameters(d));
        write(titles, FeatureSets::titleBatch, FeatureSets.titleEmbeddings(d), store, titleParams, checked, losses,
                "TitleEmbeddings", factorsVersion);
        Map<String, String> titleTrackParams = new LinkedHashMap<>(source);
        titleTrackParams.putAll(titleTrackModel.parameters());
        write(titleTracks, FeatureSets::titleTracksBatch, FeatureSets.titleTracks(), store, titleTrackParams, checked,
                losses, "TitleTracks", factorsVersion);
        return new Outputs(ingest, tracks, als, titles, config);
    }

    private static PCollection<KV<Integer, RowBlock>> keyByBlock(PCollection<RowBlock> blocks, String name) {
        return blocks.apply(name, WithKeys.of(RowBlock::blockId).withKeyType(TypeDescriptors.integers()))
                .setCoder(KvCoder.of(VarIntCoder.of(), RowBlock.Coder.of()));
    }

    /** Gates rows on the ingest check and the finished training, converts them and writes a feature set. */
    private static <T> void write(PCollection<T> rows, SerializableFunction<T, Batch> toBatch, FeatureSetSchema schema,
            String store, Map<String, String> params, PCollectionView<IngestTotals> checked,
            PCollectionView<double[]> losses, String name, PCollectionView<String> factorsVersion) {
        WriteOptions options = WriteOptions.producer(PRODUCER).params(params);
        FeatureSetIO.Write writer = FeatureSetIO.write(store, schema, options);
        if (factorsVersion != null) {
            writer = writer.withInput(FeatureSets.TRACK_FACTORS, factorsVersion);
        }
        rows.apply("Gate" + name, ParDo.of(new GateFn<>(toBatch, checked, losses)).withSideInputs(checked, losses))
                .setCoder(BatchCoder.of())
                .apply("Write" + name, writer)
                .apply("Report" + name, ParDo.of(new ReportVersionFn(schema.name())));
    }

    static Batch playlistBatch(RowBlock b) {
        return Batch.builder(b.rows()).longs("pid", b.keys()).embeddings("factors", b.dim(), b.factors(), null).build();
    }

    /** Holds elements until the side inputs exist (ingest accepted, ALS finished), then converts them. */
    static final class GateFn<T> extends DoFn<T, Batch> {
        private static final long serialVersionUID = 1L;
        private final SerializableFunction<T, Batch> toBatch;
        private final PCollectionView<IngestTotals> checked;
        private final PCollectionView<double[]> losses;

        GateFn(SerializableFunction<T, Batch> toBatch, PCollectionView<IngestTotals> checked,
                PCollectionView<double[]> losses) {
            this.toBatch = toBatch;
            this.checked = checked;
            this.losses = losses;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            c.sideInput(checked);
            c.sideInput(losses);
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

    static final class LogDeadLetterFn extends DoFn<DeadLetter, Void> {
        private static final long serialVersionUID = 1L;
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogDeadLetterFn.class);

        @ProcessElement
        public void process(@Element DeadLetter dead) {
            LOG.warn("skipped malformed record {}", dead);
        }
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

    /** Writes {@code track_factors} in id order with the loss history in its manifest. */
    static final class WriteTrackFactorsFn extends DoFn<KV<Integer, Iterable<TrackFactorRows>>, String> {
        private static final long serialVersionUID = 1L;
        private final String store;
        private final FeatureSetSchema schema;
        private final Map<String, String> params;
        private final PCollectionView<double[]> losses;
        private final PCollectionView<IngestTotals> checked;

        WriteTrackFactorsFn(String store, FeatureSetSchema schema, Map<String, String> params,
                PCollectionView<double[]> losses, PCollectionView<IngestTotals> checked) {
            this.store = store;
            this.schema = schema;
            this.params = new LinkedHashMap<>(params);
            this.losses = losses;
            this.checked = checked;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            c.sideInput(checked);
            double[] history = c.sideInput(losses);
            List<TrackFactorRows> blocks = new ArrayList<>();
            c.element().getValue().forEach(blocks::add);
            blocks.sort((a, b) -> Integer.compare(a.blockId(), b.blockId()));
            WriteOptions options = WriteOptions.producer(PRODUCER).params(params)
                    .params(ImplicitAls.lossParameters(history));
            String version;
            try (FeatureSetWriter w = FeatureStore.open(Path.of(store)).writer(schema, options)) {
                for (TrackFactorRows r : blocks) {
                    w.append(Batch.builder(r.ids().length)
                            .ints("track_id", r.ids())
                            .strings("track_uri", r.uri())
                            .strings("artist_uri", r.artistUri())
                            .embeddings("factors", r.dim(), r.factors(), null)
                            .build());
                }
                version = w.commit();
            }
            Progress.report("store", 0, 0, 0, "wrote " + schema.name() + " " + version);
            c.output(version);
        }
    }
}
