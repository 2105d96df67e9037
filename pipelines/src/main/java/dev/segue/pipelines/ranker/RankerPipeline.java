package dev.segue.pipelines.ranker;

import dev.segue.format.ChallengeCategory;
import dev.segue.format.FeatureSetContracts.RankerExamples;
import dev.segue.format.FeatureSetContracts.TrackFactors;
import dev.segue.ingest.MpdIngest;
import dev.segue.pipelines.ContractSchemas;
import dev.segue.pipelines.progress.Progress;
import dev.segue.ranking.ExactWrmf;
import dev.segue.ranking.RankFeatures;
import dev.segue.ranking.RankerHoldout;
import dev.segue.ranking.RankerModel;
import dev.segue.ranking.RankingData;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureStore;
import dev.segue.store.io.StoreFileIOs;
import dev.segue.store.Manifest;
import dev.segue.store.Snapshot;
import dev.segue.store.WriteOptions;
import dev.segue.store.beam.FeatureSetIO;
import dev.segue.store.beam.StoreRunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;

/**
 * The ranker pipeline (issue 19): training MPD slices → {@code ranker_examples} (Beam: the ranker playlists the
 * continuation run left out of ALS, split in the ten challenge shapes, candidates and features per playlist) →
 * LambdaMART fitted on the driver → the ranker artifact in the store. Never reads challenge truth: the held-out
 * tracks are the tails and random samples of training playlists.
 *
 * <p>Leakage: the first stage must not have seen the ranker playlists' held-out tracks. The continuation run
 * records the share it left out ({@link RankerHoldout#PARAMETER} in the {@code track_factors} manifest) and this
 * pipeline takes exactly those playlists; a store whose run recorded none gets {@code --rankerShare} of the
 * playlists, which the first stage has seen (the run reports it).
 */
public final class RankerPipeline {
    public static final String PRODUCER = "segue-ranker";
    public static final List<String> SETS = List.of(RankerExamples.NAME);
    /** The examples manifest's parameter: challenge shapes per ranker playlist ({@link RankerHoldout#splits}). */
    public static final String SHAPES_PARAMETER = "shapes_per_playlist";

    /** What a run wrote and how long it took. */
    public record Summary(String factorsVersion, double share, boolean shareFromRun, String examplesVersion,
                          RankerTraining.Result training, double examplesSeconds, double fitSeconds) {}

    private RankerPipeline() {}

    public static void main(String[] args) throws java.io.IOException {
        PipelineOptionsFactory.register(RankerOptions.class);
        run(PipelineOptionsFactory.fromArgs(args).withValidation().as(RankerOptions.class));
    }

    /** The schema of {@code ranker_examples}: the registry's columns, then one column per rank feature. */
    public static FeatureSetSchema examplesSchema() {
        return ContractSchemas.schema(RankerExamples.CONTRACT, RankFeatures.NAMES,
                "rank feature (dev.segue.ranking.RankFeatures); NaN = missing");
    }

    /** Checks option values, naming the option at fault. */
    static void validate(RankerOptions o) {
        RankerHoldout.checkShare("--rankerShare", o.getRankerShare());
        if (o.getShapesPerPlaylist() < 1 || o.getShapesPerPlaylist() > ChallengeCategory.values().length) {
            throw new IllegalArgumentException("--shapesPerPlaylist must be in [1, " + ChallengeCategory.values().length
                    + "], got " + o.getShapesPerPlaylist());
        }
        if (!(o.getValidationShare() >= 0 && o.getValidationShare() < 1)) {
            throw new IllegalArgumentException("--validationShare must be in [0, 1), got " + o.getValidationShare());
        }
        params(o);
        o.setStore(StoreFileIOs.absolute(o.getStore())); // every step and worker gets the same root
        if (StoreFileIOs.isLocal(o.getStore()) && !Files.isDirectory(Path.of(o.getStore()))) {
            throw new IllegalArgumentException("--store " + o.getStore() + ": no such folder");
        }
        if (FeatureStore.open(o.getStore()).versions(TrackFactors.NAME).isEmpty()) {
            throw new IllegalArgumentException("--store " + o.getStore() + " has no " + TrackFactors.NAME
                    + ": run segue pipeline continuation first");
        }
    }

    static RankerModel.Params params(RankerOptions o) {
        RankerModel.Params d = RankerModel.Params.defaults();
        try {
            return new RankerModel.Params(o.getRounds(), o.getEta(), o.getMaxDepth(), d.minChildWeight(),
                    d.subsample(), d.ndcgAt(), d.threads(), d.seed(), o.getEarlyStopping());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad ranker option: " + e.getMessage(), e);
        }
    }

    /** The first stage's factors manifest and the ranker share it implies. */
    record FirstStage(Manifest factors, double share, boolean fromRun) {}

