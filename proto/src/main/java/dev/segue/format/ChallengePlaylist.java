package dev.segue.format;

import java.util.List;

/** One playlist of a challenge set: its seed tracks, with {@code name} {@code null} when no title is given. */
public record ChallengePlaylist(long pid, String name, int numHoldouts, int numSamples, int numTracks,
                                List<MpdTrack> tracks) {
    public ChallengePlaylist {
        tracks = List.copyOf(tracks);
    }

    /**
     * True when the seeds are the playlist's first tracks (positions 0..n-1, the "first n" categories); false when
     * they are a random sample of it (the "random" categories), whose order says nothing about what comes next.
     */
    public boolean seedsInOrder() {
        for (int i = 0; i < tracks.size(); i++) {
            if (tracks.get(i).pos() != i) {
                return false;
            }
        }
        return true;
    }

    public ChallengeCategory category() {
        return ChallengeCategory.of(this);
    }
}
