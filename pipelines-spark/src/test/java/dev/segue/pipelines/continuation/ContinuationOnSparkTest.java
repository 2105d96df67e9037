package dev.segue.pipelines.continuation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.pipelines.quality.HoldoutRPrecision;
import dev.segue.pipelines.spark.StoreAgreement;
import dev.segue.pipelines.testing.TinyMpd;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole continuation pipeline on the DirectRunner and on Spark ({@code local[2]}), as {@code RunnersAgreeTest}
 * does for Flink: identical vocabularies and statistics, factors and everything computed from them (title
 * embeddings) within 1e-5, the same loss history and held-out quality. Spark exchanges the factors through files
 * ({@code --factorExchange=FILES}, the path a cluster takes), the DirectRunner inline.
 */
class ContinuationOnSparkTest {
    /** Factors agree to this (relative above 1): both runners sum Grams in fixed point; the rest is float rounding. */
    static final double FACTOR_TOLERANCE = 1e-5;

    @TempDir
    Path tmp;

    @Test
    void sparkWritesWhatTheDirectRunnerWrites() throws Exception {
        TinyMpd all = new TinyMpd(700, 8, 30, 17);
        TinyMpd train = new TinyMpd(0, 8, 30, 0);
        train.playlists.addAll(all.playlists.subList(0, 600));
        Path mpd = train.write(tmp.resolve("mpd"), 150);
        List<HoldoutRPrecision.Case> cases = new ArrayList<>();
        for (MpdPlaylist p : all.playlists.subList(600, 700)) {
            List<String> uris = p.tracks().stream().map(MpdTrack::trackUri).toList();
            cases.add(new HoldoutRPrecision.Case(p.name(), uris.subList(0, 5), uris.subList(5, uris.size())));
        }

        Path direct = tmp.resolve("direct");
        ContinuationPipeline.run(ContinuationPipelineTest.options(mpd, direct, "--factors=16", "--iterations=6",
                "--factorExchange=BROADCAST"));
        Path spark = tmp.resolve("spark");
        Path temp = Files.createDirectories(tmp.resolve("spark-temp"));
        ContinuationPipeline.run(ContinuationPipelineTest.options(mpd, spark, "--factors=16", "--iterations=6",
                "--runner=SparkRunner", "--sparkMaster=local[2]", "--factorExchange=FILES", "--tempLocation=" + temp));

        for (String set : List.of(FeatureSets.TRACKS, FeatureSets.TRACK_STATS)) {
            StoreAgreement.assertSameRows(direct, spark, set, 0);
        }
        for (String set : List.of(FeatureSets.TRACK_FACTORS, FeatureSets.PLAYLIST_FACTORS, FeatureSets.TITLE_EMBEDDINGS,
                FeatureSets.TITLE_TRACKS)) {
            StoreAgreement.assertSameRows(direct, spark, set, FACTOR_TOLERANCE);
        }
        try (FeatureSetReader a = FeatureStore.open(direct).read(FeatureSets.TRACK_FACTORS);
             FeatureSetReader b = FeatureStore.open(spark).read(FeatureSets.TRACK_FACTORS)) {
            assertEquals(a.manifest().parameters().get("loss_history"), b.manifest().parameters().get("loss_history"));
        }
        HoldoutRPrecision.Result d = HoldoutRPrecision.fromStore(direct).evaluate(cases);
        HoldoutRPrecision.Result s = HoldoutRPrecision.fromStore(spark).evaluate(cases);
        assertEquals(d.foldIn(), s.foldIn(), 0.01);
        assertEquals(d.title(), s.title(), 0.01);
        // the run's factor files went away with it, and the snapshot lists every set
        try (var left = Files.list(temp)) {
            assertEquals(List.of(), left.toList());
        }
        assertEquals(FeatureStore.open(direct).list(), FeatureStore.open(spark).list());
    }
}
