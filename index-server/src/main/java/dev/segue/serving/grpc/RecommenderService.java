package dev.segue.serving.grpc;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.IndexParameters;
import dev.segue.api.v1.LatencySummary;
import dev.segue.api.v1.RecommenderGrpc;
import dev.segue.api.v1.ReloadRequest;
import dev.segue.api.v1.ReloadResponse;
import dev.segue.api.v1.RequestError;
import dev.segue.api.v1.SimilarTracksRequest;
import dev.segue.api.v1.SimilarTracksResponse;
import dev.segue.api.v1.StatusRequest;
import dev.segue.api.v1.StatusResponse;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.Candidates;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.model.ModelLoader;
import dev.segue.serving.model.ModelManager;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.query.ContinueQuery;
import dev.segue.serving.query.QueryEngine;
import dev.segue.serving.query.Recommendation;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Recommender gRPC service, kept thin: validate, take a search slot, call the domain
 * ({@link QueryEngine}, {@link ModelManager}), map the outcome to a response or a {@link Status}.
 */
final class RecommenderService extends RecommenderGrpc.RecommenderImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(RecommenderService.class);

    private final ModelManager models;
    private final QueryEngine engine;
    private final Limits limits;
    private final QueryLimiter limiter;
    private final ServerStats stats;
    private final Executor batchExecutor;
    private final Executor callExecutor;

    RecommenderService(ModelManager models, QueryEngine engine, Limits limits, QueryLimiter limiter,
                       ServerStats stats, Executor batchExecutor, Executor callExecutor) {
        this.models = models;
        this.engine = engine;
        this.limits = limits;
        this.limiter = limiter;
        this.stats = stats;
        this.batchExecutor = batchExecutor;
        this.callExecutor = callExecutor;
    }

    @Override
    public void continue_(ContinueRequest request, StreamObserver<ContinueResponse> out) {
        try {
            ContinueResponse response = answer(request);
            out.onNext(response);
            out.onCompleted();
        } catch (StatusException e) {
            out.onError(e);
        }
    }

    @Override
    public StreamObserver<ContinueRequest> continueBatch(StreamObserver<ContinueResponse> out) {
        return new BatchStream((ServerCallStreamObserver<ContinueResponse>) out);
    }

    /**
     * Runs on the transport thread (see {@link SegueServer}): validation, the lookup and — when a search
     * slot is free at once — the search itself, a fraction of a millisecond. When every slot is busy the
     * call moves to the call executor to wait for one, so a transport thread never blocks.
     */
    @Override
    public void similarTracks(SimilarTracksRequest request, StreamObserver<SimilarTracksResponse> out) {
        try {
            if (request.getTrackUri().isBlank()) {
                throw Messages.invalid("track_uri is empty");
            }
            int k = Messages.similarK(request, limits);
            ServingModel model = requireModel();
            int row = model.catalog().row(request.getTrackUri());
            if (row < 0) {
                throw Status.NOT_FOUND.withDescription("unknown track_uri \"" + request.getTrackUri()
                        + "\" in data version " + model.dataVersion()).asException();
            }
            Context ctx = Context.current();
            if (!ctx.isCancelled() && limiter.tryAcquireNow()) {
                Candidates similar;
                try {
                    similar = engine.similar(model, row, k, ctx::isCancelled);
                } catch (Cancellation.CancelledException e) {
                    stats.abandoned();
                    throw cancelled(ctx, "the caller gave up; the query was stopped").asException();
                } finally {
                    limiter.release();
                }
                respondSimilar(model, similar, out);
                return;
            }
            callExecutor.execute(ctx.wrap(() -> {
                try {
                    respondSimilar(model, limited(cancel -> engine.similar(model, row, k, cancel)), out);
                } catch (StatusException e) {
                    out.onError(e);
                }
            }));
        } catch (StatusException e) {
            out.onError(e);
        }
    }

    private void respondSimilar(ServingModel model, Candidates similar, StreamObserver<SimilarTracksResponse> out) {
        SimilarTracksResponse.Builder b = SimilarTracksResponse.newBuilder().setDataVersion(model.dataVersion());
        Messages.addTracks(model.catalog(), similar, b::addTracks);
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        StatusResponse.Builder b = StatusResponse.newBuilder()
                .setUptimeSeconds(stats.uptimeSeconds())
                .setStorePath(AccessControl.isAdmin() ? java.nio.file.Path.of(models.source()).toAbsolutePath().toString() : "");
        ServingModel model = models.current();
        if (model != null) {
            ServingModel.Info info = model.info();
            HnswParams p = model.index().params();
            b.setDataVersion(model.dataVersion())
                    .setItemCount(model.factors().rows())
                    .setDimensions(model.factors().dim())
                    .setIndex(IndexParameters.newBuilder().setM(p.m()).setEfConstruction(p.efConstruction())
                            .setEf(p.ef()).setEfFactor(p.efFactor()))
                    .setIndexBuildMillis(info.indexMillis())
                    .setIndexLoadedFromDisk(info.fromDisk())
                    .setIndexSource(nullToEmpty(info.indexSource()))
                    .setLoadedAtEpochMillis(info.loadedAtEpochMillis())
                    .setTitlesVersion(nullToEmpty(info.titlesVersion()))
                    .setStatsVersion(nullToEmpty(info.statsVersion()))
                    .setTitleTracksVersion(nullToEmpty(info.titleTracksVersion()))
                    .setRankerVersion(model.ranking().rankerVersion())
                    .setRankerNote(rankerNote(model));
        }
        for (ServerStats.Summary s : stats.summaries()) {
            b.addLatencies(LatencySummary.newBuilder().setMethod(s.method()).setCount(s.count())
                    .setErrors(s.errors()).setP50Ms(s.p50()).setP95Ms(s.p95()).setP99Ms(s.p99()).setMaxMs(s.max()));
        }
        out.onNext(b.build());
        out.onCompleted();
    }

    /** The ranker note; callers without the admin token see {@code <store>} for the store's path, as for store_path. */
    private String rankerNote(ServingModel model) {
        String note = model.ranking().note();
        if (AccessControl.isAdmin()) {
            return note;
        }
        String root = java.nio.file.Path.of(models.source()).toString();
        return root.isEmpty() ? note : note.replace(java.nio.file.Path.of(models.source()).toAbsolutePath().toString(),
                "<store>").replace(root, "<store>");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public void reload(ReloadRequest request, StreamObserver<ReloadResponse> out) {
        Context ctx = Context.current();
        try {
            ModelManager.ReloadResult r = models.reload(request.getVersion(), BuildProgress.NONE, ctx::isCancelled);
            ServingModel.Info info = r.model().info();
            LOG.info("reload: serving {} (was {}), index {}, {}", r.model().dataVersion(), r.previous(),
                    info.indexSource(), r.model().ranking().note());
            out.onNext(ReloadResponse.newBuilder()
                    .setPreviousVersion(r.previous() == null ? "" : r.previous())
                    .setDataVersion(r.model().dataVersion())
                    .setIndexBuildMillis(r.changed() ? info.indexMillis() : 0)
                    .setIndexLoadedFromDisk(info.fromDisk())
                    .setIndexSource(nullToEmpty(info.indexSource()))
                    .setRankerVersion(r.model().ranking().rankerVersion())
                    .setRankerNote(r.model().ranking().note())
                    .build());
            out.onCompleted();
        } catch (Exception e) {
            out.onError(reloadStatus(e, ctx, request.getVersion()).asException());
        }
    }

    private static Status reloadStatus(Exception e, Context ctx, String version) {
        if (e instanceof ModelManager.ReloadInProgressException) {
            return Status.ABORTED.withDescription(e.getMessage());
        }
        if (e instanceof ModelLoader.VersionNotFoundException) {
            return Status.NOT_FOUND.withDescription(e.getMessage());
        }
        if (e instanceof Cancellation.CancelledException || e instanceof InterruptedException) {
            return cancelled(ctx, "reload abandoned; the version served is unchanged");
        }
        if (e instanceof IllegalArgumentException || e instanceof dev.segue.store.StoreException) {
            return Status.FAILED_PRECONDITION.withDescription("cannot serve version "
                    + (version.isEmpty() ? "(newest)" : version) + ": " + e.getMessage()
                    + "; the version served is unchanged");
        }
        LOG.error("reload failed", e);
        return Status.INTERNAL.withDescription("reload failed: " + e + "; the version served is unchanged");
    }

    /** Validates and answers one Continue request (also one item of a batch). */
    private ContinueResponse answer(ContinueRequest request) throws StatusException {
        ContinueQuery query = Messages.toQuery(request, limits);
        ServingModel model = requireModel();
        Recommendation r = limited(cancel -> engine.recommend(model, query, cancel));
        return Messages.continueResponse(request.getRequestId(), model, r);
    }

    private ServingModel requireModel() throws StatusException {
        ServingModel model = models.current();
        if (model == null) {
            String loading = models.loadingVersion();
            throw Status.UNAVAILABLE.withDescription("no index is loaded yet"
                    + (loading == null ? "" : " (building version " + loading + ")")
                    + "; retry shortly or watch the health service").asException();
        }
        return model;
    }

    private interface Work<T> {
        T run(Cancellation cancel);
    }

    /**
     * Runs {@code work} in a search slot. The wait for a slot ends at the caller's deadline; the work
     * polls the call's cancellation and stops when the caller gives up.
     */
    private <T> T limited(Work<T> work) throws StatusException {
        Context ctx = Context.current();
        if (ctx.isCancelled()) {
            stats.abandoned();
            throw cancelled(ctx, "the caller gave up before the query started").asException();
        }
        long wait = TimeUnit.MILLISECONDS.toNanos(limits.maxQueueMillis());
        Deadline deadline = ctx.getDeadline();
        boolean deadlineFirst = deadline != null && deadline.timeRemaining(TimeUnit.NANOSECONDS) < wait;
        if (deadlineFirst) {
            wait = deadline.timeRemaining(TimeUnit.NANOSECONDS);
        }
        boolean acquired;
        try {
            acquired = limiter.acquire(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("server is shutting down").asException();
        }
        if (!acquired) {
            if (deadlineFirst || ctx.isCancelled()) {
                stats.abandoned();
                throw cancelled(ctx, "the deadline passed while waiting for a search slot").asException();
            }
            throw Status.RESOURCE_EXHAUSTED.withDescription("server busy: all " + limiter.size()
                    + " search slots stayed in use for " + limits.maxQueueMillis()
                    + " ms; retry with backoff").asException();
        }
        try {
            return work.run(ctx::isCancelled);
        } catch (Cancellation.CancelledException e) {
            stats.abandoned();
            throw cancelled(ctx, "the caller gave up; the query was stopped").asException();
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.error("query failed", e);
            throw Status.INTERNAL.withDescription("query failed: " + e.getMessage()).asException();
        } finally {
            limiter.release();
        }
    }

    private static Status cancelled(Context ctx, String message) {
        Deadline deadline = ctx.getDeadline();
        boolean expired = deadline != null && deadline.isExpired();
        return (expired ? Status.DEADLINE_EXCEEDED : Status.CANCELLED).withDescription(message);
    }

    /**
     * One ContinueBatch stream: up to {@link Limits#batchWindow()} requests in flight, answered in
     * parallel (responses may be out of order and echo request_id); a failing request gets its error in
     * its response and the stream goes on. Inbound requests are pulled only while the outbound side is
     * ready, so a client that does not read cannot make the server buffer without bound.
     */
    private final class BatchStream implements StreamObserver<ContinueRequest> {
        private final ServerCallStreamObserver<ContinueResponse> out;
        private final Context context = Context.current();
        private int inFlight;
        private int owed; // inbound requests we may pull once the outbound side is ready
        private boolean halfClosed;
        private boolean finished;

        BatchStream(ServerCallStreamObserver<ContinueResponse> out) {
            this.out = out;
            out.disableAutoRequest();
            out.setOnReadyHandler(this::pullIfReady);
            out.setOnCancelHandler(() -> {
                synchronized (this) {
                    finished = true;
                }
            });
            out.request(limits.batchWindow());
        }

        @Override
        public void onNext(ContinueRequest request) {
            synchronized (this) {
                inFlight++;
            }
            batchExecutor.execute(context.wrap(() -> {
                ContinueResponse response;
                try {
                    response = answer(request);
                } catch (StatusException e) {
                    response = ContinueResponse.newBuilder()
                            .setRequestId(request.getRequestId())
                            .setError(RequestError.newBuilder().setCode(e.getStatus().getCode().value())
                                    .setMessage(String.valueOf(e.getStatus().getDescription())))
                            .build();
                } catch (RuntimeException e) {
                    LOG.error("batch item failed", e);
                    response = ContinueResponse.newBuilder()
                            .setRequestId(request.getRequestId())
                            .setError(RequestError.newBuilder().setCode(Status.Code.INTERNAL.value())
                                    .setMessage("query failed: " + e))
                            .build();
                }
                synchronized (this) {
                    inFlight--;
                    owed++;
                    if (!finished) {
                        out.onNext(response);
                    }
                    pullIfReadyLocked();
                    completeIfDone();
                }
            }));
        }

        @Override
        public void onError(Throwable t) {
            synchronized (this) {
                finished = true;
            }
        }

        @Override
        public void onCompleted() {
            synchronized (this) {
                halfClosed = true;
                completeIfDone();
            }
        }

        private void pullIfReady() {
            synchronized (this) {
                pullIfReadyLocked();
            }
        }

        private void pullIfReadyLocked() {
            if (!finished && !halfClosed && owed > 0 && out.isReady()) {
                out.request(owed);
                owed = 0;
            }
        }

        private void completeIfDone() {
            if (halfClosed && inFlight == 0 && !finished) {
                finished = true;
                out.onCompleted();
            }
        }
    }
}
