package dev.segue.eval;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.ScoredTrack;
import dev.segue.api.v1.StatusResponse;
import dev.segue.client.BatchListener;
import dev.segue.client.BatchOptions;
import dev.segue.client.SegueClient;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdTrack;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Segue server, asked over ContinueBatch streams with bounded requests in flight. */
public final class ServerSource implements RecommendationSource {
    /** Codes where asking again may succeed. */
    private static final Set<Status.Code> RETRYABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.INTERNAL, Status.Code.UNKNOWN,
            Status.Code.CANCELLED);

    private final String name;
    private final SegueClient client;
    private final BatchOptions options;
    private final boolean ownsClient;
    private StatusResponse status;
    /** Answers per strategy (seeds, title, both, popularity fallback) and unknown seeds, for the report. */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> counts =
            new java.util.concurrent.ConcurrentHashMap<>();

    public ServerSource(String name, SegueClient client, BatchOptions options, boolean ownsClient) {
        this.name = name;
        this.client = client;
        this.options = options;
        this.ownsClient = ownsClient;
    }

    /**
     * Asks the server for its status, so a server that is down or refuses us is reported before any work.
     *
     * @throws ServerUnavailableException with a message naming the target and the gRPC status
     */
    public StatusResponse checkReachable() {
        try {
            status = client.status();
            return status;
        } catch (StatusRuntimeException e) {
            throw new ServerUnavailableException("cannot use the Segue server at " + client.target() + ": "
                    + e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                    : " (" + e.getStatus().getDescription() + ")"), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Kind kind() {
        return Kind.SERVER;
    }

    @Override
    public String description() {
        return "Segue index server at " + client.target() + " (ContinueBatch, " + options.streams() + " streams × "
                + options.window() + " in flight)";
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("target", client.target());
        if (status != null) {
            d.put("data_version", status.getDataVersion());
            d.put("items", Long.toString(status.getItemCount()));
            d.put("dimensions", Integer.toString(status.getDimensions()));
            if (status.hasIndex()) {
                d.put("hnsw", "M=" + status.getIndex().getM() + " efConstruction="
                        + status.getIndex().getEfConstruction() + " ef=" + status.getIndex().getEf());
            }
        }
        new java.util.TreeMap<>(counts).forEach((k, v) -> d.put(k, Long.toString(v.sum())));
        return d;
    }

    /**
     * The request the evaluator sends for a challenge playlist: its title (if any), seeds in order, and whether they
     * are a random sample of the playlist (the "random" categories) rather than its first tracks.
     */
    public static ContinueRequest request(ChallengePlaylist p, int k, String id) {
        ContinueRequest.Builder b = ContinueRequest.newBuilder().setRequestId(id).setK(k)
                .setSeedsShuffled(!p.seedsInOrder());
        if (p.name() != null) {
            b.setTitle(p.name());
        }
        for (MpdTrack t : p.tracks()) {
            b.addSeedTrackUris(t.trackUri());
        }
        return b.build();
    }

    @Override
    public void recommend(List<ChallengePlaylist> playlists, int k, ResultSink sink) throws Exception {
        Iterator<ContinueRequest> requests = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < playlists.size();
            }

            @Override
            public ContinueRequest next() {
                int i = next++;
                return request(playlists.get(i), k, Integer.toString(i));
            }
        };
        client.continueAllAsync(requests, options, new BatchListener() {
            @Override
            public void onResponse(ContinueRequest request, ContinueResponse response) {
                int n = response.getTracksCount();
                List<String> tracks = new ArrayList<>(n);
                List<String> artists = new ArrayList<>(n);
                for (ScoredTrack t : response.getTracksList()) {
                    tracks.add(t.getTrackUri());
                    artists.add(t.getArtistUri());
                }
                counts.computeIfAbsent("strategy " + response.getStrategy().name().toLowerCase(java.util.Locale.ROOT),
                        x -> new java.util.concurrent.atomic.LongAdder()).increment();
                if (response.getUnknownSeedUrisCount() > 0) {
                    counts.computeIfAbsent("unknown seeds", x -> new java.util.concurrent.atomic.LongAdder())
                            .add(response.getUnknownSeedUrisCount());
                }
                sink.accept(Integer.parseInt(request.getRequestId()), tracks, artists);
            }

            @Override
            public void onFailure(ContinueRequest request, Status status) {
                sink.fail(Integer.parseInt(request.getRequestId()), status.getCode()
                        + (status.getDescription() == null ? "" : ": " + status.getDescription()),
                        RETRYABLE.contains(status.getCode()));
            }
        }).await();
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    /** The server cannot be used at all. */
    public static final class ServerUnavailableException extends RuntimeException {
        public ServerUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
