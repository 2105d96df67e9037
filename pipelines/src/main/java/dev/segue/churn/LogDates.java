package dev.segue.churn;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Log dates: {@code yyyy-MM-dd} (as in study 003's frames) or {@code yyyyMMdd} (the raw music-box file names),
 * held as epoch days. A window end date T is stamped in the store as the instant the window closes, the start
 * of day T+1 (UTC), so a point-in-time join at any instant sees only complete windows.
 */
public final class LogDates {
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private LogDates() {}

    /** Epoch day of a date, or throws DateTimeException naming the bad text. */
    public static int parse(CharSequence s) {
        int n = s.length();
        int y;
        int m;
        int d;
        if (n == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
            y = digits(s, 0, 4);
            m = digits(s, 5, 7);
            d = digits(s, 8, 10);
        } else if (n == 8) {
            y = digits(s, 0, 4);
            m = digits(s, 4, 6);
            d = digits(s, 6, 8);
        } else {
            throw new DateTimeException("not a date (yyyy-MM-dd or yyyyMMdd): '" + s + "'");
        }
        if (y < 0 || m < 0 || d < 0) {
            throw new DateTimeException("not a date (yyyy-MM-dd or yyyyMMdd): '" + s + "'");
        }
        try {
            return (int) LocalDate.of(y, m, d).toEpochDay();
        } catch (DateTimeException e) {
            throw new DateTimeException("not a valid date: '" + s + "'");
        }
    }

    private static int digits(CharSequence s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public static String format(int epochDay) {
        return LocalDate.ofEpochDay(epochDay).toString();
    }

    /** Microseconds (UTC) at the start of the given day. */
    public static long startMicros(int epochDay) {
        return epochDay * MICROS_PER_DAY;
    }

    /** The instant a window ending (inclusive) on {@code epochDay} closes: the start of the next day. */
    public static long closeMicros(int epochDay) {
        return startMicros(epochDay + 1);
    }

    /** Inverse of {@link #closeMicros}: the last day of a window that closed at {@code micros}. */
    public static int dayClosedAt(long micros) {
        return (int) Math.floorDiv(micros, MICROS_PER_DAY) - 1;
    }
}
