package dev.segue.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.api.v1.RecommenderGrpc;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import org.junit.jupiter.api.Test;

/** The roles, one interceptCall at a time: which calls start, which are closed with what, who is admin. */
class AccessControlTest {
    /** A call that records how it was closed; null status: it was let through (then {@code admin} tells the role). */
    static final class Outcome {
        Status status;
        boolean started;
        boolean admin;
    }

    static Outcome call(AccessControl ac, MethodDescriptor<?, ?> method, String authorization) {
        Outcome o = new Outcome();
        @SuppressWarnings("unchecked")
        MethodDescriptor<Object, Object> m = (MethodDescriptor<Object, Object>) method;
        ServerCall<Object, Object> call = new ServerCall<>() {
            @Override public void request(int n) { }
            @Override public void sendHeaders(Metadata headers) { }
            @Override public void sendMessage(Object message) { }
            @Override public void close(Status status, Metadata trailers) { o.status = status; }
            @Override public boolean isCancelled() { return false; }
            @Override public Attributes getAttributes() { return Attributes.EMPTY; }
            @Override public MethodDescriptor<Object, Object> getMethodDescriptor() { return m; }
        };
        Metadata headers = new Metadata();
        if (authorization != null) {
            headers.put(AccessControl.AUTHORIZATION, authorization);
        }
        ServerCallHandler<Object, Object> next = (c, h) -> {
            o.started = true;
            o.admin = AccessControl.isAdmin();
            return new ServerCall.Listener<>() { };
        };
        ac.interceptCall(call, headers, next);
        assertTrue(o.started == (o.status == null), "a call is either started or closed");
        return o;
    }

    static final MethodDescriptor<?, ?> CONTINUE = RecommenderGrpc.getContinueMethod();
    static final MethodDescriptor<?, ?> STATUS = RecommenderGrpc.getStatusMethod();
    static final MethodDescriptor<?, ?> RELOAD = RecommenderGrpc.getReloadMethod();
    static final MethodDescriptor<?, ?> HEALTH = HealthGrpc.getCheckMethod();
    static final MethodDescriptor<?, ?> REFLECTION = ServerReflectionGrpc.getServerReflectionInfoMethod();

    @Test
    void clientAndAdminTokens() {
        AccessControl ac = new AccessControl("client-t", "admin-t", false, false);
        assertEquals(null, call(ac, HEALTH, null).status, "health is open: probes send no headers");
        assertEquals(Status.Code.UNAUTHENTICATED, call(ac, CONTINUE, null).status.getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, call(ac, CONTINUE, "Bearer guess").status.getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, call(ac, CONTINUE, "Basic client-t").status.getCode());
        Outcome client = call(ac, STATUS, "Bearer client-t");
        assertTrue(client.started && !client.admin);
        Outcome admin = call(ac, STATUS, "bearer admin-t ");
        assertTrue(admin.started && admin.admin, "the admin token may query, as admin");
        Status denied = call(ac, RELOAD, "Bearer client-t").status;
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getCode());
        assertTrue(denied.getDescription().contains("admin token"), denied.getDescription());
        assertEquals(Status.Code.UNAUTHENTICATED, call(ac, RELOAD, null).status.getCode());
        assertTrue(call(ac, RELOAD, "Bearer admin-t").admin);
        assertEquals(Status.Code.UNAUTHENTICATED, call(ac, REFLECTION, null).status.getCode(),
                "reflection takes a token unless opened");
        assertEquals(null, call(new AccessControl("client-t", "admin-t", false, true), REFLECTION, null).status);
    }

    @Test
    void reloadWithoutAnAdminToken() {
        AccessControl open = new AccessControl(null, null, false, false);
        assertTrue(call(open, CONTINUE, null).started);
        assertTrue(!call(open, STATUS, null).admin, "nobody is admin: the store path stays hidden");
        assertTrue(call(open, REFLECTION, null).started, "with no token configured nothing is protected");
        Status refused = call(open, RELOAD, null).status;
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getCode());
        assertTrue(refused.getDescription().contains("--allow-unauthenticated-reload"), refused.getDescription());

        AccessControl allowed = new AccessControl(null, null, true, false);
        assertTrue(call(allowed, RELOAD, null).admin);
        assertTrue(call(allowed, STATUS, null).admin);

        AccessControl clientOnly = new AccessControl("client-t", null, true, false);
        assertEquals(Status.Code.UNAUTHENTICATED, call(clientOnly, RELOAD, null).status.getCode(),
                "the client token still applies");
        assertTrue(call(clientOnly, RELOAD, "Bearer client-t").started);
        assertEquals(Status.Code.PERMISSION_DENIED,
                call(new AccessControl("client-t", null, false, false), RELOAD, "Bearer client-t").status.getCode());
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AccessControl("same", "same", false, false));
        assertThrows(IllegalArgumentException.class, () -> new AccessControl(" ", null, false, false));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withBearerToken("x").withAdminToken("x"));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withAdminToken(" "));
        assertThrows(IllegalArgumentException.class, () -> new Limits(500, 10, 100, 1, 1, 1, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withMaxConcurrentQueries(0));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withPort(70000));
        assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.defaults().withTelemetry(ServerConfig.Telemetry.DEFAULT.withMetricsPort(70000)));
        assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.defaults().withTelemetry(ServerConfig.Telemetry.off().withAccessLog(true)));
    }
}
