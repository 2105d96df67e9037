package dev.segue.churn;

import java.util.Locale;
import java.util.Map;

/**
 * What one run did: {@code status} ok or failed (with the one-line {@code error}), every counter (lines, events,
 * dead letters by reason, cleaning rules per snapshot, rows; after a failure only the dead letters by reason).
 */
public record ChurnRunReport(String status, String error, String logs, String store, String reportDir, double seconds, Map<String, Long> counters,
                             Object cleaning) {

    public long events() {
        return counters.getOrDefault("events.P", 0L) + counters.getOrDefault("events.D", 0L)
                + counters.getOrDefault("events.S", 0L);
    }

    public long deadLetters() {
        return counters.entrySet().stream().filter(e -> e.getKey().startsWith("deadletter."))
                .mapToLong(Map.Entry::getValue).sum();
    }

    public double eventsPerSecond() {
        return seconds > 0 ? events() / seconds : 0;
    }

    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "churn: %d lines, %d events, %d dead letters in %.1f s (%.0f events/s)%n",
                counters.getOrDefault("lines.read", 0L), events(), deadLetters(), seconds, eventsPerSecond()));
        counters.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-55s %,d%n", k, v)));
        b.append("report: ").append(reportDir).append("/report.json, dead letters: ").append(reportDir)
                .append("/dead-letters.csv");
        return b.toString();
    }
}
