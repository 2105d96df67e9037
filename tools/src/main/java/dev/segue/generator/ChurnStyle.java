package dev.segue.generator;

import java.util.Locale;

/**
 * How listeners leave in the generated logs. {@link #ABRUPT}: churners fade over a few days and stop anywhere
 * in the feature window, active listeners play every few days, so "days since the last play" nearly decides
 * the label. {@link #GRADUAL}: churners' activity decays over weeks and they stop close to the label window,
 * while many active listeners pause for days (across the feature window's end) or slow down, as in study 003.
 */
public enum ChurnStyle {
    ABRUPT, GRADUAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The style named {@code label} (case-insensitive). */
    public static ChurnStyle parse(String label) {
        for (ChurnStyle s : values()) {
            if (s.label().equalsIgnoreCase(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown churn style '" + label + "' (choose abrupt or gradual)");
    }
}
