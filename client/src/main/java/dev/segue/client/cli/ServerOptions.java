package dev.segue.client.cli;

import dev.segue.client.SegueClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The connection options every {@code segue query} command shares (a picocli mixin), the {@link SegueClient}
 * they configure, and the one-line error convention: a failed call prints {@code segue query <cmd>: <what>}
 * on stderr and exits 2 when the server rejected the request as bad input (INVALID_ARGUMENT, NOT_FOUND,
 * OUT_OF_RANGE) or 1 otherwise (unreachable, not ready, UNAUTHENTICATED, deadline, ...).
 */
public final class ServerOptions {
    /** Exit code when the server rejects the request itself (bad input). */
    static final int REJECTED = 2;
    /** Exit code for every other failure. */
    static final int FAILED = 1;

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT", description = "the server's address")
    String server;

    @Option(names = "--tls-ca", paramLabel = "PEM",
            description = "use TLS, trusting the CA or self-signed certificate(s) in this PEM file")
    Path tlsCa;

    @Option(names = "--authority", paramLabel = "NAME",
            description = "server name to verify in its certificate when it differs from HOST")
    String authority;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "send 'authorization: Bearer <token>' with the token in FILE (as 'segue serve --token-file')")
    Path tokenFile;

    @Option(names = "--token-env", paramLabel = "VAR",
            description = "like --token-file, the token read from environment variable VAR")
    String tokenEnv;

    @Option(names = "--deadline-ms", defaultValue = "10000", paramLabel = "MS",
            description = "deadline of the call (default: ${DEFAULT-VALUE})")
    long deadlineMs;

    @Option(names = "--json", description = "print one JSON object (for scripts) instead of text")
    boolean json;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    /** A call against the configured server; returns the exit code. */
    @FunctionalInterface
    interface Call {
        int run(SegueClient client) throws Exception;
    }

    /** Builds the client, runs {@code call}, and turns any failure into one line on stderr and an exit code. */
    int run(CommandSpec spec, Call call) {
        // Usage problems (bad option values) are parameter errors: the shared handler prints them, exit 2.
        String token = token(spec);
        if (deadlineMs <= 0) {
            throw new ParameterException(spec.commandLine(), "--deadline-ms must be positive, got " + deadlineMs);
        }
        if (tlsCa != null && !Files.isReadable(tlsCa)) {
            throw new ParameterException(spec.commandLine(), "--tls-ca " + tlsCa + " cannot be read");
        }
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName();
        SegueClient client;
        try {
            SegueClient.Builder b = SegueClient.forTarget(server).deadline(Duration.ofMillis(deadlineMs))
                    .retries(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0);
            if (tlsCa != null) {
                b.tls(tlsCa);
            }
            if (authority != null) {
                b.overrideAuthority(authority);
            }
            if (token != null) {
                b.bearerToken(token);
            }
            client = b.build();
        } catch (IOException | IllegalArgumentException e) {
            // e.g. a --tls-ca file that holds no certificate
            err.println(name + ": " + (tlsCa == null ? "" : "--tls-ca " + tlsCa + ": ") + message(e));
            trace(err, e);
            return REJECTED;
        }
        try (client) {
            return call.run(client);
        } catch (StatusRuntimeException e) {
            err.println(name + ": " + describe(e.getStatus()));
            trace(err, e);
            Status.Code code = e.getStatus().getCode();
            return code == Status.Code.INVALID_ARGUMENT || code == Status.Code.NOT_FOUND
                    || code == Status.Code.OUT_OF_RANGE ? REJECTED : FAILED;
        } catch (Exception e) {
            err.println(name + ": " + message(e));
            trace(err, e);
            return FAILED;
        }
    }

    /** What went wrong, for a person: the status code and the server's message, or why it is unreachable. */
    String describe(Status status) {
        String description = status.getDescription() == null ? "" : status.getDescription();
        switch (status.getCode()) {
            case UNAVAILABLE:
                if (status.getCause() == null && !description.isEmpty()
                        && !description.startsWith("io exception") && !description.startsWith("Network closed")) {
                    // the server answered: it is up but cannot serve yet (e.g. still building its index)
                    return "the server at " + server + " is not ready: " + description;
                }
                return unreachable(reason(status));
            case DEADLINE_EXCEEDED:
                return "no answer from " + server + " within " + deadlineMs + " ms (DEADLINE_EXCEEDED); "
                        + "raise --deadline-ms if the server is busy";
            case UNAUTHENTICATED:
                return "UNAUTHENTICATED: " + description
                        + (tokenFile == null && tokenEnv == null ? " (pass the server's token with --token-file or --token-env)" : "");
            default:
                return status.getCode() + (description.isEmpty() ? "" : ": " + description);
        }
    }

    /** Why the connection failed, with the likely fix. */
    private String unreachable(String why) {
        String lower = why.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("connection refused")) {
            return "cannot reach " + server + " (connection refused): is 'segue serve' running there?";
        }
        if (tlsCa != null && lower.contains("not an ssl/tls record")) {
            return "cannot reach " + server + " over TLS: the server answers in plaintext; drop --tls-ca";
        }
        if (tlsCa != null && (lower.contains("certif") || lower.contains("pkix") || lower.contains("handshake"))) {
            return "cannot reach " + server + ": TLS handshake failed (" + why + "); does --tls-ca hold the server's "
                    + "certificate or its CA, and does the certificate name the host (else see --authority)?";
        }
        return "cannot reach " + server + " (" + why + "); "
                + (tlsCa == null ? "is 'segue serve' running there? If it uses TLS, pass --tls-ca"
                        : "is 'segue serve' running there with TLS (--tls-cert)?");
    }

    /** The innermost useful message of a transport failure. */
    private static String reason(Status status) {
        Throwable t = status.getCause();
        String best = status.getDescription();
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                best = t.getMessage();
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        String why = best == null ? "no connection" : best.strip().replaceAll("\\s+", " ");
        return why.length() > 160 ? why.substring(0, 157) + "..." : why;
    }

    /** The bearer token from --token-file or --token-env (same rules as {@code segue serve}), or null. */
    String token(CommandSpec spec) {
        try {
            return dev.segue.auth.BearerTokens.read(tokenFile, tokenEnv);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private void trace(PrintWriter err, Exception e) {
        if (verbose || "1".equals(System.getenv("SEGUE_VERBOSE"))) {
            e.printStackTrace(err);
        }
    }
}
