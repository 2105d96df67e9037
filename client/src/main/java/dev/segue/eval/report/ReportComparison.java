package dev.segue.eval.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Several reports side by side (the {@code evaluate compare} command). */
public final class ReportComparison {
    /** One method of one report. */
    public record Entry(String label, EvaluationReport report, EvaluationReport.MethodReport method) {}

    private final List<Entry> entries;
    private final Set<String> challenges;

    private ReportComparison(List<Entry> entries, Set<String> challenges) {
        this.entries = entries;
        this.challenges = challenges;
    }

    public static ReportComparison load(List<Path> reports) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Set<String> challenges = new LinkedHashSet<>();
        for (Path p : reports) {
            EvaluationReport r = ReportFiles.read(p);
            challenges.add(r.challenge() + " (" + r.playlists() + " playlists, k=" + r.k() + ")");
            String prefix = label(p);
            for (EvaluationReport.MethodReport m : r.methods()) {
                entries.add(new Entry(reports.size() == 1 ? m.name() : prefix + "/" + m.name(), r, m));
            }
        }
        return new ReportComparison(entries, challenges);
    }

    private static String label(Path p) {
        Path dir = Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
        Path name = dir == null ? null : dir.getFileName();
        return name == null ? p.toString() : name.toString();
    }

    public List<Entry> entries() {
        return entries;
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
                + "| NDCG ÷ oracle | clicks ÷ oracle | complete |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Entry e : entries) {
            var o = e.method().overall();
            var ratio = e.method().ratioToOracle();
            md.append("| ").append(e.label())
                    .append(" | ").append(MarkdownReport.num(o.get("r_precision"), 4))
                    .append(" | ").append(MarkdownReport.num(o.get("r_precision_track"), 4))
                    .append(" | ").append(MarkdownReport.num(o.get("ndcg"), 4))
                    .append(" | ").append(MarkdownReport.num(o.get("ndcg_rules"), 4))
                    .append(" | ").append(MarkdownReport.num(o.get("clicks"), 2))
                    .append(" | ").append(ratio == null ? "—" : MarkdownReport.num(ratio.get("r_precision"), 2))
                    .append(" | ").append(ratio == null ? "—" : MarkdownReport.num(ratio.get("ndcg"), 2))
                    .append(" | ").append(ratio == null ? "—" : MarkdownReport.num(ratio.get("clicks"), 2))
                    .append(" | ").append(e.method().complete() ? "yes" : "**no** (" + e.method().failed() + " failed)")
                    .append(" |\n");
        }
        return md.toString();
    }

    /** Writes compare.md and compare.png (the metric by category, a series per method). */
    public void write(Path dir, String metric) throws IOException {
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
        ReportFiles.writeText(dir.resolve("compare.md"), markdown() + "\n![" + label + " by category](compare.png)\n");
    }

    private static double orZero(Double v) {
        return v == null ? 0.0 : v;
    }
}
