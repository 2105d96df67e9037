package dev.segue.baselines;

import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdTrack;
import java.util.List;

/**
 * Study 000 baseline 2: the tracks of the most popular artist — of the playlist's seed artists, the one with
 * the most training occurrences (the most popular artist overall when there are no seeds) — most popular
 * first, then the most popular tracks.
 */
final class PopularArtist implements Recommender {
    private final TrainingData data;
    private final ThreadLocal<TrackPicker> pickers;
    private final int topArtist;

    PopularArtist(TrainingData data) {
        this.data = data;
        this.pickers = ThreadLocal.withInitial(() -> new TrackPicker(data));
        int best = -1;
        for (int a = 0; a < data.artistCount(); a++) {
            if (best < 0 || data.artistOccurrences(a) > data.artistOccurrences(best)) {
                best = a;
            }
        }
        this.topArtist = best;
    }

    @Override
    public String name() {
        return "popular-artist";
    }

    @Override
    public String description() {
        return "tracks of the most popular seed artist, then popular tracks (study 000 baseline 2)";
    }

    @Override
    public List<String> recommend(ChallengePlaylist playlist, int k) {
        TrackPicker picker = pickers.get();
        picker.begin(playlist, k);
        int artist = -1;
        for (MpdTrack t : playlist.tracks()) {
            int a = data.artistId(t.artistUri());
            if (a >= 0 && (artist < 0 || data.artistOccurrences(a) > data.artistOccurrences(artist))) {
                artist = a;
            }
        }
        if (artist < 0) {
            artist = topArtist;
        }
        if (artist >= 0) {
            int[] tracks = data.artistTracks();
            for (int i = data.artistTracksStart(artist); i < data.artistTracksEnd(artist) && !picker.full(); i++) {
                picker.offer(tracks[i]);
            }
        }
        picker.fillPopular();
        return picker.uris();
    }
}
