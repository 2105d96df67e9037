package dev.segue.pipelines.continuation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.pipelines.quality.HoldoutRPrecision;
import dev.segue.pipelines.testing.StoreAgreement;
import dev.segue.pipelines.testing.TinyMpd;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The continuation pipeline on the DirectRunner and on another runner (Flink in {@code RunnersAgreeTest}, Spark
 * {@code local[2]} in pipelines-spark's {@code ContinuationOnSparkTest}) must write the same feature sets: identical
 * vocabularies, statistics and co-occurrence neighbours, factors and everything computed from them within
 * {@link #FACTOR_TOLERANCE}, the same loss history and held-out quality, the same snapshot. The other runner
 * exchanges the factors through files ({@code --factorExchange=FILES}, the path a cluster takes), the DirectRunner
 * inline.
 */
public final class ContinuationAgreement {
    /** Factors agree to this (relative above 1): both runners sum Grams in fixed point; the rest is float rounding. */
    public static final double FACTOR_TOLERANCE = 1e-5;

    /** The world's training MPD folder and its held-out cases (seeds, held-out tracks). */
    public record World(Path mpd, List<HoldoutRPrecision.Case> cases) {}

    private ContinuationAgreement() {}

    /** 700 tiny playlists: 600 written as an MPD folder under {@code dir}, 100 held out as five-seed cases. */
    public static World world(Path dir) throws Exception {
        TinyMpd all = new TinyMpd(700, 8, 30, 17);
        TinyMpd train = new TinyMpd(0, 8, 30, 0);
        train.playlists.addAll(all.playlists.subList(0, 600));
        Path mpd = train.write(dir.resolve("mpd"), 150);
        List<HoldoutRPrecision.Case> cases = new ArrayList<>();
        for (MpdPlaylist p : all.playlists.subList(600, 700)) {
            List<String> uris = p.tracks().stream().map(MpdTrack::trackUri).toList();
            cases.add(new HoldoutRPrecision.Case(p.name(), uris.subList(0, 5), uris.subList(5, uris.size())));
        }
        return new World(mpd, cases);
    }

    /** The DirectRunner's run (16 factors, 6 iterations, factors inline) into {@code store}. */
    public static void runDirect(World world, Path store) throws Exception {
        ContinuationPipeline.run(ContinuationPipelineTest.options(world.mpd(), store, "--factors=16", "--iterations=6",
                "--factorExchange=BROADCAST"));
    }

    /**
     * The same run on another runner ({@code runnerArgs}: {@code --runner=…} and its options) into {@code store},
     * the factors through files under {@code temp}; then asserts it wrote what the DirectRunner wrote into
     * {@code direct}, and that the run's factor files went away with it.
     */
    public static void runAndAssertAgrees(World world, Path direct, Path store, Path temp, String... runnerArgs)
            throws Exception {
        Files.createDirectories(temp);
        List<String> args = new ArrayList<>(List.of("--factors=16", "--iterations=6", "--factorExchange=FILES",
                "--tempLocation=" + temp));
        args.addAll(List.of(runnerArgs));
        ContinuationPipeline.run(ContinuationPipelineTest.options(world.mpd(), store, args.toArray(new String[0])));

        for (String set : List.of(FeatureSets.TRACKS, FeatureSets.TRACK_STATS, FeatureSets.TRACK_NEIGHBOURS)) {
            StoreAgreement.assertSameRows(direct, store, set, 0); // sums and counts: exact, whichever runner groups them
        }
        for (String set : List.of(FeatureSets.TRACK_FACTORS, FeatureSets.PLAYLIST_FACTORS, FeatureSets.TITLE_EMBEDDINGS,
                FeatureSets.TITLE_TRACKS)) {
            StoreAgreement.assertSameRows(direct, store, set, FACTOR_TOLERANCE);
        }
        try (FeatureSetReader a = FeatureStore.open(direct).read(FeatureSets.TRACK_FACTORS);
             FeatureSetReader b = FeatureStore.open(store).read(FeatureSets.TRACK_FACTORS)) {
            assertEquals(a.manifest().parameters().get("loss_history"), b.manifest().parameters().get("loss_history"));
        }
        HoldoutRPrecision.Result d = HoldoutRPrecision.fromStore(direct).evaluate(world.cases());
        HoldoutRPrecision.Result o = HoldoutRPrecision.fromStore(store).evaluate(world.cases());
        assertEquals(d.foldIn(), o.foldIn(), 0.01);
        assertEquals(d.title(), o.title(), 0.01);
        try (var left = Files.list(temp)) {
            assertEquals(List.of(), left.toList(), "factor files left in " + temp);
        }
        assertEquals(FeatureStore.open(direct).list(), FeatureStore.open(store).list());
    }
}
