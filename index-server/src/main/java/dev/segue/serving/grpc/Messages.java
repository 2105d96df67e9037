package dev.segue.serving.grpc;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.Filter;
import dev.segue.api.v1.ScoredTrack;
import dev.segue.api.v1.SimilarTracksRequest;
import dev.segue.api.v1.StagesRun;
import dev.segue.api.v1.Strategy;
import dev.segue.serving.index.Candidates;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.model.TrackCatalog;
import dev.segue.serving.query.ContinueQuery;
import dev.segue.serving.query.FilterSpec;
import dev.segue.serving.query.Recommendation;
import dev.segue.serving.query.Stages;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.List;

/** Validation of requests against {@link Limits} and mapping between protobuf messages and the domain. */
final class Messages {
    private Messages() {}

    static ContinueQuery toQuery(ContinueRequest r, Limits limits) throws StatusException {
        int k = k(r.getK(), limits.defaultK(), limits);
        if (r.getSeedTrackUrisCount() > limits.maxSeeds()) {
            throw invalid(r.getSeedTrackUrisCount() + " seed tracks exceed the limit of " + limits.maxSeeds()
                    + " per request (--max-seeds); send the most recent ones");
        }
        List<String> seeds = r.getSeedTrackUrisList();
        for (int i = 0; i < seeds.size(); i++) {
            if (seeds.get(i).isBlank()) {
                throw invalid("seed_track_uris[" + i + "] is empty");
            }
        }
        String title = null;
        if (r.hasTitle()) {
            title = r.getTitle();
            if (title.length() > limits.maxTitleChars()) {
                throw invalid("title has " + title.length() + " characters; the limit is " + limits.maxTitleChars()
                        + " (--max-title-chars)");
            }
        }
        Filter f = r.getFilter();
        long filterUris = (long) f.getExcludeTrackUrisCount() + f.getExcludeArtistUrisCount()
                + f.getAllowArtistUrisCount();
        if (filterUris > limits.maxFilterUris()) {
            throw invalid("the filter lists " + filterUris + " URIs; the limit is " + limits.maxFilterUris()
                    + " (--max-filter-uris)");
        }
        FilterSpec filter = new FilterSpec(f.getExcludeTrackUrisList(), f.getExcludeArtistUrisList(),
                f.getAllowArtistUrisList());
        return new ContinueQuery(title, seeds, k, filter, r.getFirstStageOnly(), r.getSeedsShuffled());
    }

    static int similarK(SimilarTracksRequest r, Limits limits) throws StatusException {
        return k(r.getK(), limits.defaultSimilarK(), limits);
    }

    private static int k(int k, int defaultK, Limits limits) throws StatusException {
        if (k < 0) {
            throw invalid("k must be >= 0 (0 means the default " + defaultK + "), got " + k);
        }
        if (k > limits.maxK()) {
            throw invalid("k = " + k + " exceeds the limit of " + limits.maxK() + " (--max-k)");
        }
        return k == 0 ? defaultK : k;
    }

    static StatusException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asException();
    }

    static ContinueResponse continueResponse(String requestId, ServingModel model, Recommendation r) {
        ContinueResponse.Builder b = ContinueResponse.newBuilder()
                .setRequestId(requestId)
                .setStrategy(strategy(r.strategy()))
                .addAllUnknownSeedUris(r.unknownSeeds())
                .setDataVersion(model.dataVersion())
                .setStages(stages(r.stages()));
        addTracks(model.catalog(), r.tracks(), b::addTracks);
        return b.build();
    }

    /** The tracks as messages whose URIs are the catalog's pre-encoded bytes ({@link WireCatalog}). */
    static void addTracks(TrackCatalog catalog, Candidates c, java.util.function.Consumer<ScoredTrack> sink) {
        WireCatalog wire = WireCatalog.of(catalog);
        int[] ids = c.ids();
        float[] scores = c.scores();
        for (int i = 0; i < c.size(); i++) {
            sink.accept(ScoredTrack.newBuilder()
                    .setTrackUriBytes(wire.trackUri(ids[i]))
                    .setScore(scores[i])
                    .setArtistUriBytes(wire.artistUriOfRow(ids[i]))
                    .build());
        }
    }

    static StagesRun stages(Stages s) {
        StagesRun.Builder b = StagesRun.newBuilder().setSecondStage(s.secondStage()).addAllSources(s.sources())
                .setCandidates(s.candidates());
        if (s.rankerVersion() != null) {
            b.setRankerVersion(s.rankerVersion());
        }
        if (s.note() != null) {
            b.setNote(s.note());
        }
        return b.build();
    }

    static Strategy strategy(dev.segue.serving.query.Strategy s) {
        return switch (s) {
            case SEEDS -> Strategy.SEEDS;
            case TITLE -> Strategy.TITLE;
            case SEEDS_AND_TITLE -> Strategy.SEEDS_AND_TITLE;
            case POPULARITY_FALLBACK -> Strategy.POPULARITY_FALLBACK;
        };
    }
}
