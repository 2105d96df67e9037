package dev.segue.serving.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cross-cutting record of every call, outermost so it also sees calls the token check turns away: latency
 * per method and status code, in-flight calls and rejections into {@link ServerStats}, and (when on) one
 * access-log line. With the access log on, each call carries a request id — the caller's
 * {@code x-request-id} header, or a generated one — echoed back in the response headers (or trailers).
 */
final class CallTelemetry implements ServerInterceptor {
    static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final int MAX_REQUEST_ID = 128;

    private final ServerStats stats;
    private final boolean accessLog;

    CallTelemetry(ServerStats stats, boolean accessLog) {
        this.stats = stats;
        this.accessLog = accessLog;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        long start = System.nanoTime();
        ServerStats.MethodMeters meters = stats.method(call.getMethodDescriptor());
        meters.inFlight.incrementAndGet();
        AccessLog.Entry entry = accessLog && AccessLog.enabled()
                ? new AccessLog.Entry(requestId(headers), peer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)))
                : null;
        AtomicBoolean done = new AtomicBoolean();
        class Call extends SimpleForwardingServerCall<Q, R> {
            private boolean headersSent;

            Call() {
                super(call);
            }

            @Override
            public void sendHeaders(Metadata h) {
                headersSent = true;
                if (entry != null) {
                    h.put(REQUEST_ID, entry.requestId);
                }
                super.sendHeaders(h);
            }

            @Override
            public void sendMessage(R message) {
                if (entry != null) {
                    entry.response(message);
                }
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                if (entry != null && !headersSent) {
                    trailers.put(REQUEST_ID, entry.requestId);
                }
                long nanos = System.nanoTime() - start;
                try {
                    super.close(status, trailers);
                } finally {
                    // Recorded after the response is on its way: the caller does not wait for the bookkeeping.
                    end(status, nanos);
                }
            }

            void end(Status status) {
                end(status, System.nanoTime() - start);
            }

            void end(Status status, long nanos) {
                if (done.compareAndSet(false, true)) {
                    meters.inFlight.decrementAndGet();
                    meters.record(status.getCode(), nanos);
                    if (meters.name.equals("Reload") && meters.service.equals(SegueServer.SERVICE_NAME)) {
                        stats.reload(status.getCode());
                    }
                    if (entry != null) {
                        AccessLog.write(meters.name, status, nanos, entry);
                    }
                }
            }
        }
        Call wrapped = new Call();
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(wrapped, headers);
        } catch (RuntimeException e) {
            wrapped.end(Status.INTERNAL);
            throw e;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                if (entry != null) {
                    entry.request(message);
                }
                super.onMessage(message);
            }

            @Override
            public void onCancel() {
                // The caller went away (or its deadline passed) before the server closed the call.
                Deadline deadline = Context.current().getDeadline();
                wrapped.end(deadline != null && deadline.isExpired() ? Status.DEADLINE_EXCEEDED : Status.CANCELLED);
                super.onCancel();
            }
        };
    }

    private static String requestId(Metadata headers) {
        String given = headers.get(REQUEST_ID);
        if (given != null && !given.isBlank() && given.length() <= MAX_REQUEST_ID) {
            return given;
        }
        String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
    }

    private static String peer(SocketAddress address) {
        if (address instanceof InetSocketAddress a) {
            return (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":" + a.getPort();
        }
        return address == null ? "-" : address.toString();
    }
}
