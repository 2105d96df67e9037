package dev.segue.churn.cli;

import dev.segue.churn.ChurnTraining;
import dev.segue.churn.RatingsAls;
import dev.segue.churn.RatingsAlsOptions;
import dev.segue.genre.GenreTraining;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code segue train churn|genre}: prove the stored features carry signal; metrics JSON + Markdown in --out. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train and evaluate models on features from the store.",
        subcommands = {TrainCommand.Churn.class, TrainCommand.Genre.class, TrainCommand.Ratings.class})
public final class TrainCommand implements Runnable {
    /** Tribuo logs every tree it builds at INFO; held here so the level sticks. */
    static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose what to train: churn, genre or ratings");
    }

    /**
     * The store must exist; a local folder or a store URI ({@code hdfs://namenode:8020/store}), read through the
     * store's file IO as {@code segue store} and {@code segue serve} do.
     */
    static void checkStore(String store) {
        dev.segue.store.cli.StoreCommand.openExisting(store);
    }

    @Command(name = "churn", mixinStandardHelpOptions = true,
            description = "Churn classifiers (logistic regression, random forest, gradient-boosted trees) on point-in-time "
                    + "training data: users x label dates known by --as-of.")
    static final class Churn implements Callable<Integer> {
        @Option(names = "--store", required = true, paramLabel = "DIR",
                description = "feature store with the churn pipeline's feature sets (segue pipeline churn); a folder or hdfs://…")
        String store;

        @Option(names = "--as-of", required = true, paramLabel = "DATE", description = "use labels known by the end of this day (yyyy-MM-dd)")
        String asOf;

        @Option(names = "--out", defaultValue = "report", paramLabel = "DIR", description = "report folder (default ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--test-fraction", defaultValue = "0.2",
                description = "share of the examples held out to measure the models (default ${DEFAULT-VALUE})")
        double testFraction;

        @Option(names = "--seed", defaultValue = "42",
                description = "seed of the train/test split and of the randomised models (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--trees", defaultValue = "100", description = "trees of the random forest (default ${DEFAULT-VALUE})")
        int trees;

        @Option(names = "--boost-rounds", defaultValue = "200",
                description = "boosting rounds of the gradient-boosted trees (default ${DEFAULT-VALUE})")
        int boostRounds;

        @Override
        public Integer call() throws IOException {
            checkStore(store);
            LocalDate date;
            try {
                date = LocalDate.parse(asOf);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--as-of '" + asOf + "': not a yyyy-MM-dd date");
            }
            if (!(testFraction > 0 && testFraction < 1) || trees < 1 || boostRounds < 1) {
                throw new IllegalArgumentException("--test-fraction must be in (0, 1), --trees and --boost-rounds at least 1");
            }
            ChurnTraining.Result r = ChurnTraining.run(new ChurnTraining.Options(store, date, testFraction, seed, trees,
                    boostRounds, out));
            System.out.printf(Locale.ROOT, "churn as of %s: %,d labelled users (%,d train / %,d test), churn rate %.3f%n",
                    r.asOf(), r.examples(), r.train(), r.test(), r.churnRate());
            for (ChurnTraining.ModelResult m : r.models()) {
                Map<String, Double> x = m.metrics();
                System.out.printf(Locale.ROOT, "  %-22s AUROC %.4f  AUPR %.4f  acc %.4f  P %.4f  R %.4f  F1 %.4f  top: %s%n",
                        m.model(), x.get("auroc"), x.get("aupr"), x.get("accuracy"), x.get("precision"),
                        x.get("recall"), x.get("f1"), m.topFeatures().isEmpty() ? "-" : m.topFeatures().get(0).getKey());
            }
            System.out.println("report: " + out.resolve("churn-metrics.json") + ", " + out.resolve("churn-summary.md"));
            return 0;
        }
    }

    @Command(name = "genre", mixinStandardHelpOptions = true,
            description = "Broad-genre classifier from the audio features against the majority-class baseline.")
    static final class Genre implements Callable<Integer> {
        @Option(names = "--store", required = true, paramLabel = "DIR",
                description = "feature store with the genre pipeline's feature sets (segue pipeline genre); a folder or hdfs://…")
        String store;

        @Option(names = "--out", defaultValue = "report", paramLabel = "DIR", description = "report folder (default ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--test-fraction", defaultValue = "0.2",
                description = "share of the examples held out to measure the models (default ${DEFAULT-VALUE})")
        double testFraction;

        @Option(names = "--seed", defaultValue = "42",
                description = "seed of the train/test split and of the randomised models (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--trees", defaultValue = "100", description = "trees of the random forest (default ${DEFAULT-VALUE})")
        int trees;

        @Option(names = "--sample", defaultValue = "50000",
                description = "use about this many labelled tracks, a seeded sample (0 = all; default ${DEFAULT-VALUE})")
        int sample;

        @Override
        public Integer call() throws IOException {
            checkStore(store);
            if (!(testFraction > 0 && testFraction < 1) || trees < 1 || sample < 0) {
                throw new IllegalArgumentException("--test-fraction must be in (0, 1), --trees at least 1, --sample >= 0");
            }
            GenreTraining.Result r = GenreTraining.run(new GenreTraining.Options(store, testFraction, seed, trees, sample,
                    out));
            System.out.printf(Locale.ROOT, "genre: %,d labelled tracks, used %,d train / %,d test, %d classes%n",
                    r.labelled(), r.train(), r.test(), r.classCounts().size());
            for (GenreTraining.ModelResult m : r.models()) {
                System.out.printf(Locale.ROOT, "  %-20s accuracy %.4f  macro F1 %.4f  micro F1 %.4f%n", m.model(),
                        m.metrics().get("accuracy"), m.metrics().get("macro_f1"), m.metrics().get("micro_f1"));
            }
            System.out.println("report: " + out.resolve("genre-metrics.json") + ", " + out.resolve("genre-summary.md"));
            return 0;
        }
    }

    @Command(name = "ratings", mixinStandardHelpOptions = true,
            description = {"Users x songs factors from user_song_ratings with the continuation pipeline's implicit ALS: "
                    + "writes user_factors and song_factors.",
                "Any other --name=value is passed to Beam (e.g. --runner=FlinkRunner)."})
    static final class Ratings implements Callable<Integer> {
        @Option(names = "--store", required = true, paramLabel = "DIR",
                description = "feature store with user_song_ratings; the factors are written there too; a folder or hdfs://…")
        String store;

        @Option(names = "--factors", defaultValue = "32", description = "latent dimension (default ${DEFAULT-VALUE})")
        int factors;

        @Option(names = "--iterations", defaultValue = "10", description = "ALS iterations (default ${DEFAULT-VALUE})")
        int iterations;

        @Option(names = "--alpha", defaultValue = "5.0", description = "confidence c = 1 + alpha*rating (default ${DEFAULT-VALUE})")
        double alpha;

        @Option(names = "--regularization", defaultValue = "1.0", description = "lambda (default ${DEFAULT-VALUE})")
        double regularization;

        @Unmatched
        List<String> beam = new ArrayList<>();

        @Override
        public Integer call() {
            checkStore(store);
            RatingsAlsOptions o = ChurnPipelineCommand.ratingsOptions(store, factors, iterations, alpha,
                    regularization, beam);
            System.out.println(RatingsAls.run(o).summary());
            return 0;
        }
    }
}
