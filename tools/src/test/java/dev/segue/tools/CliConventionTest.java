package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one error convention (dev.segue.cli.CliConvention) as a user of {@code segue} sees it. */
class CliConventionTest {
    @TempDir
    Path dir;

    private static void assertOneLine(Segue.Result r, int code, String prefix, String... parts) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith(prefix + ": "), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "missing '" + p + "' in " + r.err());
        }
    }

    @Test
    void aMissingStoreFolderGivesTheSameShapeFromStoreTrainAndServe() {
        String missing = dir.resolve("nowhere").toString();
        assertOneLine(Segue.run("store", "list", "--store", missing), 2, "segue store list",
                "--store " + missing + " is not a folder");
        assertOneLine(Segue.run("store", "verify", "tracks", "--store", missing), 2, "segue store verify",
                "--store " + missing + " is not a folder");
        assertOneLine(Segue.run("train", "churn", "--store", missing, "--as-of", "2024-01-01"), 2,
                "segue train churn", "--store " + missing + " is not a folder");
        assertOneLine(Segue.run("serve", "--store", missing, "--port", "0"), 2, "segue serve",
                "--store " + missing + " is not a folder");
    }

    @Test
    void anOmittedRequiredOptionNamesTheCommandAndPointsToHelp() {
        for (List<String> cmd : List.of(List.of("serve"), List.of("train", "churn", "--as-of", "2024-01-01"))) {
            Segue.Result r = Segue.run(cmd.toArray(String[]::new));
            String name = "segue " + cmd.get(0) + (cmd.size() > 1 ? " " + cmd.get(1) : "");
            assertEquals(2, r.code(), r.err());
            List<String> lines = r.err().lines().toList();
            assertTrue(lines.get(0).startsWith(name + ": Missing required option") && lines.get(0).contains("--store"),
                    r.err());
            assertEquals("Try '" + name + " --help' for usage.", lines.get(lines.size() - 1), r.err());
        }
    }

    @Test
    void aMistypedSubcommandOrOptionGetsASuggestion() {
        Segue.Result sub = Segue.run("stor", "list");
        assertEquals(2, sub.code(), sub.err());
        assertTrue(sub.err().startsWith("segue: Unmatched argument"), sub.err());
        assertTrue(sub.err().contains("Did you mean: segue store"), sub.err());

        Segue.Result nested = Segue.run("store", "verfy");
        assertEquals(2, nested.code(), nested.err());
        assertTrue(nested.err().startsWith("segue store: "), nested.err());
        assertTrue(nested.err().contains("Did you mean: segue store verify?"), nested.err());

        Segue.Result option = Segue.run("store", "list", "--stor", dir.toString());
        assertEquals(2, option.code(), option.err());
        assertTrue(option.err().startsWith("segue store list: Unknown option"), option.err());
        assertTrue(option.err().contains("Did you mean: --store?"), option.err());
    }

    @Test
    void versionIsTheProgramVersionOnEveryCommand() {
        String root = Segue.ok("--version").strip();
        assertTrue(root.startsWith("segue "), root);
        for (List<String> cmd : List.of(List.of("serve"), List.of("store", "head"), List.of("train", "churn"),
                List.of("bench", "ann"), List.of("generate"), List.of("evaluate"))) {
            List<String> args = new java.util.ArrayList<>(cmd);
            args.add("--version");
            assertEquals(root, Segue.ok(args.toArray(String[]::new)).strip(), String.join(" ", args));
        }
        // The data version has its own name.
        Segue.Result r = Segue.run("store", "head", "tracks", "--store", dir.resolve("nowhere").toString(),
                "--data-version", "v000001");
        assertOneLine(r, 2, "segue store head", "is not a folder");
    }

    @Test
    void aFailureThatIsNotBadInputExits1() throws Exception {
        // A file where the store's feature-set folder should be: the store exists, reading it fails.
        Path store = java.nio.file.Files.createDirectories(dir.resolve("store"));
        java.nio.file.Files.writeString(store.resolve("tracks"), "not a feature set");
        Segue.Result r = Segue.run("store", "history", "tracks", "--store", store.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("segue store history: "), r.err());
        assertEquals(1, r.code(), r.err());
    }
}
