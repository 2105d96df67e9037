package dev.segue.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokensTest {
    @TempDir
    Path dir;

    private static String read(Path file, String env) {
        return BearerTokens.read(file, env, Map.of("SEGUE_TOKEN", "  env-token \n", "BLANK", " ")::get);
    }

    @Test
    void readsATrimmedTokenFromAFileOrTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "s3cret\n");
        assertEquals("s3cret", read(file, null));
        assertEquals("env-token", read(null, "SEGUE_TOKEN"));
        assertNull(read(null, null), "no token asked for");
    }

    @Test
    void refusesEachBadSourceNamingTheOption() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "s3cret");
        Path empty = Files.writeString(dir.resolve("empty"), " \n");
        assertEquals("give --token-file or --token-env, not both",
                assertThrows(IllegalArgumentException.class, () -> read(file, "SEGUE_TOKEN")).getMessage());
        assertEquals("--token-file " + empty + " is empty",
                assertThrows(IllegalArgumentException.class, () -> read(empty, null)).getMessage());
        Path missing = dir.resolve("missing");
        assertEquals("--token-file " + missing + " cannot be read",
                assertThrows(IllegalArgumentException.class, () -> read(missing, null)).getMessage());
        assertEquals("environment variable NOPE (--token-env) is not set",
                assertThrows(IllegalArgumentException.class, () -> read(null, "NOPE")).getMessage());
        assertEquals("environment variable BLANK (--token-env) is not set",
                assertThrows(IllegalArgumentException.class, () -> read(null, "BLANK")).getMessage());
    }
}
