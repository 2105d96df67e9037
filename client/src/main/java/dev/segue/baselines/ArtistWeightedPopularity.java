package dev.segue.baselines;

import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdTrack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Study 000 model 3 (artist weighted): each seed artist gets {@code ceil(k · c_a / Σc)} of the k slots,
 * {@code c_a} being its number of seed tracks (the study's listing 1 weighting), filled with its most
 * popular tracks; artists with more seeds come first. The most popular tracks fill the rest. Unlike the
 * study, seeds are excluded, as the challenge requires.
 */
final class ArtistWeightedPopularity implements Recommender {
    private final TrainingData data;
    private final ThreadLocal<TrackPicker> pickers;

    ArtistWeightedPopularity(TrainingData data) {
        this.data = data;
        this.pickers = ThreadLocal.withInitial(() -> new TrackPicker(data));
    }

    @Override
    public String name() {
        return "artist-popularity";
    }

    @Override
    public String description() {
        return "popular tracks of the seed artists, slots weighted by seed count (study 000 model 3)";
    }

    @Override
    public List<String> recommend(ChallengePlaylist playlist, int k) {
        TrackPicker picker = pickers.get();
        picker.begin(playlist, k);
        Map<Integer, Integer> seedsPerArtist = new HashMap<>();
        int total = 0;
        for (MpdTrack t : playlist.tracks()) {
            int a = data.artistId(t.artistUri());
            if (a >= 0) {
                seedsPerArtist.merge(a, 1, Integer::sum);
                total++;
            }
        }
        List<Map.Entry<Integer, Integer>> artists = new ArrayList<>(seedsPerArtist.entrySet());
        artists.sort((x, y) -> {
            int c = Integer.compare(y.getValue(), x.getValue());
            return c != 0 ? c : Long.compare(data.artistOccurrences(y.getKey()), data.artistOccurrences(x.getKey()));
        });
        int[] tracks = data.artistTracks();
        for (Map.Entry<Integer, Integer> e : artists) {
            if (picker.full()) {
                break;
            }
            int slots = (int) Math.ceil((double) k * e.getValue() / total);
            int artist = e.getKey();
            int before = picker.size();
            for (int i = data.artistTracksStart(artist); i < data.artistTracksEnd(artist)
                    && picker.size() - before < slots && !picker.full(); i++) {
                picker.offer(tracks[i]);
            }
        }
        picker.fillPopular();
        return picker.uris();
    }
}
