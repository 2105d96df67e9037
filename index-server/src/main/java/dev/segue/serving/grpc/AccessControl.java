package dev.segue.serving.grpc;

import dev.segue.api.v1.RecommenderGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may call what, from the {@code authorization: Bearer <token>} header (tokens compared in constant time):
 * <ul>
 *   <li>health checking: always open, so load balancers and Kubernetes gRPC probes (which send no headers) work;
 *   <li>reflection: open with {@code openReflection} (or when no token is configured), else like a query;
 *   <li>queries ({@code Continue}, {@code ContinueBatch}, {@code SimilarTracks}, {@code Status}): the client
 *       token when one is configured (the admin token is accepted too);
 *   <li>{@code Reload}: the admin token, PERMISSION_DENIED for the client token; with no admin token configured
 *       it is refused unless {@code allowUnauthenticatedReload} (then it takes the client token, if any).
 * </ul>
 * Admin callers run with {@link #isAdmin()} true, so the service can show them more (the store's path).
 */
final class AccessControl implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Boolean> ADMIN = Context.key("segue-admin");
    private static final String PREFIX = "Bearer ";
    private static final String RELOAD = RecommenderGrpc.getReloadMethod().getFullMethodName();

    private final byte[] client;
    private final byte[] admin;
    private final boolean allowUnauthenticatedReload;
    private final boolean openReflection;

    /**
     * @param clientToken the token of queries, or null: queries need none
     * @param adminToken  the token of Reload, or null
     */
    AccessControl(String clientToken, String adminToken, boolean allowUnauthenticatedReload, boolean openReflection) {
        this.client = bytes(clientToken, "the bearer token");
        this.admin = bytes(adminToken, "the admin token");
        if (client != null && admin != null && MessageDigest.isEqual(client, admin)) {
            throw new IllegalArgumentException("the admin token must differ from the client token");
        }
        this.allowUnauthenticatedReload = allowUnauthenticatedReload;
        this.openReflection = openReflection;
    }

    private static byte[] bytes(String token, String what) {
        if (token == null) {
            return null;
        }
        if (token.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return token.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the current call was made with the admin role. */
    static boolean isAdmin() {
        return Boolean.TRUE.equals(ADMIN.get());
    }

    private enum Role { NONE, CLIENT, ADMIN, INVALID, MALFORMED }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String service = call.getMethodDescriptor().getServiceName();
        if (HealthGrpc.SERVICE_NAME.equals(service)) {
            return next.startCall(call, headers);
        }
        boolean anyToken = client != null || admin != null;
        Role role = anyToken ? role(headers.get(AUTHORIZATION)) : Role.NONE;
        if (role == Role.MALFORMED) {
            return reject(call, Status.UNAUTHENTICATED, "the authorization header must be 'Bearer <token>'");
        }
        if (role == Role.INVALID) {
            return reject(call, Status.UNAUTHENTICATED, "invalid bearer token");
        }
        if (RELOAD.equals(call.getMethodDescriptor().getFullMethodName())) {
            if (admin != null) {
                if (role == Role.CLIENT) {
                    return reject(call, Status.PERMISSION_DENIED,
                            "Reload needs the admin token; the client token may only query");
                }
                if (role == Role.NONE) {
                    return reject(call, Status.UNAUTHENTICATED,
                            "missing credentials: Reload needs the header 'authorization: Bearer <admin token>'");
                }
                return asAdmin(call, headers, next);
            }
            if (!allowUnauthenticatedReload) {
                return reject(call, Status.PERMISSION_DENIED, "Reload is disabled on this server: start it with "
                        + "--admin-token-file or --admin-token-env (or --allow-unauthenticated-reload)");
            }
            if (client != null && role == Role.NONE) {
                return missing(call);
            }
            return asAdmin(call, headers, next);
        }
        boolean reflection = service != null && service.startsWith("grpc.reflection.");
        if (client != null && role == Role.NONE && !(reflection && openReflection)) {
            return missing(call);
        }
        if (role == Role.ADMIN || (admin == null && allowUnauthenticatedReload)) {
            return asAdmin(call, headers, next);
        }
        return next.startCall(call, headers);
    }

    private Role role(String header) {
        if (header == null) {
            return Role.NONE;
        }
        if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Role.MALFORMED;
        }
        byte[] given = header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
        // Both comparisons always run, so the time taken says nothing about which token (if any) matched.
        boolean isAdmin = admin != null && MessageDigest.isEqual(given, admin);
        boolean isClient = client != null && MessageDigest.isEqual(given, client);
        return isAdmin ? Role.ADMIN : isClient ? Role.CLIENT : Role.INVALID;
    }

    private static <Q, R> ServerCall.Listener<Q> asAdmin(ServerCall<Q, R> call, Metadata headers,
                                                        ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(Context.current().withValue(ADMIN, Boolean.TRUE), call, headers, next);
    }

    private static <Q, R> ServerCall.Listener<Q> missing(ServerCall<Q, R> call) {
        return reject(call, Status.UNAUTHENTICATED, "missing credentials: send the header 'authorization: Bearer <token>'");
    }

    private static <Q, R> ServerCall.Listener<Q> reject(ServerCall<Q, R> call, Status status, String message) {
        call.close(status.withDescription(message), new Metadata());
        return new ServerCall.Listener<>() { };
    }
}
