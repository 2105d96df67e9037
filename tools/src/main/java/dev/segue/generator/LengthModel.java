package dev.segue.generator;

import java.util.SplittableRandom;

/**
 * Playlist lengths: a log-normal truncated to MPD's 5..250 tracks, tuned so the mean is about 66 and the
 * median about 49 (MPD: 66.3 and 49).
 */
public final class LengthModel {
    public static final int MIN = 5;
    public static final int MAX = 250;
    private static final double MEDIAN = 53;
    private static final double SIGMA = 1.0;

    private LengthModel() {}

    public static int draw(SplittableRandom r) {
        return draw(r, MIN, MAX);
    }

    /** A length conditioned on {@code [lo, hi]} (rejection; the challenge's length bands are all likely). */
    public static int draw(SplittableRandom r, int lo, int hi) {
        while (true) {
            long n = Math.round(Draw.lognormal(r, MEDIAN, SIGMA));
            if (n >= lo && n <= hi) {
                return (int) n;
            }
        }
    }
}
