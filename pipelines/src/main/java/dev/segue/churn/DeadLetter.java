package dev.segue.churn;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An input line the pipeline could not use, with where it came from and why. Written as one CSV line
 * {@code file,line,reason,detail,raw}; every dead letter is also counted under {@code deadletter.<reason>}.
 */
public record DeadLetter(String file, long line, Reason reason, String detail, String raw) implements Serializable {

    public enum Reason {
        /** Wrong number of fields, broken quoting, empty line. */
        MALFORMED_LINE,
        /** A numeric field that does not parse as a finite number. */
        BAD_NUMBER,
        /** A date that is not yyyy-MM-dd / yyyyMMdd or not a calendar date. */
        BAD_DATE,
        /** A field that must be present (uid, date) is empty. */
        MISSING_FIELD,
        /**
         * A value outside its physical bounds ({@link Plausibility}): a song or play longer than a day, a log
         * date before 2000 or after 2099, an audio feature out of its range. Checked before any statistic.
         */
        IMPLAUSIBLE,
        /** A valid date that falls in no feature or label window of any snapshot. */
        OUTSIDE_WINDOWS,
        /**
         * A valid date after the last label window of a plan derived from the logs (no --snapshots): a stray
         * late date that did not hold enough lines to be taken as the end of the logs.
         */
        AFTER_LAST_WINDOW,
        /** A key (e.g. a track Id) seen on an earlier line; the first occurrence is kept. */
        DUPLICATE_KEY;

        public String counterName() {
            return "deadletter." + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final String HEADER = "file,line,reason,detail,raw";

    /** Dead letters by reason, as counters {@code deadletter.<reason>}, read back from a dead-letter file. */
    public static Map<String, Long> countByReason(Path file) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        CsvFields f = new CsvFields(6);
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines.skip(1)::iterator) {
                if (f.split(line) == 5) {
                    out.merge(Reason.valueOf(f.text(2)).counterName(), 1L, Long::sum);
                }
            }
        }
        return out;
    }

    public String toCsv() {
        return CsvFields.quote(file) + ',' + line + ',' + reason + ',' + CsvFields.quote(detail) + ','
                + CsvFields.quote(raw);
    }
}
