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
 * MPD's challenge-set construction: which playlist lengths each category takes (the bands the RecSys
 * Challenge 2018 set shows: title only 10-50 tracks; title + first 1, 10-78; title + first 5, 10-100; the
 * 5- and 10-seed categories 40-100; the 25-seed categories 101-250; the 100-seed categories 150-250) and
 * how a playlist is split into seeds and held-out tracks (the first N, or N at random, kept in order).
 */
public final class ChallengeRules {
    private ChallengeRules() {}

    public static int minLength(ChallengeCategory c) {
        return switch (c) {
            case TITLE_ONLY, TITLE_FIRST_1, TITLE_FIRST_5 -> 10;
            case FIRST_5_NO_TITLE, TITLE_FIRST_10, FIRST_10_NO_TITLE -> 40;
            case TITLE_FIRST_25, TITLE_RANDOM_25 -> 101;
            case TITLE_FIRST_100, TITLE_RANDOM_100 -> 150;
        };
    }

    public static int maxLength(ChallengeCategory c) {
        return switch (c) {
            case TITLE_ONLY -> 50;
            case TITLE_FIRST_1 -> 78;
            case TITLE_FIRST_5, FIRST_5_NO_TITLE, TITLE_FIRST_10, FIRST_10_NO_TITLE -> 100;
            default -> 250;
        };
    }

    public static boolean eligible(ChallengeCategory c, int numTracks) {
        return numTracks >= minLength(c) && numTracks <= maxLength(c);
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
