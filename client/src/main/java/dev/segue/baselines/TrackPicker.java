package dev.segue.baselines;

import dev.segue.util.IntList;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdTrack;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects up to k distinct training tracks, never a seed: the shared tail of every baseline. One per thread
 * (marks are stamped, so starting a new list costs nothing).
 */
final class TrackPicker {
    private final TrainingData data;
    private final int[] mark;
    private int stamp;
    private int[] picked = new int[512];
    private int size;
    private int k;

    TrackPicker(TrainingData data) {
        this.data = data;
        this.mark = new int[data.trackCount()];
    }

    /** Starts a list of {@code k} for {@code playlist}; returns the distinct known seed ids. */
    int[] begin(ChallengePlaylist playlist, int k) {
        this.k = k;
        this.size = 0;
        if (picked.length < k) {
            picked = new int[k];
        }
        if (++stamp == Integer.MAX_VALUE) {
            java.util.Arrays.fill(mark, 0);
            stamp = 1;
        }
        IntList seeds = new IntList(playlist.tracks().size());
        for (MpdTrack t : playlist.tracks()) {
            int id = data.trackId(t.trackUri());
            if (id >= 0 && mark[id] != stamp) {
                mark[id] = stamp;
                seeds.add(id);
            }
        }
        return seeds.toArray();
    }

    /** Adds the track unless it is a seed or already picked; false once the list is full. */
    boolean offer(int track) {
        if (size >= k) {
            return false;
        }
        if (mark[track] != stamp) {
            mark[track] = stamp;
            picked[size++] = track;
        }
        return size < k;
    }

    boolean full() {
        return size >= k;
    }

    int size() {
        return size;
    }

    /** Tops the list up with the most popular tracks. */
    void fillPopular() {
        int[] order = data.popularity();
        for (int i = 0; i < order.length && size < k; i++) {
            offer(order[i]);
        }
    }

    List<String> uris() {
        List<String> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(data.trackUri(picked[i]));
        }
        return out;
    }
}
