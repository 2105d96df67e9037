package dev.segue.generator;

import java.util.Locale;

/**
 * How a world's playlists are made. {@link #THEME}: each playlist is drawn from one latent theme (genre mixture,
 * occasion, favourite artists), the same low-rank shape a factor model assumes. {@link #DRIFT}: each playlist
 * walks over related artists from its first ones ({@link ArtistWalk}), its tail leans on globally popular
 * tracks and its title is mostly generic, so later tracks wander away from the first.
 */
public enum WorldShape {
    THEME, DRIFT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The shape named {@code label} (case-insensitive). */
    public static WorldShape parse(String label) {
        for (WorldShape s : values()) {
            if (s.label().equalsIgnoreCase(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown playlist shape '" + label + "' (choose theme or drift)");
    }
}
