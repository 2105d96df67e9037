package dev.segue.format;

/** One track entry of an MPD playlist or challenge playlist, with the MPD field names in JSON. */
public record MpdTrack(
        int pos,
        String artistName,
        String trackUri,
        String artistUri,
        String trackName,
        String albumUri,
        long durationMs,
        String albumName) {

    /** The same track at another position (challenge builders renumber nothing, but generators do). */
    public MpdTrack withPos(int newPos) {
        return new MpdTrack(newPos, artistName, trackUri, artistUri, trackName, albumUri, durationMs, albumName);
    }
}
