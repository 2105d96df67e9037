package dev.segue.eval.cli;

import dev.segue.eval.BadInputException;
import dev.segue.eval.EvaluationRun;
import dev.segue.eval.MethodResult;
import dev.segue.eval.report.EvaluationReport;
import dev.segue.eval.report.ReportFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code segue evaluate}: score the server, baselines and submissions on a challenge set; one combined report. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, subcommands = {CompareCommand.class},
        description = {"Score a challenge set with the RecSys Challenge 2018 metrics (R-precision, NDCG, clicks, "
                + "artist-level metrics at k = 10, 50, 100, 500) for the Segue server, baselines and submission "
                + "files, and write report.json, report.md, PNG charts and the scored submissions into --out.",
                "Exit code: 0 every playlist scored, 1 some playlists failed or the server is unreachable, "
                        + "2 bad input."},
        footer = {"", "Examples:",
                "  segue evaluate --challenge w/challenge/challenge_set.json --truth w/challenge/truth.json \\",
                "      --server localhost:50051 --baseline all --mpd w/mpd --store w/store --oracle oracle.csv --out report",
                "  segue evaluate compare report-a report-b --out comparison"})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--challenge", paramLabel = "FILE", description = "challenge_set.json")
    Path challenge;

    @Option(names = "--truth", paramLabel = "FILE", description = "truth.json with the held-out tracks")
    Path truth;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "evaluate the Segue server at this address")
    String server;

    @Option(names = "--server-name", paramLabel = "NAME", defaultValue = "segue",
            description = "name of the server's results in the report (default: ${DEFAULT-VALUE})")
    String serverName;

    @Option(names = "--baseline", paramLabel = "NAME", split = ",",
            description = "baseline(s) to evaluate, repeatable: popular, similar-playlist, popular-artist, "
                    + "artist-popularity, title-knn, als-exact, oracle, or all")
    List<String> baselines = new ArrayList<>();

    @Option(names = "--submission", paramLabel = "CSV", description = "a submission file to evaluate (repeatable)")
    List<Path> submissions = new ArrayList<>();

    @Option(names = "--oracle", paramLabel = "FILE",
            description = "the oracle: a submission CSV from 'segue oracle' (evaluated too), or an earlier report.json "
                    + "holding the oracle; every method is then shown as a ratio of it")
    Path oracle;

    @Option(names = "--mpd", paramLabel = "DIR", description = "training MPD slices (for the baselines and artists)")
    Path mpd;

    @Option(names = "--store", paramLabel = "DIR", description = "feature store (title-knn: title_embeddings; als-exact: track_factors, "
            + "title_embeddings, track_stats)")
    Path store;

    @Option(names = "--title-prior-seeds", defaultValue = "0.5", paramLabel = "S0",
            description = "als-exact: seed/title blend prior, as the server's (default: ${DEFAULT-VALUE})")
    double titlePriorSeeds;

    @Option(names = "--k", defaultValue = "500", description = "tracks per playlist (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--concurrency", defaultValue = "2",
            description = "server: parallel ContinueBatch streams; baselines: threads (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--window", defaultValue = "32",
            description = "requests in flight per stream (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--deadline-ms", defaultValue = "10000",
            description = "deadline of each unary server call, and how long a batch stream may go without any "
                    + "answer before its requests fail and are retried, ms (default: ${DEFAULT-VALUE})")
    long deadlineMs;

    @Option(names = "--retries", defaultValue = "2",
            description = "extra passes over playlists that failed with a retryable error (default: ${DEFAULT-VALUE})")
    int retries;

    @Option(names = "--retry-backoff-ms", defaultValue = "1000", hidden = true)
    long retryBackoffMs;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "use TLS, trusting this certificate file")
    Path tlsCert;

    @Option(names = "--authority", paramLabel = "NAME", description = "server name to verify in its certificate")
    String authority;

    @Option(names = "--token-file", paramLabel = "FILE", description = "file holding a bearer token for the server")
    Path tokenFile;

    @Option(names = "--out", paramLabel = "DIR", description = "report folder")
    Path out;

    @Option(names = "--force", description = "overwrite a report already in --out")
    boolean force;

    @Option(names = "--no-charts", negatable = false, description = "skip the PNG charts")
    boolean noCharts;

    @Option(names = "--no-submissions", negatable = false, description = "do not write the scored submission CSVs")
    boolean noSubmissions;

    @Option(names = "--no-progress", negatable = false, description = "no progress bar")
    boolean noProgress;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        return CliErrors.run("evaluate", err, verbose, () -> {
            if (challenge == null || truth == null || out == null) {
                throw new BadInputException("--challenge, --truth and --out are required (or use 'evaluate compare')");
            }
            if (concurrency < 1 || window < 1) {
                throw new BadInputException("--concurrency and --window must be at least 1");
            }
            if (Files.exists(out.resolve(ReportFiles.JSON)) && !force) {
                throw new BadInputException(out + " already holds a report; use --force to replace it");
            }
            EvaluationRun.ServerSpec serverSpec = server == null ? null : new EvaluationRun.ServerSpec(server,
                    serverName, concurrency, window, Duration.ofMillis(deadlineMs), tlsCert, authority, token());
            EvaluationRun.Outcome outcome = EvaluationRun.run(new EvaluationRun.Spec(challenge, truth, serverSpec,
                    baselines, submissions, oracle, mpd, store, titlePriorSeeds, k, concurrency, retries,
                    Duration.ofMillis(retryBackoffMs), out, !noCharts, !noSubmissions,
                    noProgress ? null : System.err, System.err));
            printSummary(outWriter, outcome.report());
            outWriter.println("report: " + out.resolve(ReportFiles.MARKDOWN));
            if (!outcome.complete()) {
                for (MethodResult r : outcome.results()) {
                    if (!r.complete()) {
                        err.println("segue evaluate: " + r.name() + ": " + r.failures().size() + " of "
                                + r.playlists() + " playlists failed (first: pid " + r.failures().get(0).pid() + ": "
                                + r.failures().get(0).reason() + "); they are listed in the report");
                    }
                }
                return 1;
            }
            return 0;
        });
    }

    private String token() throws IOException {
        if (tokenFile == null) {
            return null;
        }
        if (!Files.isReadable(tokenFile)) {
            throw new BadInputException("--token-file " + tokenFile + " cannot be read");
        }
        String t = Files.readString(tokenFile).strip();
        if (t.isEmpty()) {
            throw new BadInputException("--token-file " + tokenFile + " is empty");
        }
        return t;
    }

    /** The overall table on stdout. */
    static void printSummary(PrintWriter out, EvaluationReport r) {
        boolean ratios = r.oracle() != null;
        int width = Math.max(12, r.methods().stream().mapToInt(m -> m.name().length()).max().orElse(0) + 2);
        String fmt = "%-" + width + "s %10s %10s %8s" + (ratios ? " %10s %10s" : "") + "%n";
        out.printf(Locale.ROOT, fmt, Stream.of("method", "R-prec", "NDCG", "clicks", "NDCG/orcl", "RP/orcl")
                .limit(ratios ? 6 : 4).toArray());
        for (EvaluationReport.MethodReport m : r.methods()) {
            Object[] row = {m.name() + (m.complete() ? "" : " *"), f(m.overall().get("r_precision"), 4),
                    f(m.overall().get("ndcg"), 4), f(m.overall().get("clicks"), 2),
                    ratios ? f(m.ratioToOracle().get("ndcg"), 2) : "", ratios ? f(m.ratioToOracle().get("r_precision"), 2) : ""};
            out.printf(Locale.ROOT, fmt, java.util.Arrays.copyOf(row, ratios ? 6 : 4));
        }
        out.flush();
    }

    private static String f(Double v, int decimals) {
        return v == null ? "—" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
