package dev.segue.serving.grpc;

import dev.segue.serving.query.QueryOptions;
import java.nio.file.Path;

/**
 * How the server listens, whom it answers and what it reports.
 *
 * @param host          bind address; loopback by default, anything else must be asked for
 * @param port          0 picks a free port
 * @param tlsCert       PEM certificate chain, or null for plaintext
 * @param tlsKey        PEM PKCS#8 private key (with {@code tlsCert})
 * @param bearerToken   when set, queries must carry {@code authorization: Bearer <token>} (the client token)
 * @param shutdownGraceMillis how long a shutdown waits for in-flight calls before cancelling them
 * @param roles         the admin token and what is open (see {@link AccessControl})
 * @param telemetry     metrics endpoint and access log
 */
public record ServerConfig(String host, int port, Path tlsCert, Path tlsKey, String bearerToken, Limits limits,
                           QueryOptions query, long shutdownGraceMillis, Roles roles, Telemetry telemetry) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_PORT = 50051;

    /**
     * @param adminToken                 the token {@code Reload} takes, or null
     * @param allowUnauthenticatedReload with no admin token, let {@code Reload} through (it is refused otherwise)
     * @param openReflection             server reflection without a token
     */
    public record Roles(String adminToken, boolean allowUnauthenticatedReload, boolean openReflection) {
        public static final Roles DEFAULT = new Roles(null, false, false);

        public Roles {
            if (adminToken != null && adminToken.isBlank()) {
                throw new IllegalArgumentException("the admin token is empty");
            }
        }
    }

    /**
     * @param enabled     record calls (per method and status code) at all; off only for measuring their cost
     * @param accessLog   one line per call through SLF4J (logger {@code segue.access})
     * @param metricsHost where the Prometheus endpoint listens
     * @param metricsPort its port (0 = any free), or -1: no endpoint
     */
    public record Telemetry(boolean enabled, boolean accessLog, String metricsHost, int metricsPort) {
        public static final Telemetry DEFAULT = new Telemetry(true, false, LOOPBACK, -1);

        public Telemetry {
            if (metricsPort < -1 || metricsPort > 65535) {
                throw new IllegalArgumentException("metrics port must be in 0..65535, got " + metricsPort);
            }
            if (metricsHost == null || metricsHost.isBlank()) {
                throw new IllegalArgumentException("metrics host is empty");
            }
            if (!enabled && (accessLog || metricsPort >= 0)) {
                throw new IllegalArgumentException("the access log and the metrics endpoint need telemetry on");
            }
        }

        public Telemetry withMetricsPort(int port) {
            return new Telemetry(enabled, accessLog, metricsHost, port);
        }

        public Telemetry withAccessLog(boolean on) {
            return new Telemetry(enabled, on, metricsHost, metricsPort);
        }

        public static Telemetry off() {
            return new Telemetry(false, false, LOOPBACK, -1);
        }
    }

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
        if (roles == null) {
            roles = Roles.DEFAULT;
        }
        if (telemetry == null) {
            telemetry = Telemetry.DEFAULT;
        }
        if (bearerToken != null && bearerToken.equals(roles.adminToken())) {
            throw new IllegalArgumentException("the admin token must differ from the client token");
        }
    }

    public ServerConfig(String host, int port, Path tlsCert, Path tlsKey, String bearerToken, Limits limits,
                        QueryOptions query, long shutdownGraceMillis) {
        this(host, port, tlsCert, tlsKey, bearerToken, limits, query, shutdownGraceMillis, Roles.DEFAULT,
                Telemetry.DEFAULT);
    }

    public static ServerConfig defaults() {
        return new ServerConfig(LOOPBACK, DEFAULT_PORT, null, null, null, Limits.defaults(), QueryOptions.DEFAULTS,
                10_000);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, tlsCert, tlsKey, bearerToken, limits, query, shutdownGraceMillis, roles,
                telemetry);
    }

    public ServerConfig withTls(Path cert, Path key) {
        return new ServerConfig(host, port, cert, key, bearerToken, limits, query, shutdownGraceMillis, roles, telemetry);
    }

    public ServerConfig withBearerToken(String token) {
        return new ServerConfig(host, port, tlsCert, tlsKey, token, limits, query, shutdownGraceMillis, roles, telemetry);
    }

    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(host, port, tlsCert, tlsKey, bearerToken, newLimits, query, shutdownGraceMillis, roles,
                telemetry);
    }

    public ServerConfig withQuery(QueryOptions options) {
        return new ServerConfig(host, port, tlsCert, tlsKey, bearerToken, limits, options, shutdownGraceMillis, roles,
                telemetry);
    }

    public ServerConfig withRoles(Roles newRoles) {
        return new ServerConfig(host, port, tlsCert, tlsKey, bearerToken, limits, query, shutdownGraceMillis, newRoles,
                telemetry);
    }

    /** The admin token for {@code Reload}. */
    public ServerConfig withAdminToken(String token) {
        return withRoles(new Roles(token, roles.allowUnauthenticatedReload(), roles.openReflection()));
    }

    /** Lets {@code Reload} through without an admin token (tests, a laptop). */
    public ServerConfig withUnauthenticatedReload() {
        return withRoles(new Roles(roles.adminToken(), true, roles.openReflection()));
    }

    public ServerConfig withTelemetry(Telemetry newTelemetry) {
        return new ServerConfig(host, port, tlsCert, tlsKey, bearerToken, limits, query, shutdownGraceMillis, roles,
                newTelemetry);
    }

    public boolean tls() {
        return tlsCert != null;
    }
}
