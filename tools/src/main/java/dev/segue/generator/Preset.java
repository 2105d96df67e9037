package dev.segue.generator;

import java.util.Locale;

/** Named world sizes: {@code tiny} for tests and CI smoke runs up to {@code mpd}, the size of the real MPD. */
public enum Preset {
    TINY(2_000),
    SMALL(10_000),
    MEDIUM(100_000),
    MPD(1_000_000);

    private final int playlists;

    Preset(int playlists) {
        this.playlists = playlists;
    }

    public int playlists() {
        return playlists;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
