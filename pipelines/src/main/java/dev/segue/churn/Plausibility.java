package dev.segue.churn;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Physical bounds on input values, checked when a line is parsed — before any percentile, mean or date range
 * sees it — so that a flood of absurd values (a song of 10²⁰ seconds, a log dated 9999-12-31) cannot move the
 * cleaning thresholds, the standardisation or the default snapshot. A line that fails a bound is an
 * {@link DeadLetter.Reason#IMPLAUSIBLE} dead letter naming the column, the value and the bound.
 *
 * <p>Listening logs (study 003):
 * <ul>
 *   <li>{@code song_length} and {@code play_time} (seconds): at most {@link #MAX_SECONDS}, one day. No song or
 *       single play lasts longer. Zero and negative values are not bounded here: study 003 reads them as "invalid"
 *       markers and its cleaning replaces them by a mean ({@link CleaningRules}), so they never enter a
 *       percentile or a mean either;</li>
 *   <li>{@code date}: from {@link #FIRST_DATE} to {@link #LAST_DATE}. Streaming listening logs before 2000 or
 *       after 2099 are typos or sentinels (0001-01-01, 1970-01-01, 9999-12-31).</li>
 * </ul>
 * Audio features (study 004) have their bounds in {@code dev.segue.genre.AudioBounds}, as {@link Range}s.
 */
public final class Plausibility {
    /** One day, in seconds: the longest plausible song or play. */
    public static final double MAX_SECONDS = 86_400;
    public static final LocalDate FIRST_DATE = LocalDate.of(2000, 1, 1);
    public static final LocalDate LAST_DATE = LocalDate.of(2099, 12, 31);
    static final int FIRST_DAY = (int) FIRST_DATE.toEpochDay();
    static final int LAST_DAY = (int) LAST_DATE.toEpochDay();

    /** Log durations in seconds: negative and zero are study 003's invalid markers, handled by its cleaning. */
    public static final Range LOG_SECONDS = new Range(Double.NEGATIVE_INFINITY, true, MAX_SECONDS, "s (one day)");

    private Plausibility() {}

    /**
     * A closed or half-open interval of plausible values; {@code minInclusive} false makes the lower end open
     * (a tempo of 0 BPM is as implausible as a negative one). NaN (missing) is not judged here.
     */
    public record Range(double min, boolean minInclusive, double max, String unit) implements Serializable {
        public boolean contains(double v) {
            return Double.isNaN(v) || ((minInclusive ? v >= min : v > min) && v <= max);
        }

        /** Null when {@code v} is plausible, else one line naming column, value and bound. */
        public String check(String column, double v) {
            if (contains(v)) {
                return null;
            }
            String bound = v > max ? "above the plausible maximum " + number(max)
                    : (minInclusive ? "below the plausible minimum " : "not above the plausible minimum ") + number(min);
            return column + " " + number(v) + " is " + bound + " " + unit;
        }
    }

    /** Null when a log date (epoch day) is plausible, else why not. */
    public static String checkDate(int day) {
        if (day >= FIRST_DAY && day <= LAST_DAY) {
            return null;
        }
        return "date " + LogDates.format(day) + " is outside the plausible " + FIRST_DATE + ".." + LAST_DATE;
    }

    public static boolean plausibleDate(int day) {
        return day >= FIRST_DAY && day <= LAST_DAY;
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
