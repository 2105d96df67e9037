package dev.segue.eval;

import dev.segue.baselines.BaselineInputs;
import dev.segue.baselines.Baselines;
import dev.segue.baselines.Recommender;
import dev.segue.baselines.SubmissionRecommender;
import dev.segue.client.BatchOptions;
import dev.segue.client.SegueClient;
import dev.segue.eval.report.EvaluationReport;
import dev.segue.eval.report.ReportBuilder;
import dev.segue.eval.report.ReportFiles;
import dev.segue.eval.report.ResearchTables;
import dev.segue.eval.stats.PairedTest;
import dev.segue.metrics.ArtistLookup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code segue evaluate} run: several methods (the server, baselines, submission files, the oracle)
 * scored on one challenge set and written as one combined report. Separated from the command line so tests
 * and the demo drive it directly.
 */
public final class EvaluationRun {
    /** How to reach the server. */
    public record ServerSpec(String target, String name, int streams, int window, Duration deadline,
                             Path trustCertificate, String authority, String bearerToken) {}

    /** Everything a run needs. Lists may be empty; at least one method must be selected. */
    public record Spec(Path challenge, Path truth, ServerSpec server, List<String> baselines,
                       List<Path> submissions, Path oracle, Path mpd, Path store, double titlePriorSeeds,
                       int k, int concurrency,
                       int retries, Duration retryBackoff, Path out, boolean charts, boolean writeSubmissions,
                       PrintStream progress, PrintStream log) {}

    /** What the run produced. */
    public record Outcome(EvaluationReport report, List<MethodResult> results, Path out) {
        public boolean complete() {
            return results.stream().allMatch(MethodResult::complete);
        }
    }

    private EvaluationRun() {}

    public static Outcome run(Spec spec) throws Exception {
        boolean oracleIsReport = spec.oracle() != null && spec.oracle().getFileName().toString().endsWith(".json");
        List<String> baselines = Baselines.resolve(spec.baselines(), spec.mpd() != null, spec.store() != null,
                spec.oracle() != null && !oracleIsReport, line -> log(spec, line));
        if (spec.server() == null && baselines.isEmpty() && spec.submissions().isEmpty()
                && (spec.oracle() == null || oracleIsReport)) {
            throw new BadInputException("nothing to evaluate: give --server, --baseline or --submission");
        }
        if (spec.out() == null) {
            throw new BadInputException("no output folder: give --out DIR");
        }
        if (Files.exists(spec.out()) && !Files.isDirectory(spec.out())) {
            throw new BadInputException("--out " + spec.out() + " exists and is not a folder");
        }
        EvaluationReport.MethodReport externalOracle = null;
        if (oracleIsReport) {
            EvaluationReport earlier = ReportFiles.read(spec.oracle());
            if (earlier.oracle() == null) {
                throw new BadInputException(spec.oracle() + ": the report has no oracle method");
            }
            if (earlier.k() != spec.k()) {
                throw new BadInputException(spec.oracle() + ": the oracle was scored at k = " + earlier.k()
                        + ", this run uses k = " + spec.k() + "; ratios would not compare like with like");
            }
            externalOracle = earlier.method(earlier.oracle());
        }
        for (Path s : spec.submissions()) {
            EvaluationSet.requireFile(s, "submission");
        }
        log(spec, "reading " + spec.challenge() + " and " + spec.truth());
        EvaluationSet set = EvaluationSet.load(spec.challenge(), spec.truth());
        log(spec, set.size() + " challenge playlists");

        BaselineInputs inputs = new BaselineInputs(spec.mpd(), spec.store(),
                oracleIsReport ? null : spec.oracle(), pid -> set.indexOf(pid) >= 0,
                spec.progress() == null ? null : n -> spec.progress().print("\rreading training slices: " + n))
                .titlePriorSeeds(spec.titlePriorSeeds());
        List<RecommendationSource> sources = new ArrayList<>();
        try {
            if (spec.server() != null) {
                sources.add(server(spec.server()));
            }
            for (String name : baselines) {
                if (Baselines.ORACLE.equals(name)) {
                    continue; // added last, below
                }
                log(spec, "preparing baseline " + name);
                Recommender r;
                try {
                    r = Baselines.create(name, inputs);
                } catch (BaselineInputs.MissingInputException e) {
                    if (!Baselines.optionalInAll(name, spec.baselines())) {
                        throw e;
                    }
                    log(spec, "skipping baseline " + name + ": " + e.getMessage());
                    continue; // "all" with a store but no ranker yet: every other method still runs
                }
                if (spec.progress() != null) {
                    spec.progress().print("\r");
                }
                sources.add(new RecommenderSource(r, RecommendationSource.Kind.BASELINE, spec.concurrency(),
                        baselineDetails(name, inputs, r)));
            }
            List<String> taken = new ArrayList<>();
            sources.forEach(s -> taken.add(s.name()));
            for (Path file : spec.submissions()) {
                String name = uniqueName(stem(file), taken);
                taken.add(name);
                sources.add(new RecommenderSource(new SubmissionRecommender(name, "submission file " + file, file,
                        pid -> set.indexOf(pid) >= 0), RecommendationSource.Kind.SUBMISSION, spec.concurrency(),
                        Map.of("file", file.toString())));
            }
            if (spec.oracle() != null && !oracleIsReport) {
                sources.add(new RecommenderSource(Baselines.create(Baselines.ORACLE, inputs),
                        RecommendationSource.Kind.ORACLE, spec.concurrency(), Map.of("file", spec.oracle().toString())));
            }
            ArtistLookup artists = artistLookup(spec, inputs, sources);

            Evaluator evaluator = new Evaluator(new Evaluator.Options(spec.k(), spec.retries(), spec.retryBackoff(),
                    spec.progress()));
            List<MethodResult> results = new ArrayList<>();
            for (RecommendationSource source : sources) {
                if (source instanceof ServerSource server) {
                    server.checkReachable();
                }
                Path submission = spec.writeSubmissions()
                        ? spec.out().resolve("submissions").resolve(source.name() + ".csv") : null;
                MethodResult r = evaluator.evaluate(set, source, artists, submission);
                results.add(r);
                log(spec, String.format(java.util.Locale.ROOT, "%s: %d/%d playlists in %.1f s (%.0f/s)%s",
                        r.name(), r.scored(), r.playlists(), r.seconds(), r.playlistsPerSecond(),
                        r.complete() ? "" : " — " + r.failures().size() + " FAILED"));
            }
            EvaluationReport report = ReportBuilder.build(set, evaluator.layout(), results, externalOracle);
            for (MethodResult r : results) {
                r.scores().write(PlaylistScores.file(spec.out(), r.name()));
            }
            ReportFiles.write(report, spec.out(), spec.charts(), research(results, report));
            return new Outcome(report, results, spec.out());
        } finally {
            for (RecommendationSource s : sources) {
                s.close();
            }
        }
    }

