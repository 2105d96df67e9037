package dev.segue.eval.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.segue.eval.BadInputException;
import dev.segue.eval.PlaylistScores;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Several reports side by side (the {@code evaluate compare} command). */
public final class ReportComparison {
    /** One method of one report, with the report's folder (where its per-playlist scores are). */
    public record Entry(String label, EvaluationReport report, EvaluationReport.MethodReport method, Path dir) {
        /** The per-playlist scores file of this method. */
        public Path scoresFile() {
            return PlaylistScores.file(dir, method.name());
        }

        boolean isOracle() {
            return method.name().equals(report.oracle());
        }
    }

    private final List<Entry> entries;
    private final Set<String> challenges;

    private ReportComparison(List<Entry> entries, Set<String> challenges) {
        this.entries = entries;
        this.challenges = challenges;
    }

    public static ReportComparison load(List<Path> reports) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Set<String> challenges = new LinkedHashSet<>();
        List<String> labels = labels(reports);
        for (int i = 0; i < reports.size(); i++) {
            Path p = reports.get(i);
            EvaluationReport r = ReportFiles.read(p);
            challenges.add(r.challenge() + " (" + r.playlists() + " playlists, k=" + r.k() + ")");
            String prefix = labels.get(i);
            Path dir = Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
            for (EvaluationReport.MethodReport m : r.methods()) {
                entries.add(new Entry(reports.size() == 1 ? m.name() : prefix + "/" + m.name(), r, m, dir));
            }
        }
        return new ReportComparison(entries, challenges);
    }

    /**
     * A distinct label per report: its folder's name, or as many trailing folders as it takes to tell reports
     * with the same folder name apart ({@code a/report}, {@code b/report}); the same folder given twice gets
     * {@code #2}, {@code #3}.
     */
    static List<String> labels(List<Path> reports) {
        List<Path> dirs = new ArrayList<>();
        int deepest = 1;
        for (Path p : reports) {
            Path dir = (Files.isDirectory(p) ? p : p.toAbsolutePath().getParent()).toAbsolutePath().normalize();
            dirs.add(dir);
            deepest = Math.max(deepest, dir.getNameCount());
        }
        List<Path> distinct = new ArrayList<>(new LinkedHashSet<>(dirs));
        int depth = 1;
        while (depth < deepest && distinctLabels(distinct, depth).size() < distinct.size()) {
            depth++;
        }
        List<String> out = new ArrayList<>();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (Path d : dirs) {
            String l = label(d, depth);
            int k = seen.merge(l, 1, Integer::sum);
            out.add(k == 1 ? l : l + "#" + k);
        }
        return out;
    }

    private static Set<String> distinctLabels(List<Path> dirs, int depth) {
        Set<String> out = new java.util.HashSet<>();
        for (Path d : dirs) {
            out.add(label(d, depth));
        }
        return out;
    }

    private static String label(Path dir, int depth) {
        int n = dir.getNameCount();
        return n == 0 ? dir.toString() : dir.subpath(Math.max(0, n - depth), n).toString();
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The Borda ranking of every method but the oracles, as markdown. */
    public String bordaMarkdown() {
        Map<String, EvaluationReport.MethodReport> methods = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (!e.isOracle()) {
                methods.put(e.label(), e.method());
            }
        }
        if (methods.isEmpty()) {
            return "";
        }
        return ResearchTables.bordaMarkdown(ResearchTables.borda(methods), "Each of R-precision, NDCG and clicks ranks "
                + "the " + methods.size() + " methods (oracles left out); position p earns N − p + 1 points.");
    }

    /**
     * Paired tests from the per-playlist scores: of {@code pair} (two labels) overall and per category, or, when
     * {@code pair} is null, of every pair of methods but the oracles, overall (methods whose report has no
     * per-playlist file are left out, and named).
     */
    public String pairedMarkdown(List<String> pair, int resamples, long seed) throws IOException {
        if (pair != null) {
            if (pair.size() != 2 || pair.get(0).equals(pair.get(1))) {
                throw new BadInputException("--pair takes two different methods, got " + pair);
            }
            Entry a = entry(pair.get(0));
            Entry b = entry(pair.get(1));
            return ResearchTables.pairMarkdown(a.label(), scores(a), b.label(), scores(b), resamples, seed);
        }
        Map<String, PlaylistScores> scores = new LinkedHashMap<>();
        List<String> without = new ArrayList<>();
        for (Entry e : entries) {
            if (e.isOracle()) {
                continue;
            }
            if (Files.isRegularFile(e.scoresFile())) {
                scores.put(e.label(), scores(e));
            } else {
                without.add(e.label());
            }
        }
        String note = without.isEmpty() ? "" : "Left out (no per-playlist scores in their report folder; evaluate "
                + "again to get them): " + String.join(", ", without) + ".\n\n";
        return scores.size() < 2 ? note : ResearchTables.allPairsMarkdown(scores, resamples, seed) + note;
    }

    private Entry entry(String label) {
        for (Entry e : entries) {
            if (e.label().equals(label)) {
                return e;
            }
        }
        throw new BadInputException("no method '" + label + "' in these reports; the methods are: "
                + String.join(", ", entries.stream().map(Entry::label).toList()));
    }

    private static PlaylistScores scores(Entry e) throws IOException {
        return PlaylistScores.read(e.scoresFile(), e.label());
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# Evaluation reports compared\n\n");
        if (challenges.size() > 1) {
            md.append("**Warning:** the reports are on different challenges, so their numbers are not comparable:\n");
            challenges.forEach(c -> md.append("- ").append(c).append('\n'));
            md.append('\n');
        } else {
            md.append("Challenge: ").append(challenges.iterator().next()).append("\n\n");
        }
        md.append("| method | R-precision | R-prec (track) | NDCG (ref) | NDCG (rules) | clicks | R-prec ÷ oracle "
                + "| NDCG ÷ oracle | clicks − oracle | complete |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Entry e : entries) {
            var o = e.method().overall();
            var se = e.method().overallStderr();
            var ratio = e.method().ratioToOracle();
            EvaluationReport.MethodReport oracle = e.report().oracle() == null ? null
                    : e.report().method(e.report().oracle());
            md.append("| ").append(e.label());
            for (String key : List.of("r_precision", "r_precision_track", "ndcg", "ndcg_rules", "clicks")) {
                md.append(" | ").append(MarkdownReport.withError(o.get(key), se == null ? null : se.get(key),
                        "clicks".equals(key) ? 2 : 4));
            }
            md.append(" | ").append(ratio == null ? "—" : MarkdownReport.num(ratio.get("r_precision"), 2))
                    .append(" | ").append(ratio == null ? "—" : MarkdownReport.num(ratio.get("ndcg"), 2))
                    .append(" | ").append(MarkdownReport.clicksOverOracle(o, oracle == null ? null : oracle.overall()))
                    .append(" | ").append(e.method().complete() ? "yes" : "**no** (" + e.method().failed() + " failed)")
                    .append(" |\n");
        }
        return md.toString();
    }

    /** Writes compare.md and compare.png (the metric by category, a series per method). */
    public void write(Path dir, String metric) throws IOException {
        write(dir, metric, markdown());
    }

    /** As {@link #write(Path, String)}, with {@code md} as compare.md's text (before the chart). */
    public void write(Path dir, String metric, String md) throws IOException {
        Files.createDirectories(dir);
        if (entries.stream().noneMatch(e -> e.method().overall().containsKey(metric))) {
            throw new IllegalArgumentException("no metric '" + metric + "' in these reports; e.g. ndcg, r_precision, "
                    + "clicks, rp_artist@10");
        }
        System.setProperty("java.awt.headless", "true");
        EvaluationReport first = entries.get(0).report();
        String label = MarkdownReport.label(first, metric);
        CategoryChart chart = new CategoryChartBuilder().width(1300).height(600).title(label + " by category")
                .xAxisTitle("category").yAxisTitle(label).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(30);
        List<String> categories = new ArrayList<>();
        categories.add("overall");
        for (EvaluationReport.CategoryInfo c : first.categories()) {
            categories.add(c.id() + ". " + c.label());
        }
        for (Entry e : entries) {
            List<Double> values = new ArrayList<>();
            values.add(orZero(e.method().overall().get(metric)));
            for (EvaluationReport.CategoryInfo c : first.categories()) {
                EvaluationReport.CategoryResult cr = e.method().category(c.id());
                values.add(cr == null ? 0.0 : orZero(cr.metrics().get(metric)));
            }
            chart.addSeries(e.label(), categories, values);
        }
        ReportCharts.save(chart, dir.resolve("compare.png"));
        ReportFiles.writeText(dir.resolve("compare.md"), md + "\n![" + label + " by category](compare.png)\n");
    }

    private static double orZero(Double v) {
        return v == null ? 0.0 : v;
    }
}
