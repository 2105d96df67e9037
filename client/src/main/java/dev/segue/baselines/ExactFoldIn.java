package dev.segue.baselines;

import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.ranking.ExactWrmf;
import dev.segue.store.FeatureStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code als-exact}: what the server approximates, computed exactly by the ranking module's {@link ExactWrmf}
 * (fold-in, title blend, exact scan scored and ranked as the server's exact scan, title-only re-rank, popularity
 * without evidence) — the one implementation shared with the two-stage methods and the ranker's training.
 */
final class ExactFoldIn implements Recommender {
    static final String FACTORS = ExactWrmf.FACTORS;
    static final String TITLES = ExactWrmf.TITLES;
    static final String TITLE_TRACKS = ExactWrmf.TITLE_TRACKS;
    static final double DEFAULT_TITLE_PRIOR_SEEDS = ExactWrmf.DEFAULT_TITLE_PRIOR_SEEDS;

    private final ExactWrmf wrmf;

    ExactFoldIn(FeatureStore store, double titlePriorSeeds) {
        this(load(store, titlePriorSeeds));
    }

    ExactFoldIn(ExactWrmf wrmf) {
        this.wrmf = wrmf;
    }

    static ExactWrmf load(FeatureStore store, double titlePriorSeeds) {
        if (store.versions(FACTORS).isEmpty()) {
            throw new BaselineInputs.MissingInputException("als-exact needs the " + FACTORS + " feature set, but "
                    + store.location() + " has none (run the continuation pipeline first)");
        }
        return new ExactWrmf(store, titlePriorSeeds);
    }

    /** The seeds of a challenge playlist as URIs, in order. */
    static List<String> seedUris(ChallengePlaylist playlist) {
        List<String> out = new ArrayList<>(playlist.tracks().size());
        for (MpdTrack t : playlist.tracks()) {
            out.add(t.trackUri());
        }
        return out;
    }

    String factorsVersion() {
        return wrmf.factorsVersion();
    }

    String titlesVersion() {
        return wrmf.titlesVersion();
    }

    static Map<String, String> details(ExactWrmf wrmf) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(FACTORS, wrmf.factorsVersion());
        d.put(TITLES, wrmf.titlesVersion() == null ? "none" : wrmf.titlesVersion());
        d.put("title_prior_seeds", Double.toString(wrmf.titlePriorSeeds()));
        d.put(TITLE_TRACKS, wrmf.titleTracksVersion() == null ? "none" : wrmf.titleTracksVersion());
        return d;
    }

    @Override
    public Map<String, String> details() {
        return details(wrmf);
    }

    @Override
    public String name() {
        return "als-exact";
    }

    @Override
    public String description() {
        return "exact ALS fold-in + title blend + exact inner-product scan over " + FACTORS + " "
                + wrmf.factorsVersion() + " (what the server approximates)";
    }

    @Override
    public List<String> recommend(ChallengePlaylist playlist, int k) {
        return wrmf.recommend(seedUris(playlist), playlist.name(), k);
    }

    int[] topK(float[] q, int k, int[] mark, int stamp) {
        return wrmf.topK(q, k, mark, stamp);
    }

    float dot(float[] q, int row) {
        return wrmf.dot(q, row);
    }
}
