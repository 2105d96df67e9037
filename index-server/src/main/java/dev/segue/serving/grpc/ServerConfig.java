package dev.segue.serving.grpc;

import dev.segue.serving.query.QueryOptions;
import java.nio.file.Path;

/**
 * How the server listens and whom it answers.
 *
 * @param host          bind address; loopback by default, anything else must be asked for
 * @param port          0 picks a free port
 * @param tlsCert       PEM certificate chain, or null for plaintext
 * @param tlsKey        PEM PKCS#8 private key (with {@code tlsCert})
 * @param bearerToken   when set, every call must carry {@code authorization: Bearer <token>}
 * @param shutdownGraceMillis how long a shutdown waits for in-flight calls before cancelling them
 */
public record ServerConfig(String host, int port, Path tlsCert, Path tlsKey, String bearerToken, Limits limits,
                           QueryOptions query, long shutdownGraceMillis) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_PORT = 50051;

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate (--tls-cert) and a key (--tls-key)");
        }
        if (bearerToken != null && bearerToken.isBlank()) {
            throw new IllegalArgumentException("the bearer token is empty");
        }
        if (shutdownGraceMillis < 0) {
            throw new IllegalArgumentException("shutdown grace must be >= 0 ms, got " + shutdownGraceMillis);
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig(LOOPBACK, DEFAULT_PORT, null, null, null, Limits.defaults(), QueryOptions.DEFAULTS,
                10_000);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, tlsCert, tlsKey, bearerToken, limits, query, shutdownGraceMillis);
    }

    public ServerConfig withTls(Path cert, Path key) {
        return new ServerConfig(host, port, cert, key, bearerToken, limits, query, shutdownGraceMillis);
    }

    public ServerConfig withBearerToken(String token) {
        return new ServerConfig(host, port, tlsCert, tlsKey, token, limits, query, shutdownGraceMillis);
    }

    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(host, port, tlsCert, tlsKey, bearerToken, newLimits, query, shutdownGraceMillis);
    }

    public ServerConfig withQuery(QueryOptions options) {
        return new ServerConfig(host, port, tlsCert, tlsKey, bearerToken, limits, options, shutdownGraceMillis);
    }

    public boolean tls() {
        return tlsCert != null;
    }
}
