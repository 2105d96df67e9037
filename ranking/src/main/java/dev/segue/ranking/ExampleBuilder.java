package dev.segue.ranking;

import java.util.HashSet;
import java.util.Set;

/**
 * Training examples of one playlist, in process: the caller splits a training playlist into seeds and a held-out
 * tail (never challenge truth), supplies its WRMF candidates for the seeds as the server would, and gets one
 * group: every candidate's feature row, labelled 1 when the candidate is a held-out track, else 0. The Beam
 * training pipeline calls it per playlist; it is stateless and thread-safe.
 */
public final class ExampleBuilder {
    /**
     * One playlist's examples.
     *
     * @param features  row-major, {@code labels.length × RankFeatures.count()}
     * @param labels    1 for held-out tracks among the candidates, else 0
     * @param heldOut   how many held-out tracks there were
     * @param recalled  how many of them are candidates (candidate recall = recalled / heldOut)
     * @param tracks    the candidates' track ids, row by row (first-stage order)
     */
    public record Group(float[] features, float[] labels, int heldOut, int recalled, int[] tracks) {
        public int size() {
            return labels.length;
        }

        /** True when the group can teach the ranker something (at least one positive and one negative). */
        public boolean useful() {
            return recalled > 0 && recalled < labels.length;
        }
    }

    private final CandidateGenerator generator;
    private final FactorAccess factors;

    public ExampleBuilder(CandidateGenerator generator, FactorAccess factors) {
        this.generator = generator;
        this.factors = factors;
    }

    /**
     * The group of one playlist.
     *
     * @param request  the seeds (the playlist's kept part), title and WRMF candidates for those seeds
     * @param heldOut  the held-out tracks ({@code track_id}s)
     */
    public Group build(RankRequest request, int[] heldOut) {
        Candidates c = generator.generate(request);
        float[] x = RankFeatures.compute(generator.data(), factors, request, c, generator.config().similaritySeeds());
        Set<Integer> held = new HashSet<>();
        for (int t : heldOut) {
            held.add(t);
        }
        float[] y = new float[c.size()];
        int recalled = 0;
        for (int i = 0; i < y.length; i++) {
            if (held.contains(c.track(i))) {
                y[i] = 1f;
                recalled++;
            }
        }
        return new Group(x, y, held.size(), recalled, java.util.Arrays.copyOf(c.tracks(), c.size()));
    }
}
