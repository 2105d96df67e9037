package dev.segue.baselines;

import dev.segue.format.FeatureSetContracts.TitleEmbeddings;
import dev.segue.format.FeatureSetContracts.TrackStats;
import dev.segue.ranking.CandidateConfig;
import dev.segue.ranking.ExactWrmf;
import dev.segue.ranking.OfflineTwoStage;
import dev.segue.ranking.RankFeatures;
import dev.segue.ranking.RankerArtifacts;
import dev.segue.ranking.RankerModel;
import dev.segue.ranking.RankingData;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import dev.segue.titles.TitleVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import java.util.function.LongPredicate;

/**
 * What baselines are computed from, loaded on first use and shared: the training MPD slices
 * ({@code --mpd}), the feature store ({@code --store}) and the oracle submission ({@code --oracle}).
 */
public final class BaselineInputs {
    public static final String TITLE_EMBEDDINGS = TitleEmbeddings.NAME;

    private final Path mpd;
    private final Path store;
    private final Path oracle;
    private final LongPredicate inChallenge;
    private final IntConsumer onSlice;
    private double titlePriorSeeds = ExactFoldIn.DEFAULT_TITLE_PRIOR_SEEDS;
    private TrainingData training;
    private TitleVectors titles;
    private String titlesVersion;
    private ExactWrmf exactWrmf;
    private RankingData rankingData;
    private String rankerVersion;

    /**
     * @param inChallenge the challenge's pids (submission lines for other pids are errors)
     * @param onSlice progress callback while slices load (may be null)
     */
    public BaselineInputs(Path mpd, Path store, Path oracle, LongPredicate inChallenge, IntConsumer onSlice) {
        this.mpd = mpd;
        this.store = store;
        this.oracle = oracle;
        this.inChallenge = inChallenge;
        this.onSlice = onSlice;
    }

    public Path mpd() {
        return mpd;
    }

    public Path store() {
        return store;
    }

    public Path oracle() {
        return oracle;
    }

    public LongPredicate inChallenge() {
        return inChallenge;
    }

    /** The seed/title blend prior of als-exact; must equal the server's to compare (its default is 5). */
    public synchronized BaselineInputs titlePriorSeeds(double s0) {
        if (!(s0 >= 0) || Double.isInfinite(s0)) {
            throw new IllegalArgumentException("--title-prior-seeds must be a number >= 0, got " + s0);
        }
        this.titlePriorSeeds = s0;
        return this;
    }

    public synchronized double titlePriorSeeds() {
        return titlePriorSeeds;
    }

    /** True when the training data has been loaded (so it can serve as the artist catalog without a load). */
    public synchronized boolean trainingLoaded() {
        return training != null;
    }

    public synchronized TrainingData training(String forWhat) throws IOException {
        if (training == null) {
            if (mpd == null) {
                throw new MissingInputException(forWhat + " needs the training slices: give --mpd DIR");
            }
            if (!Files.isDirectory(mpd)) {
                throw new MissingInputException("--mpd " + mpd + " is not a folder");
            }
            training = TrainingData.load(mpd, onSlice);
        }
        return training;
    }

    public synchronized TitleVectors titleVectors(String forWhat) {
        if (titles == null) {
            FeatureStore fs = featureStore(forWhat);
            if (fs.versions(TITLE_EMBEDDINGS).isEmpty()) {
                throw new MissingInputException(forWhat + " needs the " + TITLE_EMBEDDINGS + " feature set, but "
                        + store + " has none (run the continuation pipeline first)");
            }
            try (FeatureSetReader reader = fs.read(TITLE_EMBEDDINGS)) {
                Table t = reader.readAll(TitleEmbeddings.KEY, TitleEmbeddings.KIND, TitleEmbeddings.COUNT,
                        TitleEmbeddings.VECTOR);
                titles = new TitleVectors(t.strings(TitleEmbeddings.KEY), t.strings(TitleEmbeddings.KIND),
                        t.longs(TitleEmbeddings.COUNT),
                        t.embeddings(TitleEmbeddings.VECTOR), t.dim(TitleEmbeddings.VECTOR));
                titlesVersion = reader.version();
            }
        }
        return titles;
    }

    /** The exact fold-in over the store's latest factors, loaded once for als-exact and the two-stage methods. */
    public synchronized ExactWrmf exactWrmf(String forWhat) {
        if (exactWrmf == null) {
            exactWrmf = ExactFoldIn.load(featureStore(forWhat), titlePriorSeeds);
        }
        return exactWrmf;
    }

    /**
     * The exact offline two-stage recommender over the latest factors and the sets of their run; with
     * {@code withRanker}, the store's latest ranker (its version: {@link #rankerVersion()}).
     */
    public synchronized OfflineTwoStage offlineTwoStage(String forWhat, boolean withRanker) {
        ExactWrmf wrmf = exactWrmf(forWhat);
        FeatureStore fs = featureStore(forWhat);
        if (rankingData == null) {
            if (fs.versions(TrackStats.NAME).isEmpty()) {
                throw new MissingInputException(forWhat + " needs the " + TrackStats.NAME + " feature set, but "
                        + store + " has none (run the continuation pipeline first)");
            }
            rankingData = RankingData.load(fs, wrmf.factorsVersion());
        }
        RankerModel ranker = null;
        if (withRanker) {
            RankerArtifacts artifacts = new RankerArtifacts(fs);
            rankerVersion = artifacts.latest().orElseThrow(() -> new MissingInputException(forWhat
                    + " needs a ranker, but " + store + " has none (run segue pipeline ranker first)"));
            ranker = artifacts.load(rankerVersion, RankFeatures.NAMES);
        }
        return new OfflineTwoStage(wrmf, rankingData, CandidateConfig.defaults(), ranker);
    }

    /** The ranker version the two-stage method loaded, or null. */
    public synchronized String rankerVersion() {
        return rankerVersion;
    }

    public synchronized String titlesVersion() {
        return titlesVersion;
    }

    FeatureStore featureStore(String forWhat) {
        if (store == null) {
            throw new MissingInputException(forWhat + " needs the feature store: give --store DIR");
        }
        if (!Files.isDirectory(store)) {
            throw new MissingInputException("--store " + store + " is not a folder");
        }
        return FeatureStore.open(store);
    }

    /** A baseline cannot run without an input the command line did not give. */
    public static final class MissingInputException extends IllegalArgumentException {
        public MissingInputException(String message) {
            super(message);
        }
    }
}