    /**
     * The report's research sections: the Borda ranking of the methods and paired tests of every pair, the oracle
     * left out of both (it is the ceiling, not a competitor).
     */
    static String research(List<MethodResult> results, EvaluationReport report) {
        Map<String, EvaluationReport.MethodReport> methods = new LinkedHashMap<>();
        Map<String, PlaylistScores> scores = new LinkedHashMap<>();
        for (MethodResult r : results) {
            if (r.kind() != RecommendationSource.Kind.ORACLE) {
                methods.put(r.name(), report.method(r.name()));
                scores.put(r.name(), r.scores());
            }
        }
        if (methods.isEmpty()) {
            return "";
        }
        String md = ResearchTables.bordaMarkdown(ResearchTables.borda(methods), "Each of R-precision, NDCG and clicks "
                + "ranks the " + methods.size() + " methods (the oracle left out); position p earns N − p + 1 points.");
        if (scores.size() > 1) {
            md += ResearchTables.allPairsMarkdown(scores, PairedTest.DEFAULT_RESAMPLES, PairedTest.DEFAULT_SEED)
                    + "Per category: `segue evaluate compare DIR --pair A B`; per-playlist scores: `"
                    + PlaylistScores.FOLDER + "/<method>.csv`.\n\n";
        }
        return md;
    }

    private static ArtistLookup artistLookup(Spec spec, BaselineInputs inputs, List<RecommendationSource> sources)
            throws IOException {
        boolean needsCatalog = sources.stream().anyMatch(s -> s.kind() != RecommendationSource.Kind.SERVER);
        if (inputs.trainingLoaded() || (needsCatalog && spec.mpd() != null)) {
            return inputs.training("resolving artists");
        }
        return null;
    }

    private static Map<String, String> baselineDetails(String name, BaselineInputs inputs, Recommender r) {
        Map<String, String> d = new LinkedHashMap<>(r.details());
        if (inputs.mpd() != null && !"als-exact".equals(name)) {
            d.put("mpd", inputs.mpd().toString());
        }
        if ("title-knn".equals(name) && inputs.titlesVersion() != null) {
            d.put("title_embeddings", inputs.titlesVersion());
        }
        return d;
    }

    private static RecommendationSource server(ServerSpec s) throws IOException {
        SegueClient.Builder b = SegueClient.forTarget(s.target()).deadline(s.deadline());
        if (s.trustCertificate() != null) {
            b.tls(s.trustCertificate());
        }
        if (s.authority() != null) {
            b.overrideAuthority(s.authority());
        }
        if (s.bearerToken() != null) {
            b.bearerToken(s.bearerToken());
        }
        // a stream with requests waiting that answers nothing for one deadline is treated as stalled
        return new ServerSource(s.name(), b.build(), new BatchOptions(s.streams(), s.window(), s.deadline()), true);
    }

    /** Builds a server source over an existing client (tests, the demo). */
    public static RecommendationSource server(String name, SegueClient client, BatchOptions options) {
        return new ServerSource(name, client, options, false);
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static String uniqueName(String base, List<String> taken) {
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    private static void log(Spec spec, String line) {
        if (spec.log() != null) {
            spec.log().println(line);
        }
    }
}
