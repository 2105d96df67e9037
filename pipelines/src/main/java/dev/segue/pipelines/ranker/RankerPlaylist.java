package dev.segue.pipelines.ranker;

import java.io.Serializable;

/** One training playlist kept for the ranker: its pid, title and track fingerprints in playlist order. */
record RankerPlaylist(long pid, String title, long[] trackHashes) implements Serializable {
    private static final long serialVersionUID = 1L;
}
