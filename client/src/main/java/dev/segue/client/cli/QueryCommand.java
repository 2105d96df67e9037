package dev.segue.client.cli;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.Filter;
import dev.segue.api.v1.SimilarTracksResponse;
import dev.segue.api.v1.StatusResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code segue query continue|similar|status}: one call to a running server through {@link
 * dev.segue.client.SegueClient}, printed as a table or (with {@code --json}) as one JSON object.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        subcommands = {QueryCommand.Continue.class, QueryCommand.Similar.class, QueryCommand.Status.class},
        description = {"Call a running index server from the shell: continue a playlist, find similar tracks, "
                + "or show what it serves.",
                "Exit code: 0 answered, 1 unreachable / not ready / UNAUTHENTICATED / other failure, "
                        + "2 bad options or a request the server rejected (INVALID_ARGUMENT, NOT_FOUND)."},
        footer = {"", "Examples:",
                "  segue query continue --server 127.0.0.1:50051 --title chill --k 10",
                "  segue query continue --server 127.0.0.1:50051 --seed spotify:track:A --seed spotify:track:B --json",
                "  segue query similar --server 127.0.0.1:50051 --track spotify:track:A",
                "  segue query status --server host:50051 --tls-ca ca.pem --token-file token.txt"})
public final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "choose a query: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code segue query continue}. */
    @Command(name = "continue", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Continue a playlist (seed tracks and/or a title) and print the ranked tracks, the "
                    + "strategy that answered, the unknown seeds the server ignored and the data version."})
    public static final class Continue implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Option(names = "--title", paramLabel = "T", description = "playlist title")
        String title;

        @Option(names = "--seed", paramLabel = "URI", description = "a seed track URI, in playlist order (repeatable)")
        List<String> seeds = new ArrayList<>();

        @Option(names = "--k", defaultValue = "10", description = "tracks wanted (default: ${DEFAULT-VALUE})")
        int k;

        @Option(names = "--exclude-artist", paramLabel = "URI", description = "leave out this artist's tracks (repeatable)")
        List<String> excludeArtists = new ArrayList<>();

        @Option(names = "--exclude-track", paramLabel = "URI", description = "leave out this track (repeatable)")
        List<String> excludeTracks = new ArrayList<>();

        @Option(names = "--allow-artist", paramLabel = "URI",
                description = "only tracks of these artists (repeatable)")
        List<String> allowArtists = new ArrayList<>();

        @Option(names = "--first-stage-only", description = "the factor model's list even when the server runs the "
                + "two-stage recommender (A/B)")
        boolean firstStageOnly;

        @Option(names = "--seeds-shuffled", description = "the seeds are a random sample of the playlist, not its "
                + "first tracks (a feature of the two-stage ranker; default: in order)")
        boolean seedsShuffled;

        @Override
        public Integer call() {
            if (k < 1) {
                throw new ParameterException(spec.commandLine(), "--k must be at least 1, got " + k);
            }
            ContinueRequest.Builder request = ContinueRequest.newBuilder().addAllSeedTrackUris(seeds).setK(k)
                    .setFirstStageOnly(firstStageOnly).setSeedsShuffled(seedsShuffled);
            if (title != null) {
                request.setTitle(title);
            }
            if (!excludeArtists.isEmpty() || !excludeTracks.isEmpty() || !allowArtists.isEmpty()) {
                request.setFilter(Filter.newBuilder().addAllExcludeArtistUris(excludeArtists)
                        .addAllExcludeTrackUris(excludeTracks).addAllAllowArtistUris(allowArtists));
            }
            return server.run(spec, client -> {
                long t0 = System.nanoTime();
                ContinueResponse r = client.continuePlaylist(request.build());
                QueryPrinter.continued(spec.commandLine().getOut(), server.json, server.server, r, millisSince(t0));
                return 0;
            });
        }
    }

    /** {@code segue query similar}. */
    @Command(name = "similar", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"The tracks nearest to one track in factor space, ranked."})
    public static final class Similar implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Option(names = "--track", required = true, paramLabel = "URI", description = "the track URI")
        String track;

        @Option(names = "--k", defaultValue = "10", description = "tracks wanted (default: ${DEFAULT-VALUE})")
        int k;

        @Override
        public Integer call() {
            if (k < 1) {
                throw new ParameterException(spec.commandLine(), "--k must be at least 1, got " + k);
            }
            return server.run(spec, client -> {
                long t0 = System.nanoTime();
                SimilarTracksResponse r = client.similarTracks(track, k);
                QueryPrinter.similar(spec.commandLine().getOut(), server.json, server.server, track, r,
                        millisSince(t0));
                return 0;
            });
        }
    }

    /** {@code segue query status}. */
    @Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"What the server serves (data version, items, dimensions, index parameters, load "
                    + "time, uptime) and its latency percentiles per method.",
                    "Exits 1 (after printing the status) while the server has no index loaded yet."})
    public static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Override
        public Integer call() {
            return server.run(spec, client -> {
                long t0 = System.nanoTime();
                StatusResponse r = client.status();
                QueryPrinter.status(spec.commandLine().getOut(), server.json, server.server, r, millisSince(t0));
                if (r.getDataVersion().isEmpty()) {
                    spec.commandLine().getErr().println(spec.qualifiedName() + ": the server at " + server.server
                            + " answers but has no index loaded yet (starting or loading); try again shortly");
                    return ServerOptions.FAILED;
                }
                return 0;
            });
        }
    }

    private static double millisSince(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }
}
