package dev.segue.baselines;

import dev.segue.format.ChallengePlaylist;
import java.util.List;

/** The most popular training tracks (by occurrences), seeds excluded: the challenge's own baseline. */
final class PopularTracks implements Recommender {
    private final TrainingData data;
    private final ThreadLocal<TrackPicker> pickers;

    PopularTracks(TrainingData data) {
        this.data = data;
        this.pickers = ThreadLocal.withInitial(() -> new TrackPicker(data));
    }

    @Override
    public String name() {
        return "popular";
    }

    @Override
    public String description() {
        return "most popular training tracks (occurrences), seeds excluded";
    }

    @Override
    public List<String> recommend(ChallengePlaylist playlist, int k) {
        TrackPicker picker = pickers.get();
        picker.begin(playlist, k);
        picker.fillPopular();
        return picker.uris();
    }
}
