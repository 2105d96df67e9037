package dev.segue.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The one rule for where a bearer token comes from, shared by the server ({@code segue serve}) and its callers
 * ({@code segue query}): a file ({@code --token-file}, trimmed, not empty) or an environment variable
 * ({@code --token-env}, set and not blank), never both. Tokens are not taken on the command line, where
 * process listings and shell history would show them.
 */
public final class BearerTokens {
    private BearerTokens() {}

    /**
     * The token, or null when neither source is given.
     *
     * @param env reads an environment variable ({@code System::getenv} outside tests)
     * @throws IllegalArgumentException naming the option at fault
     */
    public static String read(Path file, String envVariable, UnaryOperator<String> env) {
        return read(file, envVariable, env, "--token");
    }

    /**
     * Like {@link #read(Path, String, UnaryOperator)} for options named {@code <prefix>-file} and
     * {@code <prefix>-env} (the server's admin token: {@code --admin-token-file}, {@code --admin-token-env}).
     */
    public static String read(Path file, String envVariable, UnaryOperator<String> env, String prefix) {
        String fileOption = prefix + "-file";
        String envOption = prefix + "-env";
        if (file != null && envVariable != null) {
            throw new IllegalArgumentException("give " + fileOption + " or " + envOption + ", not both");
        }
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(fileOption + " " + file + " cannot be read");
            }
            String token;
            try {
                token = Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException(fileOption + " " + file + ": " + e.getMessage(), e);
            }
            if (token.isEmpty()) {
                throw new IllegalArgumentException(fileOption + " " + file + " is empty");
            }
            return token;
        }
        if (envVariable != null) {
            String token = env.apply(envVariable);
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("environment variable " + envVariable + " (" + envOption + ") is not set");
            }
            return token.trim();
        }
        return null;
    }

    /** {@link #read(Path, String, UnaryOperator)} with the process environment. */
    public static String read(Path file, String envVariable) {
        return read(file, envVariable, System::getenv);
    }
}
