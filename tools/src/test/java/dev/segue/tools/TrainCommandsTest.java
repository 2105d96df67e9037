package dev.segue.tools;

import static dev.segue.tools.BenchCommandsTest.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's churn-side commands through {@code segue}: {@code pipeline churn --ratings-factors D} on a tiny
 * generated world's logs, then {@code train ratings} and {@code train churn} on that store.
 */
class TrainCommandsTest {
    @TempDir
    static Path dir;
    static Path store;
    static String pipelineOut;

    @BeforeAll
    static void pipeline() {
        store = dir.resolve("store");
        pipelineOut = Segue.ok("pipeline", "churn", "--logs", TinyWorld.path("logs"), "--store", store.toString(),
                "--user-shards", "1", "--ratings-factors", "4", "--ratings-iterations", "2");
    }

    @Test
    void pipelineChurnWithRatingsFactorsWritesEveryFeatureSet() {
        assertTrue(pipelineOut.contains("ratings ALS: "), pipelineOut);
        List<String> sets = FeatureStore.open(store).list();
        for (String name : List.of("user_churn_features", "user_churn_labels", "user_song_ratings", "user_factors",
                "song_factors")) {
            assertTrue(sets.contains(name), name + " missing from " + sets);
        }
        // one run, one snapshot: the churn sets and the factors built from its ratings become latest together
        FeatureStore fs = FeatureStore.open(store);
        var snapshot = fs.snapshots().get(0);
        assertEquals("segue-churn", snapshot.producer());
        assertEquals(java.util.Set.of("user_churn_features", "user_churn_labels", "user_song_ratings", "user_factors",
                "song_factors"), snapshot.featureSets().keySet());
        assertEquals(snapshot.version("user_song_ratings"),
                fs.manifest("user_factors", snapshot.version("user_factors")).builtFrom("user_song_ratings"));
    }

    @Test
    void trainRatingsWritesUserAndSongFactorsOfTheRequestedSize() {
        FeatureStore fs = FeatureStore.open(store);
        int usersBefore = fs.versions("user_factors").size();
        String out = Segue.ok("train", "ratings", "--store", store.toString(), "--factors", "6", "--iterations",
                "3", "--alpha", "2", "--regularization", "0.5");
        assertTrue(out.contains("ratings ALS: ") && out.contains("over 3 iterations"), out);
        assertEquals(usersBefore + 1, fs.versions("user_factors").size(), "a new user_factors version");
        long ratedUsers;
        try (FeatureSetReader r = fs.read("user_song_ratings")) {
            ratedUsers = java.util.Arrays.stream(r.readAll("uid").longs("uid")).distinct().count();
        }
        for (String name : List.of("user_factors", "song_factors")) {
            Manifest m = fs.latest(name);
            assertEquals(6, m.schema().column("factors").dim(), name + " dimension");
            assertTrue(m.rowCount() > 0, name + " is empty");
            assertEquals("6", m.parameters().get("factors"), name + " parameters " + m.parameters());
            assertEquals("3", m.parameters().get("iterations"), name + " parameters " + m.parameters());
            assertEquals("2.0", m.parameters().get("alpha"), name + " parameters " + m.parameters());
            assertEquals("0.5", m.parameters().get("regularization"), name + " parameters " + m.parameters());
            assertEquals(3, m.parameters().get("loss_history").split(",").length, name + " loss history");
            try (FeatureSetReader r = fs.read(name)) {
                float[] row = r.row(0).getEmbedding("factors");
                assertEquals(6, row.length);
            }
        }
        assertEquals(ratedUsers, fs.latest("user_factors").rowCount(), "one user_factors row per rated user");

        Segue.Result missing = Segue.run("train", "ratings", "--store", dir.resolve("nowhere").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("nowhere") && missing.err().contains("not a folder"), missing.err());
        assertOneLine(missing.err());
    }

    @Test
    void trainRatingsOnAStoreWithoutRatingsSaysSo() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-store"));
        Segue.Result r = Segue.run("train", "ratings", "--store", empty.toString());
        assertTrue(r.code() != 0, r.out());
        assertTrue(r.err().contains("user_song_ratings"), r.err());
        assertOneLine(r.err());
        Segue.Result zero = Segue.run("train", "ratings", "--store", store.toString(), "--factors", "0");
        assertEquals(2, zero.code(), zero.err());
        assertTrue(zero.err().contains("actors"), zero.err());
        assertOneLine(zero.err());
    }

    @Test
    void trainChurnReportsEveryModelAndWritesItsReport() {
        Path report = dir.resolve("churn-report-out");
        String out = Segue.ok("train", "churn", "--store", store.toString(), "--as-of", "2030-01-01", "--trees", "5",
                "--boost-rounds", "5", "--out", report.toString());
        assertTrue(out.contains("labelled users"), out);
        for (String model : List.of("logistic_regression", "random_forest", "gradient_boosted_trees")) {
            assertTrue(out.contains(model) && out.contains("AUROC"), model + " missing in:\n" + out);
        }
        assertTrue(Files.isRegularFile(report.resolve("churn-metrics.json")), "no churn-metrics.json");
        assertTrue(Files.isRegularFile(report.resolve("churn-summary.md")), "no churn-summary.md");

        Segue.Result badDate = Segue.run("train", "churn", "--store", store.toString(), "--as-of", "2017-13-01");
        assertEquals(2, badDate.code(), badDate.err());
        assertTrue(badDate.err().startsWith("segue train churn: --as-of '2017-13-01': not a yyyy-MM-dd date"),
                badDate.err());
        Segue.Result early = Segue.run("train", "churn", "--store", store.toString(), "--as-of", "2000-01-01",
                "--out", dir.resolve("unused").toString());
        assertTrue(early.code() != 0 && early.err().contains("no churn label is known by the end of 2000-01-01"),
                early.err());
        assertOneLine(early.err());
    }
}
