package dev.segue.eval.report;

import dev.segue.eval.BadInputException;
import dev.segue.eval.PlaylistScores;
import dev.segue.eval.stats.BordaRanking;
import dev.segue.eval.stats.PairedTest;
import dev.segue.format.ChallengeCategory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The research tables of the report and of {@code evaluate compare}: the challenge's Borda ranking of the methods and
 * paired significance tests between methods on the same playlists (definitions: docs/METRICS.md).
 */
public final class ResearchTables {
    /** The metrics the paired tests cover: the challenge's three. */
    public static final List<String> TESTED = List.copyOf(BordaRanking.CHALLENGE_METRICS.keySet());

    private ResearchTables() {}

    /** The Borda ranking of these methods' overall means (name → report method). */
    public static List<BordaRanking.Row> borda(Map<String, EvaluationReport.MethodReport> methods) {
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        methods.forEach((name, m) -> values.put(name, m.overall()));
        return BordaRanking.rank(values, BordaRanking.CHALLENGE_METRICS);
    }

    public static String bordaMarkdown(List<BordaRanking.Row> rows, String note) {
        StringBuilder md = new StringBuilder("## Borda ranking (RecSys Challenge 2018)\n\n");
        md.append(note).append("\n\n");
        md.append("| place | method | R-precision points | NDCG points | clicks points | total |\n");
        md.append("|---:|---|---:|---:|---:|---:|\n");
        for (BordaRanking.Row r : rows) {
            md.append("| ").append(r.place()).append(" | ").append(r.method());
            for (String k : BordaRanking.CHALLENGE_METRICS.keySet()) {
                md.append(" | ").append(r.points().get(k));
            }
            md.append(" | **").append(r.total()).append("** |\n");
        }
        return md.append('\n').toString();
    }

    /**
     * {@code b} reordered to {@code a}'s playlists; refused, naming the difference, unless both scored exactly the
     * same playlists in the same categories.
     */
    public static PlaylistScores align(String labelA, PlaylistScores a, String labelB, PlaylistScores b) {
        Map<Long, Integer> atB = new HashMap<>();
        for (int i = 0; i < b.size(); i++) {
            atB.put(b.pids()[i], i);
        }
        List<Long> onlyA = new ArrayList<>();
        int[] order = new int[a.size()];
        for (int i = 0; i < a.size(); i++) {
            Integer j = atB.remove(a.pids()[i]);
            if (j == null) {
                onlyA.add(a.pids()[i]);
            } else {
                order[i] = j;
                if (a.categories()[i] != b.categories()[j]) {
                    throw new BadInputException(labelA + " and " + labelB + " put playlist " + a.pids()[i]
                            + " in different categories (" + a.categories()[i] + " and " + b.categories()[j]
                            + "): not the same challenge");
                }
            }
        }
        if (!onlyA.isEmpty() || !atB.isEmpty()) {
            List<Long> onlyB = new ArrayList<>(atB.keySet());
            onlyB.sort(null);
            throw new BadInputException(labelA + " and " + labelB + " were not scored on the same playlists: "
                    + onlyA.size() + " only in " + labelA + examples(onlyA) + ", " + onlyB.size() + " only in "
                    + labelB + examples(onlyB) + "; a paired test needs the same challenge");
        }
        double[][] values = new double[b.keys().size()][a.size()];
        boolean[] answered = new boolean[a.size()];
        for (int i = 0; i < a.size(); i++) {
            answered[i] = b.answered()[order[i]];
            for (int k = 0; k < values.length; k++) {
                values[k][i] = b.values()[k][order[i]];
            }
        }
        return new PlaylistScores(b.method(), a.pids(), a.categories(), answered, b.keys(), values);
    }

    private static String examples(List<Long> pids) {
        if (pids.isEmpty()) {
            return "";
        }
        List<Long> shown = pids.subList(0, Math.min(5, pids.size()));
        return " (pid " + shown.toString().replace("[", "").replace("]", "") + (pids.size() > 5 ? ", …" : "") + ")";
    }

