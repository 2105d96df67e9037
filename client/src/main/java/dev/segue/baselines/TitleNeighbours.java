package dev.segue.baselines;

import dev.segue.util.IntList;
import dev.segue.format.ChallengePlaylist;
import dev.segue.titles.TitleVectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Study 000 model 1 with Segue's own title embeddings instead of GloVe: the challenge title's vector
 * ({@link TitleVectors}: exact normalised title, else mean of known tokens) is compared by cosine with
 * the vectors of every normalised title of the training playlists; the {@code n} nearest titles with a
 * positive similarity each contribute {@code ceil(k · sim / Σsim)} tracks (the study's listing 1), their
 * playlists' most frequent tracks first. Playlists sharing a normalised title share its vector, so they
 * are pooled per title. No title, or an unknown one, gets the popular list.
 */
final class TitleNeighbours implements Recommender {
    static final int NEIGHBOURS = 10;
    private final TrainingData data;
    private final TitleVectors vectors;
    private final int d;
    private final int[] titleIds;
    private final float[] unit;
    private final ThreadLocal<TrackPicker> pickers;
    private final ConcurrentHashMap<Integer, int[]> tracksByTitle = new ConcurrentHashMap<>();

    TitleNeighbours(TrainingData data, TitleVectors vectors) {
        this.data = data;
        this.vectors = vectors;
        this.d = vectors.dimension();
        IntList ids = new IntList(data.titleCount());
        float[] packed = new float[data.titleCount() * d];
        for (int t = 0; t < data.titleCount(); t++) {
            float[] v = vectors.vector(data.title(t));
            if (v == null || !normalise(v)) {
                continue;
            }
            System.arraycopy(v, 0, packed, ids.size() * d, d);
            ids.add(t);
        }
        this.titleIds = ids.toArray();
        this.unit = Arrays.copyOf(packed, titleIds.length * d);
        this.pickers = ThreadLocal.withInitial(() -> new TrackPicker(data));
    }

    @Override
    public String name() {
        return "title-knn";
    }

    @Override
    public String description() {
        return "tracks of the " + NEIGHBOURS + " training titles nearest by title-embedding cosine, weighted by "
                + "similarity (study 000 model 1)";
    }

    /** Training titles with a known vector. */
    int knownTitles() {
        return titleIds.length;
    }

    @Override
    public List<String> recommend(ChallengePlaylist playlist, int k) {
        TrackPicker picker = pickers.get();
        picker.begin(playlist, k);
        float[] q = playlist.name() == null ? null : vectors.vector(playlist.name());
        if (q != null && normalise(q)) {
            int[] best = new int[NEIGHBOURS];
            float[] sims = new float[NEIGHBOURS];
            int found = nearest(q, best, sims);
            double total = 0;
            for (int i = 0; i < found; i++) {
                total += sims[i];
            }
            for (int i = 0; i < found && !picker.full(); i++) {
                int slots = (int) Math.ceil(k * sims[i] / total);
                int[] ranked = tracksByTitle.computeIfAbsent(titleIds[best[i]], this::rankTracks);
                int before = picker.size();
                for (int j = 0; j < ranked.length && picker.size() - before < slots && !picker.full(); j++) {
                    picker.offer(ranked[j]);
                }
            }
        }
        picker.fillPopular();
        return picker.uris();
    }

    /** The top titles by cosine (positive only), best first; returns how many. */
    private int nearest(float[] q, int[] best, float[] sims) {
        int found = 0;
        for (int t = 0; t < titleIds.length; t++) {
            float s = 0;
            int off = t * d;
            for (int a = 0; a < d; a++) {
                s += q[a] * unit[off + a];
            }
            if (s <= 0 || (found == best.length && s <= sims[found - 1])) {
                continue;
            }
            int pos = found == best.length ? found - 1 : found++;
            while (pos > 0 && sims[pos - 1] < s) {
                sims[pos] = sims[pos - 1];
                best[pos] = best[pos - 1];
                pos--;
            }
            sims[pos] = s;
            best[pos] = t;
        }
        return found;
    }

    /** Tracks of the title's playlists by how many of them hold the track (then by popularity). */
    private int[] rankTracks(int title) {
        int[] playlists = data.titlePlaylists();
        int[] tracks = data.playlistTracks();
        java.util.HashMap<Integer, int[]> counts = new java.util.HashMap<>();
        for (int i = data.titlePlaylistsStart(title); i < data.titlePlaylistsEnd(title); i++) {
            int p = playlists[i];
            for (int j = data.playlistStart(p); j < data.playlistEnd(p); j++) {
                counts.computeIfAbsent(tracks[j], x -> new int[1])[0]++;
            }
        }
        List<int[]> entries = new ArrayList<>(counts.size());
        counts.forEach((track, c) -> entries.add(new int[] {track, c[0]}));
        entries.sort((x, y) -> x[1] != y[1] ? Integer.compare(y[1], x[1])
                : Integer.compare(data.popularityRank(x[0]), data.popularityRank(y[0])));
        int[] out = new int[entries.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = entries.get(i)[0];
        }
        return out;
    }

    private static boolean normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        if (norm == 0 || Double.isNaN(norm)) {
            return false;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return true;
    }
}
