package dev.segue.pipelines.cli;

import dev.segue.format.ChallengeCategory;
import dev.segue.pipelines.progress.Progress;
import dev.segue.pipelines.ranker.RankerOptions;
import dev.segue.pipelines.ranker.RankerPipeline;
import dev.segue.pipelines.ranker.RankerTraining;
import dev.segue.ranking.RankerModel;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code segue pipeline ranker}: the ranker's examples from training playlists (Beam), the LambdaMART fit on the
 * driver and the ranker artifact in the store. Unrecognised options go to Beam.
 */
@Command(name = "ranker",
        mixinStandardHelpOptions = true,
        description = {"Build ranker_examples from the training playlists the continuation run left out (split in "
                + "the ten challenge shapes; never challenge truth), fit the LambdaMART ranker and store it.",
            "Other options are passed to Beam, e.g. --runner=FlinkRunner --flinkMaster=host:8081."})
public final class RankerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MpdStoreOptions input;

    @Option(names = {"--factors-version", "--factorsVersion"}, paramLabel = "V",
            description = "track_factors version of the first stage (default: ${DEFAULT-VALUE})")
    String factorsVersion = "latest";

    @Option(names = {"--ranker-share", "--rankerShare"}, paramLabel = "F",
            description = "share of training playlists to learn from when the continuation run recorded no "
                    + "ranker_holdout (default: ${DEFAULT-VALUE})")
    double rankerShare = 0.02;

    @Option(names = {"--validation-share", "--validationShare"}, paramLabel = "F",
            description = "share of the ranker playlists kept for the validation NDCG (default: ${DEFAULT-VALUE})")
    double validationShare = 0.2;

    @Option(names = {"--shapes-per-playlist", "--shapesPerPlaylist"}, paramLabel = "N",
            description = "example groups per ranker playlist, each in another challenge shape its length allows "
                    + "(1-10; default: ${DEFAULT-VALUE})")
    int shapesPerPlaylist = dev.segue.ranking.RankerHoldout.DEFAULT_SHAPES;

    @Option(names = "--rounds", paramLabel = "N", description = "boosting rounds (default: ${DEFAULT-VALUE})")
    int rounds = 200;

    @Option(names = {"--early-stopping", "--earlyStopping"}, paramLabel = "N",
            description = "stop once N rounds in a row did not improve the validation NDCG@500 and keep the best "
                    + "round's trees; 0 keeps all --rounds (default: ${DEFAULT-VALUE})")
    int earlyStopping = dev.segue.ranking.RankerModel.Params.DEFAULT_EARLY_STOPPING;

    @Option(names = "--eta", description = "learning rate (default: ${DEFAULT-VALUE})")
    double eta = 0.1;

    @Option(names = {"--max-depth", "--maxDepth"}, paramLabel = "N", description = "tree depth (default: ${DEFAULT-VALUE})")
    int maxDepth = 6;

    @Unmatched
    List<String> beamOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RankerOptions options;
        try {
            PipelineOptionsFactory.register(RankerOptions.class);
            BeamArgs args = new BeamArgs().set("mpd", input.mpd).set("store", input.store).set("factorsVersion", factorsVersion)
                    .set("rankerShare", rankerShare).set("validationShare", validationShare)
                    .set("shapesPerPlaylist", shapesPerPlaylist).set("rounds", rounds)
                    .set("earlyStopping", earlyStopping).set("eta", eta).set("maxDepth", maxDepth).passThrough(beamOptions).directRunnerDefaults();
            options = PipelineOptionsFactory.fromArgs(args.toArray()).withValidation().as(RankerOptions.class);
            ContinuationCommand.checkInput(input.mpd, options);
        } catch (IllegalArgumentException e) {
            err.println("segue pipeline ranker: " + e.getMessage());
            return 2;
        }
        long start = System.nanoTime();
        RankerPipeline.Summary s;
        try (AutoCloseable l = Progress.listen(e -> {
            if (!input.quiet) {
                ContinuationCommand.printEvent(err, start, e);
            }
        })) {
            s = RankerPipeline.run(options);
        } catch (Exception e) {
            return MpdStoreOptions.failed(err, "ranker", e, null);
        }
        printSummary(out, s);
        return 0;
    }

    static void printSummary(PrintWriter out, RankerPipeline.Summary s) {
        RankerTraining.Result r = s.training();
        out.printf("first stage: track_factors %s; ranker playlists: %.4f of the training playlists (%s)%n",
                s.factorsVersion(), s.share(), s.shareFromRun() ? "left out of ALS by the continuation run"
                        : "NOT left out of ALS: the continuation run recorded no ranker_holdout");
        out.printf("ranker_examples %s: %,d rows, %,d playlists, %,d groups (%,d train, %,d validation)%n",
                s.examplesVersion(), r.rows(), r.playlists(), r.groups(), r.trainGroups(), r.validationGroups());
        out.printf("candidate recall %.3f overall; per category: recall, validation NDCG ranker / first stage /"
                + " popularity order / ranker + w·log_playlists for w = %s, the order selected%n", r.overallRecall(),
                java.util.Arrays.toString(RankerModel.BLEND_WEIGHTS));
        Map<ChallengeCategory, RankerModel.Selection> orders = r.orders();
        for (ChallengeCategory c : r.recall().keySet()) {
            double[] v = r.validationNdcg().get(c);
            StringBuilder nd = new StringBuilder();
            for (int i = 0; v != null && i < v.length; i++) {
                nd.append(i == 0 ? "" : " / ").append(String.format(java.util.Locale.ROOT, "%.4f", v[i]));
            }
            RankerModel.Selection sel = orders.get(c);
            String how = sel.order().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            if (sel.popularityWeight() != 0f) {
                how += " + " + sel.popularityWeight() + "·log_playlists";
            }
            out.printf("  %-20s %.3f   %s  %s%n", c.label(), r.recall(c), v == null ? "no validation groups" : nd,
                    how);
        }
        Map<String, String> m = r.model().metrics();
        m.forEach((k, v) -> {
            if (k.startsWith("validation_")) {
                out.printf("%s %s%n", k, v);
            }
        });
        out.printf("rounds: %s asked, %s run, %s kept (early stopping after %s rounds without validation gain; 0 ="
                + " off)%n", r.model().parameters().get("rounds"), m.get(RankerModel.ROUNDS_RUN),
                m.get(RankerModel.ROUNDS_KEPT), r.model().parameters().get("early_stopping_rounds"));
        out.println("feature gain (XGBoost mean gain per split):");
        r.model().featureGain().entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.printf("  %-26s %.4f%n", e.getKey(), e.getValue()));
        out.printf("examples %.1f s, fit %.1f s, total %.1f s%n", s.examplesSeconds(), s.fitSeconds(),
                s.examplesSeconds() + s.fitSeconds());
        out.printf("wrote ranker %s%n", r.rankerVersion());
        out.flush();
    }
}
