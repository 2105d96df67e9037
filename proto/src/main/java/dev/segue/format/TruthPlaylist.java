package dev.segue.format;

import java.util.List;

/** The held-out tracks of one challenge playlist, with its category id (1-10, 0 when unknown). */
public record TruthPlaylist(long pid, int category, List<MpdTrack> holdouts) {
    public TruthPlaylist {
        holdouts = List.copyOf(holdouts);
    }
}
