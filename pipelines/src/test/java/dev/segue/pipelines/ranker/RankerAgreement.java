package dev.segue.pipelines.ranker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.FeatureSetContracts.RankerExamples;
import dev.segue.pipelines.testing.StoreAgreement;
import dev.segue.ranking.RankFeatures;
import dev.segue.ranking.RankerArtifacts;
import dev.segue.ranking.RankerModel;
import dev.segue.store.FeatureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The ranker pipeline ({@code segue pipeline ranker}) on the DirectRunner and on another runner (Flink in
 * {@code RunnersAgreeTest}, Spark {@code local[2]} in pipelines-spark's {@code ContinuationOnSparkTest}), each on its
 * own copy of the continuation store those tests already wrote with the DirectRunner: the same
 * {@code ranker_examples} (every row by its key, every feature exactly, NaN for NaN, since both compute them from
 * the same store with the same code), and a ranker fitted from them on each side. That store records no ranker
 * holdout, so the pipeline takes {@code --rankerShare} (and warns that the first stage saw those playlists): the
 * runners must agree all the same, and the test saves a continuation run per runner.
 */
public final class RankerAgreement {
    private RankerAgreement() {}

    /**
     * Runs the ranker pipeline on two copies (under {@code dir}) of {@code continuationStore}, written from
     * {@code mpd}: with the DirectRunner and with {@code runnerArgs}; asserts that both wrote the same examples.
     * Returns the number of example rows.
     */
    public static int runAndAssertAgrees(Path mpd, Path continuationStore, Path dir, String... runnerArgs)
            throws Exception {
        Path direct = copy(continuationStore, dir.resolve("ranker-direct"));
        Path other = copy(continuationStore, dir.resolve("ranker-other"));
        RankerPipeline.Summary d = RankerPipeline.run(options(mpd, direct, "--runner=DirectRunner",
                "--enforceImmutability=false", "--enforceEncodability=false", "--targetParallelism=2"));
        RankerPipeline.Summary o = RankerPipeline.run(options(mpd, other, runnerArgs));

        int rows = StoreAgreement.assertSameRows(direct, other, RankerExamples.NAME, 0);
        assertTrue(rows > 0, "no examples");
        assertEquals(d.training().rows(), o.training().rows());
        for (Path store : List.of(direct, other)) {
            try (RankerModel m = new RankerArtifacts(FeatureStore.open(store)).load("latest", RankFeatures.NAMES)) {
                assertEquals(FeatureStore.open(store).latest(RankerExamples.NAME).version(),
                        m.builtFrom().get(RankerExamples.NAME), store.toString());
            }
        }
        return rows;
    }

    private static RankerOptions options(Path mpd, Path store, String... runnerArgs) {
        Map<String, String> args = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(List.of("--mpd=" + mpd, "--store=" + store, "--rankerShare=0.1",
                "--rounds=10", "--validationShare=0.3"));
        all.addAll(List.of(runnerArgs));
        for (String a : all) {
            args.put(a.substring(0, a.indexOf('=')), a);
        }
        PipelineOptionsFactory.register(RankerOptions.class);
        return PipelineOptionsFactory.fromArgs(args.values().toArray(new String[0])).withValidation()
                .as(RankerOptions.class);
    }

    private static Path copy(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
