package dev.segue.genre;

import dev.segue.churn.Plausibility;
import dev.segue.churn.Plausibility.Range;
import java.util.List;

/**
 * Physical bounds of study 004's audio features ({@link AudioLayout#NUMERIC} order), checked when a row is
 * parsed, before the fit pass's means, standard deviations, minima and maxima see it: a row outside them is an
 * {@code IMPLAUSIBLE} dead letter, so a few absurd values cannot stretch the z-scores or the min-max scaling of
 * every other track.
 * <ul>
 *   <li>{@code year} 1900–2100 (release year);</li>
 *   <li>{@code bpm} above 0, at most 500 (no tempo is zero or negative; the fastest music played is far
 *       below 500 beats a minute);</li>
 *   <li>{@code nrgy}, {@code dnce}, {@code live}, {@code val}, {@code acous}, {@code spch}, {@code pop}: 0–100
 *       (percentages);</li>
 *   <li>{@code dB} −100 to +10 (loudness relative to digital full scale is at most a few dB above 0; −100 dB is
 *       silence);</li>
 *   <li>{@code dur} above 0 s, at most one day ({@link Plausibility#MAX_SECONDS}), as for listening logs.</li>
 * </ul>
 */
public final class AudioBounds {
    private static final Range PERCENT = new Range(0, true, 100, "(a percentage)");

    /** One range per numeric column, in {@link AudioLayout#NUMERIC} order. */
    static final List<Range> RANGES = List.of(
            new Range(1900, true, 2100, "(release year)"),
            new Range(0, false, 500, "BPM"),
            PERCENT,
            PERCENT,
            new Range(-100, true, 10, "dB"),
            PERCENT,
            PERCENT,
            new Range(0, false, Plausibility.MAX_SECONDS, "s (one day)"),
            PERCENT,
            PERCENT,
            PERCENT);

    private AudioBounds() {}

    /** Null when value {@code v} of numeric column {@code k} is plausible, else one line saying why not. */
    static String check(int k, double v) {
        return RANGES.get(k).check(AudioLayout.NUMERIC.get(k), v);
    }
}
