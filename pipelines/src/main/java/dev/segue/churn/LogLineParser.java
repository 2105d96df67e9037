package dev.segue.churn;

import java.time.DateTimeException;

/**
 * Parses the data lines of one log file into event fields, or says why a line is a dead letter. The checks,
 * in order: field count and quoting, uid present and an integer (as in study 003; written canonically, so
 * "007" and "7" are one user), date present and valid, play_time and song_length numeric
 * (missing spelled empty/nan/null/NA is allowed and kept as missing), date, play_time and song_length within
 * their physical bounds ({@link Plausibility}), date inside some window.
 */
public final class LogLineParser {
    private final LogLayout layout;
    private final WindowPlan plan;
    private final CsvFields fields;

    // the last parsed event
    String uid;
    String device;
    String songId;
    int day;
    double playTime;
    double songLength;
    /** Set when the date parsed (also for dead letters that failed later checks). */
    boolean dateValid;

    /** A reason and detail for a rejected line. */
    record Rejection(DeadLetter.Reason reason, String detail) {}

    public LogLineParser(LogLayout layout, WindowPlan plan) {
        this.layout = layout;
        this.plan = plan;
        this.fields = new CsvFields(layout.fields() + 1);
    }

    /** Parses a line; returns null when it is a usable event (fields above), else the rejection. */
    Rejection parse(String line) {
        dateValid = false;
        if (line.isBlank()) {
            return new Rejection(DeadLetter.Reason.MALFORMED_LINE, "empty line");
        }
        int n = fields.split(line);
        if (n < 0) {
            return new Rejection(DeadLetter.Reason.MALFORMED_LINE, fields.error());
        }
        if (n != layout.fields()) {
            return new Rejection(DeadLetter.Reason.MALFORMED_LINE,
                    n + " fields where the header has " + layout.fields());
        }
        if (fields.isMissing(layout.uid())) {
            return new Rejection(DeadLetter.Reason.MISSING_FIELD, "uid is empty");
        }
        long id;
        try {
            id = Long.parseLong(fields.text(layout.uid()));
        } catch (NumberFormatException e) {
            return new Rejection(DeadLetter.Reason.BAD_NUMBER, "uid is not an integer: '" + fields.text(layout.uid()) + "'");
        }
        if (fields.isMissing(layout.date())) {
            return new Rejection(DeadLetter.Reason.MISSING_FIELD, "date is empty");
        }
        try {
            day = LogDates.parse(fields.chars(layout.date()));
        } catch (DateTimeException e) {
            return new Rejection(DeadLetter.Reason.BAD_DATE, e.getMessage());
        }
        String implausible = Plausibility.checkDate(day);
        if (implausible != null) {
            return new Rejection(DeadLetter.Reason.IMPLAUSIBLE, implausible);
        }
        dateValid = true;
        playTime = Double.NaN;
        songLength = Double.NaN;
        if (layout.kind() == LogKind.PLAY) {
            try {
                playTime = fields.number(layout.playTime());
            } catch (NumberFormatException e) {
                return new Rejection(DeadLetter.Reason.BAD_NUMBER, "play_time: " + e.getMessage());
            }
            try {
                songLength = fields.number(layout.songLength());
            } catch (NumberFormatException e) {
                return new Rejection(DeadLetter.Reason.BAD_NUMBER, "song_length: " + e.getMessage());
            }
            implausible = Plausibility.LOG_SECONDS.check("play_time", playTime);
            if (implausible == null) {
                implausible = Plausibility.LOG_SECONDS.check("song_length", songLength);
            }
            if (implausible != null) {
                return new Rejection(DeadLetter.Reason.IMPLAUSIBLE, implausible);
            }
        }
        if (plan.size() == 0) {
            return new Rejection(DeadLetter.Reason.OUTSIDE_WINDOWS, "date " + LogDates.format(day)
                    + " is in no window (" + plan.derivation() + ")");
        }
        if (plan.derived() && day > plan.spanEnd()) {
            return new Rejection(DeadLetter.Reason.AFTER_LAST_WINDOW, "date " + LogDates.format(day)
                    + " is after the last window (" + plan.describe() + "; " + plan.derivation() + ")");
        }
        if (!plan.covers(day)) {
            return new Rejection(DeadLetter.Reason.OUTSIDE_WINDOWS, "date " + LogDates.format(day)
                    + " is in no window (" + plan.describe() + ")");
        }
        uid = Long.toString(id);
        device = fields.isMissing(layout.device()) ? null : fields.text(layout.device());
        songId = layout.songId() < 0 || fields.isMissing(layout.songId()) ? null : fields.text(layout.songId());
        return null;
    }

    public LogKind kind() {
        return layout.kind();
    }
}
