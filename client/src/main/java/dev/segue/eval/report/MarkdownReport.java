package dev.segue.eval.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders an {@link EvaluationReport} as {@code report.md}: tables people can read at a glance. */
public final class MarkdownReport {
    /** Failed pids listed per method in the markdown (all of them are in report.json). */
    static final int LISTED_FAILURES = 50;
    static final List<String> HEADLINE = List.of("r_precision", "r_precision_track", "ndcg", "ndcg_rules", "clicks");
    static final List<String> CATEGORY_COLUMNS = List.of("r_precision", "ndcg", "ndcg_rules", "clicks");
    static final List<String> RATIO_COLUMNS = List.of("r_precision", "ndcg");
    /** Where the metric definitions live, relative to the repository root (a test checks it exists). */
    public static final String METRICS_DOC = "docs/METRICS.md";

    private MarkdownReport() {}

    public static String render(EvaluationReport r, List<String> charts) {
        return render(r, charts, "");
    }

    /**
     * The candidate recall of the methods with a candidate stage (two-stage, first-stage): the share of held-out
     * tracks inside the candidate set, overall and per category, ± one standard error; empty without such methods.
     */
    static String candidateRecall(EvaluationReport r) {
        List<EvaluationReport.MethodReport> with = r.methods().stream().filter(m -> m.candidateRecall() != null)
                .toList();
        if (with.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Candidate recall (first stage)\n\n");
        md.append("Share of each playlist's held-out tracks inside the whole candidate set the method ranked (every "
                + "source's candidates, before the list is cut to k), mean ± one standard error; failed playlists "
                + "count as 0. It bounds what any ranking of these candidates can reach.\n\n");
        md.append("| category | playlists |");
        for (EvaluationReport.MethodReport m : with) {
            md.append(' ').append(m.name()).append(" |");
        }
        md.append("\n|---|---:|");
        md.append("---:|".repeat(with.size()));
        md.append("\n| overall | ").append(r.playlists()).append(" |");
        for (EvaluationReport.MethodReport m : with) {
            md.append(' ').append(withStderr(m.candidateRecall().mean(), m.candidateRecall().stderr())).append(" |");
        }
        md.append('\n');
        for (EvaluationReport.CategoryInfo c : r.categories()) {
            if (c.playlists() == 0) {
                continue;
            }
            md.append("| ").append(c.id()).append(". ").append(c.label()).append(" | ").append(c.playlists())
                    .append(" |");
            for (EvaluationReport.MethodReport m : with) {
                EvaluationReport.CategoryRecall cr = m.candidateRecall().byCategory().stream()
                        .filter(x -> x.id() == c.id()).findFirst().orElse(null);
                md.append(' ').append(cr == null ? "—" : withStderr(cr.mean(), cr.stderr())).append(" |");
            }
            md.append('\n');
        }
        return md.append('\n').toString();
    }

    private static String withStderr(Double mean, Double stderr) {
        return num(mean, 4) + (stderr == null ? "" : " ± " + num(stderr, 4));
    }

    /** The report with {@code research} (Borda ranking, paired tests; markdown sections) after the by-category tables. */
    public static String render(EvaluationReport r, List<String> charts, String research) {
        StringBuilder md = new StringBuilder();
        md.append("# Segue evaluation report\n\n");
        md.append("- challenge: `").append(r.challenge()).append("` (").append(r.playlists()).append(" playlists)\n");
        md.append("- truth: `").append(r.truth()).append("`\n");
        md.append("- list length k = ").append(r.k()).append("; created ").append(r.created()).append('\n');
        if (r.oracle() != null) {
            md.append("- oracle: **").append(r.oracle()).append("** — \"÷ oracle\" columns are value ÷ oracle, "
                    + "so 1.00 means as good as the oracle; \"clicks − oracle\" is how many more pages of ten a "
                    + "listener scrolls than with the oracle's lists (0 is as good as the oracle)\n");
        } else {
            md.append("- no oracle in this run (give `--oracle FILE` for ratios to the ceiling)\n");
        }
        md.append('\n');

        md.append("## Methods\n\n");
        md.append("| method | kind | status | scored | failed | time (s) | playlists/s | what it is |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---|\n");
        for (EvaluationReport.MethodReport m : r.methods()) {
            md.append("| ").append(m.name()).append(" | ").append(m.kind().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(m.complete() ? "complete" : "**INCOMPLETE**").append(" | ").append(m.scored())
                    .append(" | ").append(m.failed()).append(" | ").append(num(m.seconds(), 1)).append(" | ")
                    .append(num(m.playlistsPerSecond(), 0)).append(" | ").append(escape(m.description()))
                    .append(details(m.details())).append(" |\n");
        }
        md.append('\n');

        md.append("## Overall\n\n");
        EvaluationReport.MethodReport oracle = r.oracle() == null ? null : r.method(r.oracle());
        header(md, r, HEADLINE, oracle != null);
        for (EvaluationReport.MethodReport m : r.methods()) {
            row(md, m.name(), HEADLINE, m.overall(), m.overallStderr(), oracle != null ? m.ratioToOracle() : null,
                    oracle == null ? null : oracle.overall());
        }
        md.append("\n± is one standard error of the mean over the playlists (per category: over that category's).\n");
        md.append('\n');

        md.append("## By list length (study 000 layout)\n\n");
        for (EvaluationReport.MethodReport m : r.methods()) {
            md.append("**").append(m.name()).append("**\n\n");
            md.append("| k | RP(artist) | RP(track) | NDCG(track) | NDCG(artist) |\n|---:|---:|---:|---:|---:|\n");
            for (int k : r.ks()) {
                md.append("| ").append(k);
                for (String col : List.of("rp_artist", "rp_track", "ndcg_track", "ndcg_artist")) {
                    md.append(" | ").append(num(m.overall().get(col + "@" + k), 4));
                }
                md.append(" |\n");
            }
            md.append('\n');
        }

        md.append("## By category\n\n");
        for (EvaluationReport.CategoryInfo c : r.categories()) {
            if (c.playlists() == 0) {
                continue;
            }
            md.append("### ").append(c.id()).append(". ").append(c.label()).append(" (").append(c.playlists())
                    .append(" playlists)\n\n");
            EvaluationReport.CategoryResult oc = oracle == null ? null : oracle.category(c.id());
            header(md, r, CATEGORY_COLUMNS, oc != null);
            for (EvaluationReport.MethodReport m : r.methods()) {
                EvaluationReport.CategoryResult cr = m.category(c.id());
                if (cr != null) {
                    row(md, m.name(), CATEGORY_COLUMNS, cr.metrics(), cr.stderr(),
                            oc != null ? cr.ratioToOracle() : null, oc == null ? null : oc.metrics());
                }
            }
            md.append('\n');
        }

        md.append(candidateRecall(r));
        md.append(research);

        if (!charts.isEmpty()) {
            md.append("## Charts\n\n");
            for (String chart : charts) {
                md.append("![").append(chart).append("](").append(chart).append(")\n\n");
            }
        }

        boolean anyFailed = r.methods().stream().anyMatch(m -> m.failed() > 0);
        if (anyFailed) {
            md.append("## Failed playlists\n\nFailed playlists are scored as empty lists (no credit, clicks 51) in "
                    + "every average above.\n\n");
            for (EvaluationReport.MethodReport m : r.methods()) {
                if (m.failed() == 0) {
                    continue;
                }
                md.append("**").append(m.name()).append("**: ").append(m.failed()).append(" of ")
                        .append(m.playlists()).append(" failed after ").append(m.attempts()).append(" attempt(s)\n\n");
                int shown = 0;
                for (EvaluationReport.Failure f : m.failures()) {
                    if (shown++ == LISTED_FAILURES) {
                        md.append("- … and ").append(m.failed() - LISTED_FAILURES).append(" more (see report.json)\n");
                        break;
                    }
                    md.append("- pid ").append(f.pid()).append(": ").append(escape(f.reason())).append('\n');
                }
                md.append('\n');
            }
        }

        md.append("## Notes\n\n");
        md.append("- Definitions: `" + METRICS_DOC + "` in the Segue repository (RecSys Challenge 2018). R-precision gives 0.25 artist credit once per "
                + "artist; NDCG (reference code) is the headline, NDCG (challenge rules) normalises by the hits "
                + "retrieved and flatters weak rankings; clicks = floor((rank of first hit − 1) / 10), 51 with no "
                + "hit (lower is better).\n");
        md.append("- RP(artist)@k = |A(R_1..min(|G|,k)) ∩ A(G)| / |A(G)|; NDCG(artist)@k credits each artist of "
                + "A(G) once, at its first rank.\n");
        for (EvaluationReport.MethodReport m : r.methods()) {
            if (m.recommendedPositions() > 0 && m.unknownArtistPositions() > 0) {
                md.append("- ").append(m.name()).append(": the artist of ")
                        .append(String.format(Locale.ROOT, "%.2f%%", 100.0 * m.unknownArtistPositions()
                                / m.recommendedPositions()))
                        .append(" of recommended positions is unknown (no artist credit there; give --mpd to "
                                + "resolve more).\n");
            }
            if (m.shortLists() > 0) {
                md.append("- ").append(m.name()).append(": ").append(m.shortLists())
                        .append(" list(s) were shorter than k = ").append(r.k()).append(".\n");
            }
        }
        return md.toString();
    }

    private static void header(StringBuilder md, EvaluationReport r, List<String> keys, boolean ratios) {
        md.append("| method");
        for (String k : keys) {
            md.append(" | ").append(label(r, k));
        }
        if (ratios) {
            for (String k : RATIO_COLUMNS) {
                md.append(" | ").append(shortLabel(k)).append(" ÷ oracle");
            }
            md.append(" | clicks − oracle");
        }
        md.append(" |\n|---");
        int cols = keys.size() + (ratios ? RATIO_COLUMNS.size() + 1 : 0);
        md.append("|---:".repeat(cols)).append("|\n");
    }

    private static void row(StringBuilder md, String name, List<String> keys, Map<String, Double> values,
                            Map<String, Double> stderr, Map<String, Double> ratios, Map<String, Double> oracle) {
        md.append("| ").append(name);
        for (String k : keys) {
            md.append(" | ").append(withError(values.get(k), stderr == null ? null : stderr.get(k),
                    "clicks".equals(k) ? 2 : 4));
        }
        if (oracle != null) {
            for (String k : RATIO_COLUMNS) {
                md.append(" | ").append(ratios == null ? "—" : num(ratios.get(k), 2));
            }
            md.append(" | ").append(clicksOverOracle(values, oracle));
        }
        md.append(" |\n");
    }

    /** {@code value ± standard error} (just the value when the error is unknown). */
    static String withError(Double value, Double stderr, int decimals) {
        return value == null || stderr == null ? num(value, decimals)
                : num(value, decimals) + " ± " + num(stderr, decimals);
    }

    /** The method's clicks minus the oracle's, signed ("+2.31"), or "—". */
    static String clicksOverOracle(Map<String, Double> values, Map<String, Double> oracle) {
        Double v = values.get("clicks");
        Double o = oracle == null ? null : oracle.get("clicks");
        return v == null || o == null ? "—" : String.format(Locale.ROOT, "%+.2f", v - o);
    }

    static String label(EvaluationReport r, String key) {
        EvaluationReport.MetricInfo m = r.metric(key);
        return m == null ? key : m.label();
    }

    static String shortLabel(String key) {
        return switch (key) {
            case "r_precision" -> "R-prec";
            case "ndcg" -> "NDCG";
            case "clicks" -> "clicks";
            default -> key;
        };
    }

    static String num(Double v, int decimals) {
        return v == null ? "—" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String details(Map<String, String> details) {
        if (details == null || details.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder(" (");
        boolean first = true;
        for (Map.Entry<String, String> e : details.entrySet()) {
            s.append(first ? "" : ", ").append(e.getKey()).append(' ').append(escape(e.getValue()));
            first = false;
        }
        return s.append(')').toString();
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
