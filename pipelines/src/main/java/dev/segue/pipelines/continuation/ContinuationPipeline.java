package dev.segue.pipelines.continuation;

import dev.segue.als.WrmfParams;
import dev.segue.als.beam.AlsConfig;
import dev.segue.als.beam.FactorFiles;
import dev.segue.als.beam.ImplicitAls;
import dev.segue.als.beam.RowBlock;
import dev.segue.format.FeatureSetContracts.PlaylistFactors;
import dev.segue.ingest.DeadLetter;
import dev.segue.pipelines.evidence.DeadLetterFiles;
import dev.segue.ingest.MpdIngest;
import dev.segue.neighbours.TrackNeighbours;
import dev.segue.pipelines.progress.Progress;
import dev.segue.store.Batch;
import dev.segue.store.FeatureStore;
import dev.segue.store.Snapshot;
import dev.segue.store.WriteOptions;
import dev.segue.store.beam.StoreRunOptions;
import dev.segue.titles.beam.TitleRows;
import dev.segue.vocab.BuildTrackTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The continuation pipeline: MPD slices → {@code tracks}, {@code track_stats}, {@code track_factors},
 * {@code playlist_factors}, {@code title_embeddings}, {@code title_tracks} and {@code track_neighbours} in the feature store. Runs on any Beam runner; as a
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
        dev.segue.pipelines.RunnerCheck.check(options); // before the run begins: a runner or cluster that cannot start leaves no trace
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
            // last: the run's sets become "latest" together (a run stopped before this leaves the previous snapshot)
            Snapshot s = FeatureStore.open(options.getStore()).commitRun(options.getStoreRun(), PRODUCER,
                    sets(options));
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
        FeatureStore store = FeatureStore.open(options.getStore());
        java.util.Map<String, String> versions = new java.util.LinkedHashMap<>();
        for (String set : sets(options)) {
            store.runVersion(set, run).ifPresent(m -> versions.put(set, m.version()));
        }
        for (String line : dev.segue.store.ArtifactBuilder.buildAll(store, versions)) {
            LOG.info("artifact: {}", line);
        }
    }

    /** The feature sets one run writes by default (its snapshot lists them). */
    public static final List<String> SETS = List.of(FeatureSets.TRACKS, FeatureSets.TRACK_STATS,
            FeatureSets.TRACK_FACTORS, FeatureSets.PLAYLIST_FACTORS, FeatureSets.TITLE_EMBEDDINGS,
            FeatureSets.TITLE_TRACKS, FeatureSets.TRACK_NEIGHBOURS);

    /** The feature sets a run with these options writes: {@link #SETS}, without track_neighbours under --neighbours=0. */
    public static List<String> sets(ContinuationOptions o) {
        return o.getNeighbours() > 0 ? SETS
                : SETS.stream().filter(s -> !s.equals(FeatureSets.TRACK_NEIGHBOURS)).toList();
    }

    /** {@code --deadLetters} as a file that survives a failed run, or null when not asked for. */
    static DeadLetterFiles deadLetterFile(ContinuationOptions o) {
        return o.getDeadLetters() == null || o.getDeadLetters().isEmpty() ? null
                : new DeadLetterFiles(dev.segue.pipelines.evidence.ReportDirs.local("--deadLetters", o.getDeadLetters()), null);
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
                o.getFactorExchange(), o.getBroadcastLimitMb() << 20, factorDirectory(o), keepFactorFiles(o));
    }

    /** {@code --keepFactorFiles} when given, else whether the runner may recompute a finished step. */
    static boolean keepFactorFiles(ContinuationOptions o) {
        Boolean keep = o.getKeepFactorFiles();
        return keep != null ? keep : dev.segue.pipelines.RunnerCheck.mayRecompute(o);
    }

    /**
     * A directory of its own for this run's factor files, under {@code --tempLocation} (which on a cluster must
     * be a filesystem every worker reads: a shared mount, hdfs:// or gs://) or else the local temporary directory.
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
        // every step and worker gets the same root: a local path made absolute, a URI (hdfs://…) as given
        o.setStore(dev.segue.store.io.StoreFileIOs.absolute(o.getStore()));
        deadLetterFile(o); // a --deadLetters on another file system: one line now
        positive("blockRows", o.getBlockRows());
        positive("trackBlocks", o.getTrackBlocks());
        positive("ingestShards", o.getIngestShards());
        positive("shards", o.getShards());
        positive("titleMinCount", o.getTitleMinCount());
        if (o.getNeighbours() < 0) {
            throw new IllegalArgumentException("--neighbours must be 0 (no track_neighbours) or positive, got "
                    + o.getNeighbours());
        }
        if (o.getNeighbourWindow() < 0) {
            throw new IllegalArgumentException("--neighbourWindow must be 0 (whole playlist) or positive, got "
                    + o.getNeighbourWindow());
        }
        dev.segue.ranking.RankerHoldout.checkShare("--rankerHoldout", o.getRankerHoldout());
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

    /**
     * The pipeline as a recipe: ingest the slices, build the track table, encode the interactions, train the
     * factors, fit the title models, count the tracks' co-occurring neighbours, and write the feature sets once the
     * ingest check and the training passed.
     */
    public static Outputs build(Pipeline p, ContinuationOptions o) {
        validate(o);
        AlsConfig config = alsConfig(o);
        int d = config.factors();
        MpdIngest.Result ingest = p.apply("Ingest", ingest(o));
        ingest.deadLetters().apply("LogDeadLetters", ParDo.of(new LogDeadLetterFn()));
        BuildTrackTable.Result tracks = ingest.tracks().apply("TrackTable", new BuildTrackTable(o.getShards()));
        // the ranker's playlists stay out of everything the first stage learns (their tails are its examples)
        PCollection<dev.segue.ingest.PlaylistBlock> firstStage = ingest.blocks()
                .apply("LeaveOutRankerPlaylists", new LeaveOutRankerPlaylists(o.getRankerHoldout()));
        PCollectionTuple matrix = firstStage.apply("Interactions",
                new EncodeInteractions(tracks.vocabularyView(), config.wrmf(), o.getTrackBlocks()));
        ImplicitAls.Result als = PCollectionTuple.of(ImplicitAls.USERS, matrix.get(EncodeInteractions.USERS))
                .and(ImplicitAls.ITEMS, matrix.get(EncodeInteractions.ITEMS))
                .apply("ALS", new ImplicitAls(config));
        TitleFeatures titleModels = new TitleFeatures(o);
        PCollectionTuple titles = PCollectionTuple.of(TitleFeatures.PLAYLIST_FACTORS, als.users())
                .and(TitleFeatures.TITLES, matrix.get(EncodeInteractions.TITLES))
                .apply("Titles", titleModels);

        WriteFeatureSet.Gate gate = new WriteFeatureSet.Gate(ingest.checkedTotals(),
                als.lossHistory().apply("LossHistoryView", View.asSingleton()));
        String store = o.getStore();
        Map<String, String> source = sourceParameters(o);
        Map<String, String> factorParams = with(source, config.toParameters());
        PCollectionView<String> factorsVersion = als.items().apply("WriteTrackFactors",
                new WriteTrackFactors(tracks, o.getTrackBlocks(), store, FeatureSets.trackFactors(d), factorParams, gate));
        tracks.rows().apply("WriteTracks",
                WriteFeatureSet.of(FeatureSets.tracks(), FeatureSets::tracksBatch, store, source, gate));
        // tracks.rows() count the first stage's playlists only (the ingest's partials leave the ranker's out):
        // the ranker's popularity features and popular source never see its labels
        tracks.rows().apply("WriteTrackStats",
                WriteFeatureSet.of(FeatureSets.trackStats(), FeatureSets::trackStatsBatch, store, source, gate));
        als.users().apply("WritePlaylistFactors", WriteFeatureSet.of(FeatureSets.playlistFactors(d),
                ContinuationPipeline::playlistBatch, store, factorParams, gate));
        // title vectors live in the space of these track factors, and title tracks are served with them: both
        // commit after track_factors and record its version in their manifests
        titles.get(TitleFeatures.EMBEDDINGS).apply("WriteTitleEmbeddings", WriteFeatureSet.of(FeatureSets.titleEmbeddings(d),
                FeatureSets::titleBatch, store, with(source, titleModels.embeddingParameters(d)), gate)
                .withTrackFactors(factorsVersion));
        titles.get(TitleFeatures.TITLE_TRACKS).apply("WriteTitleTracks", WriteFeatureSet.of(FeatureSets.titleTracks(),
                FeatureSets::titleTracksBatch, store, with(source, titleModels.trackCountParameters()), gate)
                .withTrackFactors(factorsVersion));
        if (o.getNeighbours() > 0) {
            // from the training playlists only (the --mpd slices the ALS trains on), in playlist order
            TrackNeighbours neighbours = new TrackNeighbours(tracks.vocabularyView(), o.getNeighbours(),
                    o.getNeighbourWindow(), o.getShards());
            PCollectionTuple.of(TrackNeighbours.PLAYLISTS, firstStage) // never the ranker's playlists: no leak into its examples
                    .and(TrackNeighbours.TRACKS, tracks.rows()) // cosine over the same playlists' counts
                    .apply("Neighbours", neighbours)
                    .apply("WriteTrackNeighbours", WriteFeatureSet.of(FeatureSets.trackNeighbours(),
                            FeatureSets::trackNeighboursBatch, store, with(source, neighbours.parameters()), gate));
        }
        return new Outputs(ingest, tracks, als, titles.get(TitleFeatures.EMBEDDINGS), config);
    }

    /** The ingest as {@code --mpd}, {@code --blockRows}, ... ask, writing dead letters to {@code --deadLetters}. */
    private static MpdIngest ingest(ContinuationOptions o) {
        MpdIngest ingest = MpdIngest.from(o.getMpd()).withBlockRows(o.getBlockRows())
                .withMaxErrorRate(o.getMaxErrorRate()).withShards(o.getIngestShards())
                .withRankerHoldout(o.getRankerHoldout());
        DeadLetterFiles deadLetters = deadLetterFile(o);
        return deadLetters == null ? ingest : ingest.withDeadLetterFile(deadLetters);
    }

    /** What every set's manifest records as its source: the MPD folder and the store run, if any. */
    private static Map<String, String> sourceParameters(ContinuationOptions o) {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("mpd", o.getMpd());
        source.put(dev.segue.ranking.RankerHoldout.PARAMETER, Double.toString(o.getRankerHoldout()));
        // every count of the run leaves the ranker's playlists out (ALS, titles, neighbours, track_stats)
        source.put(dev.segue.ranking.RankerHoldout.COUNTS_PARAMETER, dev.segue.ranking.RankerHoldout.LEFT_OUT);
        if (o.getStoreRun() != null && !o.getStoreRun().isBlank()) {
            source.put(WriteOptions.RUN, o.getStoreRun());
        }
        return source;
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(base);
        all.putAll(more);
        return all;
    }

    static Batch playlistBatch(RowBlock b) {
        return Batch.builder(b.rows()).longs(PlaylistFactors.PID, b.keys())
                .embeddings(PlaylistFactors.FACTORS, b.dim(), b.factors(), null).build();
    }

    static final class LogDeadLetterFn extends DoFn<DeadLetter, Void> {
        private static final long serialVersionUID = 1L;
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogDeadLetterFn.class);

        @ProcessElement
        public void process(@Element DeadLetter dead) {
            LOG.warn("skipped malformed record {}", dead);
        }
    }
}
