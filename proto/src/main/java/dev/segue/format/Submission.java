package dev.segue.format;

import java.util.List;

/** One playlist line of a challenge submission CSV: {@code pid, track_uri, track_uri, ...}. */
public record Submission(long line, long pid, List<String> trackUris) {
    public Submission {
        trackUris = List.copyOf(trackUris);
    }
}
