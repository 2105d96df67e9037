package dev.segue.churn;

import java.io.Serializable;

/** First and last valid event date seen (epoch days); {@link #EMPTY} when none. */
public record DateRange(int first, int last) implements Serializable {
    public static final DateRange EMPTY = new DateRange(Integer.MAX_VALUE, Integer.MIN_VALUE);

    public boolean isEmpty() {
        return first > last;
    }

    public DateRange with(int day) {
        return new DateRange(Math.min(first, day), Math.max(last, day));
    }

    public static DateRange merge(Iterable<DateRange> ranges) {
        int f = Integer.MAX_VALUE;
        int l = Integer.MIN_VALUE;
        for (DateRange r : ranges) {
            f = Math.min(f, r.first);
            l = Math.max(l, r.last);
        }
        return new DateRange(f, l);
    }
}
