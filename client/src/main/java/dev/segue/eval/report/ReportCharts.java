package dev.segue.eval.report;

import dev.segue.format.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** PNG charts of a report (XChart): per-category bars for each method, and each per-k metric against k. */
public final class ReportCharts {
    static final List<String> CATEGORY_METRICS = List.of("ndcg", "r_precision", "clicks");

    private ReportCharts() {}

    /** Writes the charts into {@code dir}; returns their file names. */
    public static List<String> write(EvaluationReport r, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> names = new ArrayList<>();
        for (String key : CATEGORY_METRICS) {
            String name = "by-category-" + key + ".png";
            save(byCategory(r, key), dir.resolve(name));
            names.add(name);
        }
        if (r.ks().size() > 1) {
            List<XYChart> charts = new ArrayList<>();
            for (String column : List.of("rp_artist", "rp_track", "ndcg_track", "ndcg_artist")) {
                charts.add(versusK(r, column));
            }
            String name = "metric-vs-k.png";
            try (AtomicFile file = AtomicFile.create(dir.resolve(name))) {
                BitmapEncoder.saveBitmap(charts, 2, 2, file.stream(), BitmapEncoder.BitmapFormat.PNG);
                file.commit();
            }
            names.add(name);
        }
        return names;
    }

    /** Bars of one metric per category (and overall), a series per method. */
    public static CategoryChart byCategory(EvaluationReport r, String key) {
        String label = MarkdownReport.label(r, key);
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(560)
                .title(label + " by category").xAxisTitle("category").yAxisTitle(label).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setAvailableSpaceFill(0.8);
        List<String> categories = new ArrayList<>();
        categories.add("overall");
        for (EvaluationReport.CategoryInfo c : r.categories()) {
            if (c.playlists() > 0) {
                categories.add(c.id() + ". " + c.label());
            }
        }
        for (EvaluationReport.MethodReport m : r.methods()) {
            List<Double> values = new ArrayList<>();
            values.add(orZero(m.overall().get(key)));
            for (EvaluationReport.CategoryInfo c : r.categories()) {
                if (c.playlists() > 0) {
                    EvaluationReport.CategoryResult cr = m.category(c.id());
                    values.add(cr == null ? 0.0 : orZero(cr.metrics().get(key)));
                }
            }
            chart.addSeries(m.name(), categories, values);
        }
        return chart;
    }

    /** One per-k metric against k, a line per method. */
    public static XYChart versusK(EvaluationReport r, String column) {
        String label = MarkdownReport.label(r, column + "@" + r.ks().get(0)).replaceAll("@\\d+$", "");
        XYChart chart = new XYChartBuilder().width(700).height(450).title(label + " vs k").xAxisTitle("k")
                .yAxisTitle(label).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (EvaluationReport.MethodReport m : r.methods()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int k : r.ks()) {
                xs.add((double) k);
                ys.add(orZero(m.overall().get(column + "@" + k)));
            }
            chart.addSeries(m.name(), xs, ys);
        }
        return chart;
    }

    static <C extends Chart<?, ?>> void save(C chart, Path file) throws IOException {
        try (AtomicFile out = AtomicFile.create(file)) {
            BitmapEncoder.saveBitmap(chart, out.stream(), BitmapEncoder.BitmapFormat.PNG);
            out.commit();
        }
    }

    private static double orZero(Double v) {
        return v == null ? 0.0 : v;
    }
}