    static FirstStage firstStage(RankerOptions o) {
        FeatureStore store = FeatureStore.open(o.getStore());
        Manifest factors = store.manifest(TrackFactors.NAME, o.getFactorsVersion());
        String recorded = factors.parameters().get(RankerHoldout.PARAMETER);
        if (recorded != null) {
            double share;
            try {
                share = Double.parseDouble(recorded);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(TrackFactors.NAME + " " + factors.version() + ": "
                        + RankerHoldout.PARAMETER + " '" + recorded + "' is not a number");
            }
            if (share > 0) {
                return new FirstStage(factors, RankerHoldout.checkShare(RankerHoldout.PARAMETER, share), true);
            }
        }
        return new FirstStage(factors, o.getRankerShare(), false);
    }

    /** Builds and runs the examples pipeline, then fits and saves the ranker on the driver. */
    public static Summary run(RankerOptions o) throws java.io.IOException {
        validate(o);
        dev.segue.pipelines.RunnerCheck.check(o); // before the run begins: a runner or cluster that cannot start leaves no trace
        FirstStage first = firstStage(o);
        String factorsVersion = first.factors().version();
        if (!first.fromRun()) {
            Progress.report("leakage", 0, 0, 0, TrackFactors.NAME + " " + factorsVersion + " records no "
                    + RankerHoldout.PARAMETER + ": the ranker playlists (" + o.getRankerShare()
                    + " of them) were in the first stage's training, so it will trust WRMF too much");
        } else if (!RankerHoldout.LEFT_OUT.equals(first.factors().parameters().get(RankerHoldout.COUNTS_PARAMETER))) {
            Progress.report("leakage", 0, 0, 0, "the run that wrote " + TrackFactors.NAME + " " + factorsVersion
                    + " records no " + RankerHoldout.COUNTS_PARAMETER + "=" + RankerHoldout.LEFT_OUT + ": its "
                    + "track_stats count the ranker playlists, so the popularity features see the labels (rerun "
                    + "segue pipeline continuation)");
        }
        boolean ownsRun = StoreRunOptions.begin(o);
        long t0 = System.nanoTime();
        Pipeline p = Pipeline.create(o);
        build(p, o, factorsVersion, first.share());
        PipelineResult.State state = p.run().waitUntilFinish();
        if (state != PipelineResult.State.DONE) {
            throw new IllegalStateException("ranker pipeline ended in state " + state);
        }
        FeatureStore store = FeatureStore.open(o.getStore());
        String examples = store.runVersion(RankerExamples.NAME, o.getStoreRun()).map(Manifest::version)
                .orElseThrow(() -> new IllegalArgumentException("no ranker playlist gave examples: the share "
                        + first.share() + " of the training playlists holds none with two known tracks"));
        if (ownsRun) {
            Snapshot s = store.commitRun(o.getStoreRun(), PRODUCER, SETS);
            Progress.report("store", 0, 0, 0, "snapshot " + s.id());
        }
        long t1 = System.nanoTime();
        Progress.report("fit", 0, 0, 0, "fitting LambdaMART on " + RankerExamples.NAME + " " + examples);
        Map<String, String> builtFrom = new LinkedHashMap<>(RankingData.load(store, factorsVersion).versions());
        builtFrom.put(TrackFactors.NAME, factorsVersion);
        RankerTraining.Result r = RankerTraining.fit(store, examples, builtFrom, params(o), o.getValidationShare());
        long t2 = System.nanoTime();
        Progress.report("fit", 1, 1, 0, "wrote ranker " + r.rankerVersion());
        return new Summary(factorsVersion, first.share(), first.fromRun(), examples, r, (t1 - t0) / 1e9,
                (t2 - t1) / 1e9);
    }

    /** The recipe: ingest the slices, build the ranker playlists' examples, write them as one set. */
    public static PCollection<String> build(Pipeline p, RankerOptions o, String factorsVersion, double share) {
        MpdIngest.Result ingest = p.apply("Ingest", MpdIngest.from(o.getMpd()).withMaxErrorRate(o.getMaxErrorRate()));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("mpd", o.getMpd());
        params.put(RankerExamples.FEATURES_PARAMETER, String.join(",", RankFeatures.NAMES));
        params.put(RankerHoldout.PARAMETER, Double.toString(share));
        params.put(TrackFactors.NAME + "_version", factorsVersion);
        params.put(SHAPES_PARAMETER, Integer.toString(o.getShapesPerPlaylist()));
        WriteOptions write = StoreRunOptions.tag(o, WriteOptions.producer(PRODUCER).params(params));
        return ingest.blocks()
                .apply("RankerExamples", new BuildRankerExamples(o.getStore(), factorsVersion, share,
                        ExactWrmf.DEFAULT_TITLE_PRIOR_SEEDS, o.getShapesPerPlaylist(), ingest.checkedTotals()))
                .apply("WriteRankerExamples", FeatureSetIO.write(o.getStore(), examplesSchema(), write));
    }
}