    /** Paired tests of every pair (first against second, in the given order), overall, on the tested metrics. */
    public static String allPairsMarkdown(Map<String, PlaylistScores> scores, int resamples, long seed) {
        StringBuilder md = new StringBuilder("## Paired significance tests\n\n");
        md.append(explanation(resamples, seed)).append("\n\n");
        header(md, "A vs B");
        List<String> names = new ArrayList<>(scores.keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                PlaylistScores a = scores.get(names.get(i));
                PlaylistScores b = align(names.get(i), a, names.get(j), scores.get(names.get(j)));
                for (String key : TESTED) {
                    rows(md, names.get(i) + " vs " + names.get(j), key, a, b, null, resamples, seed);
                }
            }
        }
        return md.append('\n').toString();
    }

    /** One pair in detail: overall and per category, on the tested metrics. */
    public static String pairMarkdown(String nameA, PlaylistScores a, String nameB, PlaylistScores b, int resamples,
                                      long seed) {
        PlaylistScores bb = align(nameA, a, nameB, b);
        StringBuilder md = new StringBuilder("## Paired significance test: " + nameA + " vs " + nameB + "\n\n");
        md.append(explanation(resamples, seed)).append("\n\n");
        header(md, "category");
        rows(md, "overall", null, a, bb, null, resamples, seed);
        for (ChallengeCategory c : ChallengeCategory.values()) {
            rows(md, c.id() + ". " + c.label(), null, a, bb, c.id(), resamples, seed);
        }
        return md.append('\n').toString();
    }

    private static String explanation(int resamples, long seed) {
        return "Per-playlist differences A − B on the same playlists: mean ± standard error, paired t with its "
                + "two-sided p (Student's t, n − 1 degrees of freedom) and a two-sided sign-flip permutation p ("
                + resamples + " resamples, seed " + seed + "). For clicks lower is better, so a negative difference "
                + "favours A.";
    }

    private static void header(StringBuilder md, String first) {
        md.append("| ").append(first).append(" | metric | n | mean A | mean B | A − B ± se | t | p (t) | p (sign-flip) |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    }

    /** One row per tested metric ({@code onlyKey} null) or one row, over all playlists or one category's. */
    private static void rows(StringBuilder md, String label, String onlyKey, PlaylistScores a, PlaylistScores b,
                             Integer category, int resamples, long seed) {
        for (String key : onlyKey == null ? TESTED : List.of(onlyKey)) {
            double[] x = a.column(key);
            double[] y = b.column(key);
            if (x == null || y == null) {
                throw new BadInputException("no per-playlist " + key + " for " + (x == null ? a.method() : b.method()));
            }
            if (category != null) {
                x = select(x, a.categories(), category);
                y = select(y, a.categories(), category);
                if (x.length == 0) {
                    return;
                }
            }
            PairedTest.Result r = PairedTest.of(x, y, resamples, seed);
            int d = "clicks".equals(key) ? 2 : 4;
            md.append("| ").append(label).append(" | ").append(key).append(" | ").append(r.n())
                    .append(" | ").append(num(r.meanA(), d)).append(" | ").append(num(r.meanB(), d))
                    .append(" | ").append(signed(r.meanDifference(), d)).append(" ± ").append(num(r.stderr(), d))
                    .append(" | ").append(num(r.t(), 2)).append(" | ").append(p(r.pT()))
                    .append(" | ").append(p(r.pSignFlip())).append(" |\n");
        }
    }

    private static double[] select(double[] v, int[] categories, int category) {
        int n = 0;
        for (int c : categories) {
            n += c == category ? 1 : 0;
        }
        double[] out = new double[n];
        for (int i = 0, k = 0; i < v.length; i++) {
            if (categories[i] == category) {
                out[k++] = v[i];
            }
        }
        return out;
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "—" : Double.isInfinite(v) ? (v > 0 ? "∞" : "−∞")
                : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String signed(double v, int decimals) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%+." + decimals + "f", v);
    }

    /** A p-value: 4 decimals, or "< 0.0001". */
    static String p(double p) {
        return Double.isNaN(p) ? "—" : p < 1e-4 ? "< 0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }
}
