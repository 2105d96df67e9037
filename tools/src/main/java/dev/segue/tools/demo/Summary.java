package dev.segue.tools.demo;

import dev.segue.eval.report.EvaluationReport;
import dev.segue.eval.report.EvaluationReport.CategoryInfo;
import dev.segue.eval.report.EvaluationReport.CategoryResult;
import dev.segue.eval.report.EvaluationReport.MethodReport;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The demo's closing tables: every method overall, and Segue per category, with ratios to the oracle. */
final class Summary {
    private static final List<String> HEADLINE = List.of("r_precision", "ndcg", "clicks");

    private Summary() {}

    static void print(EvaluationReport r, PrintStream out) {
        out.printf(Locale.ROOT, "Overall (%d challenge playlists, k = %d; ratio to the oracle in brackets)%n",
                r.playlists(), r.k());
        out.printf(Locale.ROOT, "  %-20s %18s %18s %18s%n", "method", "R-precision", "NDCG", "clicks");
        for (MethodReport m : r.methods()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-20s", m.name()));
            for (String key : HEADLINE) {
                line.append(String.format(Locale.ROOT, " %18s", cell(m.overall().get(key),
                        m.ratioToOracle() == null ? null : m.ratioToOracle().get(key))));
            }
            out.println(line);
        }
        MethodReport segue = r.method(DemoCommand.SEGUE);
        if (segue == null) {
            return;
        }
        out.println();
        out.println("Segue by category");
        out.printf(Locale.ROOT, "  %-22s %6s %18s %18s %18s%n", "category", "lists", "R-precision", "NDCG", "clicks");
        for (CategoryInfo c : r.categories()) {
            CategoryResult cr = segue.category(c.id());
            if (cr == null) {
                continue;
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-22s %6d", c.label(), cr.playlists()));
            for (String key : HEADLINE) {
                line.append(String.format(Locale.ROOT, " %18s", cell(cr.metrics().get(key),
                        cr.ratioToOracle() == null ? null : cr.ratioToOracle().get(key))));
            }
            out.println(line);
        }
    }

    private static String cell(Double value, Double ratio) {
        if (value == null) {
            return "-";
        }
        String v = String.format(Locale.ROOT, "%.4f", value);
        return ratio == null ? v : v + String.format(Locale.ROOT, " (%.2f)", ratio);
    }

    /** 0 when the method beats the baseline on R-precision and NDCG overall, else 1 with a reason printed. */
    static int check(EvaluationReport r, String method, String baseline, PrintStream out) {
        MethodReport m = r.method(method);
        MethodReport b = r.method(baseline);
        if (m == null || b == null) {
            out.println("check FAILED: the report lacks '" + (m == null ? method : baseline) + "'");
            return 1;
        }
        if (!m.complete()) {
            out.println("check FAILED: " + m.failed() + " playlists failed for " + method);
            return 1;
        }
        for (String key : List.of("r_precision", "ndcg")) {
            double mv = m.overall().get(key);
            double bv = b.overall().get(key);
            if (!(mv > bv)) {
                out.printf(Locale.ROOT, "check FAILED: %s %s %.4f does not beat %s %.4f%n", method, key, mv, baseline, bv);
                return 1;
            }
        }
        out.printf(Locale.ROOT, "check passed: %s beats %s on R-precision (%.4f > %.4f) and NDCG (%.4f > %.4f)%n",
                method, baseline, m.overall().get("r_precision"), b.overall().get("r_precision"),
                m.overall().get("ndcg"), b.overall().get("ndcg"));
        return 0;
    }
}
