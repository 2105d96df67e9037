package dev.segue.format;

import java.util.List;

/** One playlist of a challenge set: its seed tracks, with {@code name} {@code null} when no title is given. */
public record ChallengePlaylist(long pid, String name, int numHoldouts, int numSamples, int numTracks,
                                List<MpdTrack> tracks) {
    public ChallengePlaylist {
        tracks = List.copyOf(tracks);
    }

    public ChallengeCategory category() {
        return ChallengeCategory.of(this);
    }
}
