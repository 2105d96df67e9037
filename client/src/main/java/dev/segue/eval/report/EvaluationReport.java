package dev.segue.eval.report;

import java.util.List;
import java.util.Map;

/**
 * The evaluation report as written to {@code report.json}: one challenge, one list length, several methods
 * (the server, baselines, submissions, the oracle), each with overall and per-category metric means and
 * their ratio to the oracle. Metric values are null where undefined.
 */
public record EvaluationReport(
        String format,
        String created,
        String challenge,
        String truth,
        int playlists,
        int k,
        List<Integer> ks,
        List<CategoryInfo> categories,
        List<MetricInfo> metrics,
        String oracle,
        List<MethodReport> methods) {

    public static final String FORMAT = "segue-evaluation-report/1";

    public record CategoryInfo(int id, String label, int playlists) {}

    public record MetricInfo(String key, String label, boolean higherIsBetter, int k) {}

    public record Failure(long pid, String reason) {}

    /** One category of one method: metric means, their standard errors (null in older reports), ratios. */
    public record CategoryResult(int id, String label, long playlists, Map<String, Double> metrics,
                                 Map<String, Double> stderr, Map<String, Double> ratioToOracle) {}

    /**
     * Candidate recall of a method with a candidate stage: the mean share of a playlist's held-out tracks inside the
     * candidate set it ranked, with its standard error, overall and per category (failed playlists count as 0).
     */
    public record CandidateRecall(Double mean, Double stderr, List<CategoryRecall> byCategory) {}

    public record CategoryRecall(int id, String label, long playlists, Double mean, Double stderr) {}

    /** {@code candidateRecall} is null for methods without a candidate stage and in older reports. */
    public record MethodReport(
            String name,
            String kind,
            String description,
            Map<String, String> details,
            boolean complete,
            int playlists,
            int scored,
            int failed,
            List<Failure> failures,
            int attempts,
            Double seconds,
            Double playlistsPerSecond,
            long recommendedPositions,
            long unknownArtistPositions,
            int shortLists,
            Map<String, Double> overall,
            Map<String, Double> overallStderr,
            Map<String, Double> ratioToOracle,
            List<CategoryResult> byCategory,
            CandidateRecall candidateRecall) {

        public MethodReport withRatios(Map<String, Double> overallRatio, List<CategoryResult> categories) {
            return new MethodReport(name, kind, description, details, complete, playlists, scored, failed, failures,
                    attempts, seconds, playlistsPerSecond, recommendedPositions, unknownArtistPositions, shortLists,
                    overall, overallStderr, overallRatio, categories, candidateRecall);
        }

        public MethodReport renamed(String newName) {
            return new MethodReport(newName, kind, description, details, complete, playlists, scored, failed,
                    failures, attempts, seconds, playlistsPerSecond, recommendedPositions, unknownArtistPositions,
                    shortLists, overall, overallStderr, ratioToOracle, byCategory, candidateRecall);
        }

        public CategoryResult category(int id) {
            for (CategoryResult c : byCategory) {
                if (c.id() == id) {
                    return c;
                }
            }
            return null;
        }
    }

    public MethodReport method(String name) {
        for (MethodReport m : methods) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    public MetricInfo metric(String key) {
        for (MetricInfo m : metrics) {
            if (m.key().equals(key)) {
                return m;
            }
        }
        return null;
    }
}
