package dev.segue.generator;

import dev.segue.format.ChallengeCategory;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.TruthPlaylist;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MPD's challenge-set construction: which playlist lengths each category takes (the bands of
 * {@link ChallengeCategory#minLength()}, shared with the ranker's training splits) and how a playlist is split
 * into seeds and held-out tracks (the first N, or N at random, kept in order).
 */
public final class ChallengeRules {
    private ChallengeRules() {}

    /** {@link ChallengeCategory#minLength()}: the one home of the length bands. */
    public static int minLength(ChallengeCategory c) {
        return c.minLength();
    }

    /** {@link ChallengeCategory#maxLength()}. */
    public static int maxLength(ChallengeCategory c) {
        return c.maxLength();
    }

    public static boolean eligible(ChallengeCategory c, int numTracks) {
        return c.inLengthBand(numTracks);
    }

    /** A challenge playlist and its truth, split the way {@code category} prescribes. */
    public record Split(ChallengePlaylist challenge, TruthPlaylist truth) {}

    public static Split split(MpdPlaylist p, ChallengeCategory category, SplittableRandom r) {
        List<MpdTrack> tracks = p.tracks();
        int n = tracks.size();
        int seeds = Math.min(category.seeds(), n);
        boolean[] seed = new boolean[n];
        if (category.random()) {
            // Partial Fisher-Yates over positions: a uniform sample of `seeds` positions.
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            for (int i = 0; i < seeds; i++) {
                int j = i + r.nextInt(n - i);
                int tmp = idx[i];
                idx[i] = idx[j];
                idx[j] = tmp;
                seed[idx[i]] = true;
            }
        } else {
            for (int i = 0; i < seeds; i++) {
                seed[i] = true;
            }
        }
        List<MpdTrack> seedTracks = new ArrayList<>(seeds);
        List<MpdTrack> holdouts = new ArrayList<>(n - seeds);
        for (int i = 0; i < n; i++) {
            (seed[i] ? seedTracks : holdouts).add(tracks.get(i));
        }
        ChallengePlaylist c = new ChallengePlaylist(p.pid(), category.hasTitle() ? p.name() : null,
                holdouts.size(), seedTracks.size(), n, seedTracks);
        return new Split(c, new TruthPlaylist(p.pid(), category.id(), holdouts));
    }
}
