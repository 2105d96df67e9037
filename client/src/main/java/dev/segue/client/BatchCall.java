package dev.segue.client;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.RecommenderGrpc;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bulk run over ContinueBatch streams. Requests are pulled from a shared iterator by each stream
 * ("lane") whenever it has room in its window and the transport is ready, so a slow server applies
 * back-pressure instead of piling up requests. Each request is reported exactly once to the listener. When a
 * stream fails, its unanswered requests fail with the stream's status; when the last stream has failed, the
 * requests never sent fail with it too.
 */
public final class BatchCall {
    /** Counts of a finished batch. */
    public record Summary(long sent, long answered, long failed) {}

    private final RecommenderGrpc.RecommenderStub stub;
    private final Iterator<ContinueRequest> source;
    private final BatchOptions options;
    private final BatchListener listener;
    private final CompletableFuture<Summary> done = new CompletableFuture<>();
    private final List<Lane> lanes = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private ScheduledExecutorService watchdog;
    private int openLanes;
    private Status lastLaneError;
    private boolean sourceExhausted;

    BatchCall(RecommenderGrpc.RecommenderStub stub, Iterator<ContinueRequest> source, BatchOptions options,
              BatchListener listener) {
        this.stub = stub;
        this.source = source;
        this.options = options;
        this.listener = listener;
    }

    void start() {
        synchronized (this) {
            openLanes = options.streams();
            for (int i = 0; i < options.streams(); i++) {
                lanes.add(new Lane());
            }
        }
        long period = Math.max(10, Math.min(1000, options.stallTimeout().toMillis() / 4));
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "segue-batch-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleAtFixedRate(() -> lanes.forEach(Lane::checkStalled), period, period, TimeUnit.MILLISECONDS);
        done.whenComplete((summary, error) -> watchdog.shutdownNow());
        for (Lane lane : lanes) {
            stub.continueBatch(lane);
            lane.pump();
        }
    }

    /** Completes with the counts when every request was answered or failed. */
    public CompletableFuture<Summary> done() {
        return done;
    }

    /** Blocks until the batch has finished. */
    public Summary await() throws InterruptedException {
        try {
            return done.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Cancels every stream; unanswered requests fail with CANCELLED. */
    public void cancel() {
        for (Lane lane : lanes) {
            lane.cancel();
        }
    }

    /** The next request to send, or null when there is none. */
    private synchronized ContinueRequest nextRequest() {
        if (sourceExhausted) {
            return null;
        }
        if (source.hasNext()) {
            sent.incrementAndGet();
            return source.next();
        }
        sourceExhausted = true;
        return null;
    }

    private void laneFinished(Status error) {
        List<ContinueRequest> orphans = new ArrayList<>();
        boolean last;
        synchronized (this) {
            if (error != null) {
                lastLaneError = error;
            }
            last = --openLanes == 0;
            if (last && !sourceExhausted) {
                Status status = lastLaneError != null ? lastLaneError
                        : Status.INTERNAL.withDescription("every stream ended before all requests were sent");
                while (source.hasNext()) {
                    sent.incrementAndGet();
                    orphans.add(source.next());
                }
                sourceExhausted = true;
                for (ContinueRequest r : orphans) {
                    fail(r, status);
                }
            }
        }
        if (last) {
            done.complete(new Summary(sent.get(), answered.get(), failed.get()));
        }
    }

    private void fail(ContinueRequest request, Status status) {
        failed.incrementAndGet();
        listener.onFailure(request, status);
    }

    /** One ContinueBatch stream with its window of unanswered requests. */
    private final class Lane implements ClientResponseObserver<ContinueRequest, ContinueResponse> {
        private final Map<String, ContinueRequest> pending = new HashMap<>();
        private ClientCallStreamObserver<ContinueRequest> out;
        private long nextId;
        private boolean halfClosed;
        private boolean finished;
        private boolean stalled;
        private long lastProgress = System.nanoTime();

        @Override
        public void beforeStart(ClientCallStreamObserver<ContinueRequest> requestStream) {
            this.out = requestStream;
            requestStream.setOnReadyHandler(this::pump);
        }

        /** Sends while there is room and work; half-closes once the source is empty and nothing is pending. */
        synchronized void pump() {
            if (out == null || halfClosed || finished) {
                return;
            }
            while (pending.size() < options.window() && out.isReady()) {
                ContinueRequest request = nextRequest();
                if (request == null) {
                    break;
                }
                String id = Long.toString(nextId++);
                if (pending.isEmpty()) {
                    lastProgress = System.nanoTime();
                }
                pending.put(id, request);
                out.onNext(request.toBuilder().setRequestId(id).build());
            }
            if (pending.isEmpty() && sourceDrained()) {
                halfClosed = true;
                out.onCompleted();
            }
        }

        @Override
        public void onNext(ContinueResponse response) {
            ContinueRequest request;
            synchronized (this) {
                request = pending.remove(response.getRequestId());
                lastProgress = System.nanoTime();
            }
            if (request == null) {
                return; // an id we did not send (or answered twice): nothing to report
            }
            if (response.hasError() && response.getError().getCode() != 0) {
                Status status = Status.fromCodeValue(response.getError().getCode())
                        .withDescription(response.getError().getMessage());
                fail(request, status);
            } else {
                answered.incrementAndGet();
                listener.onResponse(request, response);
            }
            pump();
        }

        @Override
        public void onError(Throwable t) {
            finish(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            finish(null);
        }

        private void finish(Status error) {
            List<ContinueRequest> unanswered;
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                unanswered = new ArrayList<>(pending.values());
                pending.clear();
            }
            Status status;
            synchronized (this) {
                status = stalled ? Status.DEADLINE_EXCEEDED.withDescription("no answer from the server within "
                        + options.stallTimeout().toMillis() + " ms")
                        : error != null ? error
                        : Status.INTERNAL.withDescription("the server closed the stream without answering");
            }
            error = error == null ? null : status;
            for (ContinueRequest r : unanswered) {
                fail(r, status);
            }
            laneFinished(error != null ? error : unanswered.isEmpty() ? null : status);
        }

        /** Cancels the stream when requests wait and nothing has arrived for the stall timeout. */
        synchronized void checkStalled() {
            if (out != null && !finished && !pending.isEmpty()
                    && System.nanoTime() - lastProgress > options.stallTimeout().toNanos()) {
                stalled = true;
                out.cancel("no answer within the stall timeout", null);
            }
        }

        synchronized void cancel() {
            if (out != null && !finished) {
                out.cancel("batch cancelled by the caller", null);
            }
        }
    }

    private synchronized boolean sourceDrained() {
        if (sourceExhausted) {
            return true;
        }
        if (!source.hasNext()) {
            sourceExhausted = true;
            return true;
        }
        return false;
    }
}
