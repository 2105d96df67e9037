package dev.segue.eval.report;

import dev.segue.eval.EvaluationSet;
import dev.segue.eval.MethodResult;
import dev.segue.eval.RecommendationSource;
import dev.segue.format.ChallengeCategory;
import dev.segue.metrics.MetricAccumulator;
import dev.segue.metrics.MetricLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns method results into an {@link EvaluationReport}, with every method's ratio to the oracle. */
public final class ReportBuilder {
    private ReportBuilder() {}

    /**
     * @param externalOracle the oracle's results from an earlier report (same challenge), or null; used only
     *                       when no method of this run is the oracle
     */
    public static EvaluationReport build(EvaluationSet set, MetricLayout layout, List<MethodResult> results,
                                         EvaluationReport.MethodReport externalOracle) {
        List<EvaluationReport.CategoryInfo> categories = new ArrayList<>();
        Map<ChallengeCategory, Integer> counts = set.categoryCounts();
        for (ChallengeCategory c : ChallengeCategory.values()) {
            categories.add(new EvaluationReport.CategoryInfo(c.id(), c.label(), counts.getOrDefault(c, 0)));
        }
        List<EvaluationReport.MetricInfo> metrics = new ArrayList<>();
        for (MetricLayout.Metric m : layout.metrics()) {
            metrics.add(new EvaluationReport.MetricInfo(m.key(), m.label(), m.higherIsBetter(), m.k()));
        }
        List<EvaluationReport.MethodReport> methods = new ArrayList<>();
        for (MethodResult r : results) {
            methods.add(method(r, layout));
        }
        String oracle = null;
        for (EvaluationReport.MethodReport m : methods) {
            if (RecommendationSource.Kind.ORACLE.name().equals(m.kind())) {
                oracle = m.name();
                break;
            }
        }
        if (oracle == null && externalOracle != null) {
            EvaluationReport.MethodReport ext = externalOracle;
            if (ext.playlists() != set.size()) {
                throw new IllegalArgumentException("the oracle report covers " + ext.playlists()
                        + " playlists but this challenge has " + set.size() + ": not the same challenge");
            }
            if (names(methods).contains(ext.name())) {
                ext = ext.renamed(ext.name() + " (earlier report)");
            }
            methods.add(ext);
            oracle = ext.name();
        }
        EvaluationReport report = new EvaluationReport(EvaluationReport.FORMAT, Instant.now().toString(),
                set.challengeFile() == null ? null : set.challengeFile().toString(),
                set.truthFile() == null ? null : set.truthFile().toString(), set.size(), layout.listLength(),
                java.util.Arrays.stream(layout.ks()).boxed().toList(), categories, metrics, oracle, methods);
        return withRatios(report);
    }

    private static List<String> names(List<EvaluationReport.MethodReport> methods) {
        return methods.stream().map(EvaluationReport.MethodReport::name).toList();
    }

    /**
     * Fills every method's ratio to the report's oracle (null ratios when there is no oracle). Metrics where
     * lower is better (clicks) get no ratio: the oracle's clicks are near 0, so any ratio is near 0 and says
     * nothing; reports show the difference to the oracle instead ({@link MarkdownReport}).
     */
    public static EvaluationReport withRatios(EvaluationReport report) {
        EvaluationReport.MethodReport oracle = report.oracle() == null ? null : report.method(report.oracle());
        List<EvaluationReport.MethodReport> out = new ArrayList<>();
        for (EvaluationReport.MethodReport m : report.methods()) {
            Map<String, Double> overall = oracle == null ? null : ratios(report, m.overall(), oracle.overall());
            List<EvaluationReport.CategoryResult> cats = new ArrayList<>();
            for (EvaluationReport.CategoryResult c : m.byCategory()) {
                EvaluationReport.CategoryResult o = oracle == null ? null : oracle.category(c.id());
                cats.add(new EvaluationReport.CategoryResult(c.id(), c.label(), c.playlists(), c.metrics(),
                        c.stderr(), o == null ? null : ratios(report, c.metrics(), o.metrics())));
            }
            out.add(m.withRatios(overall, cats));
        }
        return new EvaluationReport(report.format(), report.created(), report.challenge(), report.truth(),
                report.playlists(), report.k(), report.ks(), report.categories(), report.metrics(), report.oracle(),
                out);
    }

    private static Map<String, Double> ratios(EvaluationReport report, Map<String, Double> values,
                                              Map<String, Double> oracle) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (EvaluationReport.MetricInfo m : report.metrics()) {
            Double v = values.get(m.key());
            Double o = oracle.get(m.key());
            out.put(m.key(), v == null || o == null || !m.higherIsBetter() ? null
                    : finite(MetricLayout.ratioToOracle(v, o, m.higherIsBetter())));
        }
        return out;
    }

    private static EvaluationReport.MethodReport method(MethodResult r, MetricLayout layout) {
        MetricAccumulator acc = r.metrics();
        List<EvaluationReport.CategoryResult> cats = new ArrayList<>();
        for (ChallengeCategory c : ChallengeCategory.values()) {
            cats.add(new EvaluationReport.CategoryResult(c.id(), c.label(), acc.count(c),
                    values(layout, acc.means(c)), values(layout, acc.standardErrors(c)), null));
        }
        List<EvaluationReport.Failure> failures = r.failures().stream()
                .map(f -> new EvaluationReport.Failure(f.pid(), f.reason())).toList();
        return new EvaluationReport.MethodReport(r.name(), r.kind().name(), r.description(), r.details(),
                r.complete(), r.playlists(), r.scored(), r.failures().size(), failures, r.attempts(),
                finite(r.seconds()), finite(r.playlistsPerSecond()), r.recommendedPositions(),
                r.unknownArtistPositions(), r.shortLists(), values(layout, acc.means()),
                values(layout, acc.standardErrors()), null, cats, candidateRecall(r));
    }

    /** Mean ± s.e. of the per-playlist candidate recall, overall and per category; null without candidates. */
    static EvaluationReport.CandidateRecall candidateRecall(MethodResult r) {
        double[] recall = r.candidateRecall();
        if (recall == null) {
            return null;
        }
        int[] categories = r.scores().categories();
        List<EvaluationReport.CategoryRecall> cats = new ArrayList<>();
        for (ChallengeCategory c : ChallengeCategory.values()) {
            double[] ms = meanAndStderr(recall, categories, c.id());
            cats.add(new EvaluationReport.CategoryRecall(c.id(), c.label(), (long) ms[2], finite(ms[0]),
                    finite(ms[1])));
        }
        double[] all = meanAndStderr(recall, categories, -1);
        return new EvaluationReport.CandidateRecall(finite(all[0]), finite(all[1]), cats);
    }

    /** {mean, standard error, n} over the playlists of {@code category} (-1: all); NaN (failed) counts as 0. */
    private static double[] meanAndStderr(double[] values, int[] categories, int category) {
        long n = 0;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < values.length; i++) {
            if (category >= 0 && categories[i] != category) {
                continue;
            }
            double v = Double.isNaN(values[i]) ? 0 : values[i];
            n++;
            sum += v;
            squares += v * v;
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double se = n < 2 ? Double.NaN : Math.sqrt(Math.max(0, (squares - n * mean * mean) / (n - 1)) / n);
        return new double[] {mean, se, n};
    }

    private static Map<String, Double> values(MetricLayout layout, double[] v) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) {
            out.put(layout.metric(i).key(), finite(v[i]));
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
