package dev.segue.baselines;

import dev.segue.util.IntList;
import dev.segue.format.ChallengePlaylist;
import java.util.Arrays;
import java.util.List;

/**
 * Study 000 baseline 1: the training playlists most similar to the seeds by Jaccard similarity of their track
 * sets, |S ∩ P| / |S ∪ P|; their tracks are taken playlist by playlist (most similar first, each in its own
 * order) until k, then the most popular tracks fill the rest. A playlist without known seeds gets the
 * popular list.
 */
final class SimilarPlaylist implements Recommender {
    private final TrainingData data;
    private final ThreadLocal<TrackPicker> pickers;
    private final ThreadLocal<int[]> overlaps;

    SimilarPlaylist(TrainingData data) {
        this.data = data;
        this.pickers = ThreadLocal.withInitial(() -> new TrackPicker(data));
        this.overlaps = ThreadLocal.withInitial(() -> new int[data.playlistCount()]);
    }

    @Override
    public String name() {
        return "similar-playlist";
    }

    @Override
    public String description() {
        return "tracks of the training playlists most similar by Jaccard over seed tracks (study 000 baseline 1)";
    }

    @Override
    public List<String> recommend(ChallengePlaylist playlist, int k) {
        TrackPicker picker = pickers.get();
        int[] seeds = picker.begin(playlist, k);
        if (seeds.length > 0) {
            int[] overlap = overlaps.get();
            IntList touched = new IntList(256);
            int[] postings = data.postings();
            for (int s : seeds) {
                for (int i = data.postingStart(s); i < data.postingEnd(s); i++) {
                    int p = postings[i];
                    if (overlap[p]++ == 0) {
                        touched.add(p);
                    }
                }
            }
            int n = touched.size();
            long[] keyed = new long[n];
            for (int i = 0; i < n; i++) {
                int p = touched.get(i);
                int inter = overlap[p];
                overlap[p] = 0;
                int union = seeds.length + (data.playlistEnd(p) - data.playlistStart(p)) - inter;
                float jaccard = (float) inter / union;
                // sort key: similarity descending, then playlist index ascending
                keyed[i] = ((long) Float.floatToIntBits(1f - jaccard) << 32) | p;
            }
            Arrays.sort(keyed);
            int[] tracks = data.playlistTracks();
            for (int i = 0; i < n && !picker.full(); i++) {
                int p = (int) keyed[i];
                for (int j = data.playlistStart(p); j < data.playlistEnd(p) && !picker.full(); j++) {
                    picker.offer(tracks[j]);
                }
            }
        }
        picker.fillPopular();
        return picker.uris();
    }
}
