package dev.segue.serving.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.ranking.CandidateConfig;
import dev.segue.ranking.Examples;
import dev.segue.ranking.RankFeatures;
import dev.segue.ranking.RankerArtifacts;
import dev.segue.ranking.RankerModel;
import dev.segue.serving.RankedStore;
import dev.segue.serving.TestData;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.query.ContinueQuery;
import dev.segue.serving.query.FilterSpec;
import dev.segue.serving.query.QueryEngine;
import dev.segue.serving.query.QueryOptions;
import dev.segue.serving.query.Recommendation;
import dev.segue.store.FeatureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which ranker the loader serves with the factors, and every way it refuses one (issue 19's bad input). */
class RankerLoadingTest {
    static final SyntheticCatalog SYNTHETIC = new SyntheticCatalog(600, 8, 5, 3);
    static final String OLD = "20200101T000000Z-00000000";
    static final String NEW = "20300101T000000Z-00000000";

    @TempDir
    static Path template;
    static String factors;

    @BeforeAll
    static void writeStore() {
        factors = RankedStore.write(template, SYNTHETIC);
    }

    private static Path copy(Path to) throws Exception {
        try (var files = Files.walk(template)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(template.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    private static ServingModel load(Path store, boolean rankerOn) throws Exception {
        return new StoreModelLoader(store, null, TestData.PARAMS, 2, null, null, rankerOn, CandidateConfig.defaults())
                .load(factors, BuildProgress.NONE, Cancellation.NEVER);
    }

    /** A Continue answered by the model: which stage ran. */
    private static Recommendation ask(ServingModel model) {
        return new QueryEngine(QueryOptions.DEFAULTS).recommend(model, new ContinueQuery(null,
                RankedStore.uris(new int[] {1, 2, 3}), 20, FilterSpec.NONE), Cancellation.NEVER);
    }

    @Test
    void noRankerInTheStoreServesTheFirstStageAndSaysSo(@TempDir Path dir) throws Exception {
        ServingModel model = load(copy(dir), true);
        assertFalse(model.ranking().active());
        assertEquals("none", model.ranking().rankerVersion());
        assertTrue(model.ranking().note().startsWith("no ranker in " + dir.resolve("_artifacts").resolve("ranker")),
                model.ranking().note());
        Recommendation r = ask(model);
        assertFalse(r.stages().secondStage());
        assertEquals(QueryEngine.NO_RANKER, r.stages().note());
        assertEquals(List.of("wrmf"), r.stages().sources());
        assertEquals(20, r.tracks().size());
    }

    @Test
    void theNewestRankerBuiltFromTheServedFactorsIsServedAndOffMeansOff(@TempDir Path dir) throws Exception {
        Path store = copy(dir);
        RankedStore.train(store, SYNTHETIC, factors, OLD);
        // newer, but recorded as built from other factors: never paired with these
        Path from = store.resolve("_artifacts/ranker/" + OLD + "/lambdamart");
        Path to = store.resolve("_artifacts/ranker/" + NEW + "/lambdamart");
        Files.createDirectories(to);
        Files.copy(from.resolve(RankerArtifacts.FILE), to.resolve(RankerArtifacts.FILE));
        Files.writeString(to.resolve("artifact.json"), Files.readString(from.resolve("artifact.json"))
                .replace("\"" + factors + "\"", "\"v999999\"").replace(OLD, NEW));
        assertEquals(List.of(OLD, NEW), new RankerArtifacts(FeatureStore.open(store)).versions());
        ServingModel model = load(store, true);
        assertTrue(model.ranking().active(), model.ranking().note());
        assertEquals(OLD, model.ranking().rankerVersion());
        assertTrue(model.ranking().note().contains("candidate sources off"), model.ranking().note());
        Recommendation r = ask(model);
        assertTrue(r.stages().secondStage());
        assertEquals(OLD, r.stages().rankerVersion());
        assertEquals(List.of("wrmf", "artist", "album", "popular"), r.stages().sources());

        ServingModel off = load(store, false);
        assertFalse(off.ranking().active());
        assertTrue(off.ranking().note().contains("--ranker off"), off.ranking().note());
        assertEquals(QueryEngine.NO_RANKER, ask(off).stages().note());
    }

    @Test
    void rankersOfOtherFactorsOnlyAreNotServedNamingBothVersions(@TempDir Path dir) throws Exception {
        Path store = copy(dir);
        RankedStore.train(store, SYNTHETIC, factors, OLD);
        Path manifest = store.resolve("_artifacts/ranker/" + OLD + "/lambdamart/artifact.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"" + factors + "\"", "\"v000042\""));
        ServingModel model = load(store, true);
        assertFalse(model.ranking().active());
        String note = model.ranking().note();
        assertTrue(note.contains("was built from track_factors " + factors) && note.contains("from v000042"), note);
    }

    @Test
    void aRankerOfAnotherFeatureListIsRefusedNamingBothLists(@TempDir Path dir) throws Exception {
        Path store = copy(dir);
        Random random = new Random(3);
        Examples two = new Examples(2);
        for (int g = 0; g < 20; g++) {
            float[] x = new float[10];
            float[] y = new float[5];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat();
            }
            y[random.nextInt(5)] = 1;
            two.add(x, y);
        }
        try (RankerModel m = RankerModel.fit(List.of("wrmf_score", "seeds"), two, null, RankedStore.PARAMS,
                Map.of(StoreModelLoader.FACTORS, factors))) {
            new RankerArtifacts(FeatureStore.open(store)).save(OLD, m, two.rows());
        }
        ServingModel model = load(store, true);
        assertFalse(model.ranking().active());
        String note = model.ranking().note();
        assertTrue(note.startsWith("refused ranker " + OLD), note);
        assertTrue(note.contains("[wrmf_score, seeds]") && note.contains(RankFeatures.NAMES.toString()), note);
        assertFalse(ask(model).stages().secondStage());
    }

    @Test
    void aCorruptModelFileFailsItsChecksumNamingThePath(@TempDir Path dir) throws Exception {
        Path store = copy(dir);
        RankedStore.train(store, SYNTHETIC, factors, OLD);
        Path file = store.resolve("_artifacts/ranker/" + OLD + "/lambdamart/" + RankerArtifacts.FILE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        ServingModel model = load(store, true);
        assertFalse(model.ranking().active());
        String note = model.ranking().note();
        assertTrue(note.startsWith("refused ranker " + OLD) && note.contains(file.toString()), note);
        assertTrue(note.toLowerCase().contains("crc32c") || note.contains("checksum"), note);
        assertEquals(20, ask(model).tracks().size(), "the first stage still answers");
    }
}
