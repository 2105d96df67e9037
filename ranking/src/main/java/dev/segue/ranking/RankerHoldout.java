package dev.segue.ranking;

import dev.segue.format.ChallengeCategory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which training playlists teach the ranker, and how each is split into seeds and held-out tracks — deterministic
 * functions of the pid, shared by the continuation pipeline (which leaves the ranker playlists out of ALS, so the
 * first stage has never seen their held-out tracks) and the ranker pipeline (which uses exactly those playlists).
 */
public final class RankerHoldout {
    /** The continuation manifests' parameter recording the share of playlists left out for the ranker. */
    public static final String PARAMETER = "ranker_holdout";
    /**
     * The continuation manifests' parameter saying the ranker's playlists are left out of every count of the run
     * ({@code track_stats}' occurrences, playlists and mean position, {@code title_tracks}, {@code track_neighbours},
     * ALS): value {@link #LEFT_OUT}. Runs without it (before this parameter) counted them in {@code track_stats}.
     * The track ids and so {@code popularity_rank} still order every training playlist.
     */
    public static final String COUNTS_PARAMETER = "ranker_playlists";
    public static final String LEFT_OUT = "left_out";
    /** Default share of training playlists kept for the ranker. */
    public static final double DEFAULT_SHARE = 0.02;

    /** Default number of challenge shapes each ranker playlist is split into ({@link #splits}). */
    public static final int DEFAULT_SHAPES = 4;

    private RankerHoldout() {}

    /**
     * The {@code ranker_examples} key of a candidate: one group per (playlist, shape), rows in first-stage order —
     * {@code (pid · 16 + category id) · 2^16 + position}.
     */
    public static long exampleKey(long pid, ChallengeCategory category, int position) {
        return (((pid << 4) | category.id()) << 16) | position;
    }

    /** The group (playlist and shape) of an example key: the key without its position bits. */
    public static long exampleGroup(long key) {
        return key >>> 16;
    }

    /** True when playlist {@code pid} is one of the {@code share} of playlists kept for the ranker. */
    public static boolean isRankerPlaylist(long pid, double share) {
        return share > 0 && unit(mix(pid ^ 0x5EED_0F_5E_9E11L)) < share;
    }

    /** True when ranker playlist {@code pid} is in the validation part ({@code share} of them) of the fit. */
    public static boolean isValidation(long pid, double share) {
        return unit(mix(pid ^ 0x7A11_DA7EL)) < share;
    }

    /** @throws IllegalArgumentException a share outside [0, 0.5] */
    public static double checkShare(String option, double share) {
        if (!(share >= 0 && share <= 0.5)) {
            throw new IllegalArgumentException(option + " must be in [0, 0.5], got " + share);
        }
        return share;
    }

    /**
     * One split: the kept tracks (playlist order), the title the query carries (null for the no-title shapes) and
     * the held-out tracks (distinct, none a seed).
     */
    public record Split(ChallengeCategory category, List<String> seeds, String title, List<String> heldOut)
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The split of a playlist into one of the ten challenge shapes, picked by the pid among the shapes whose
     * challenge length band ({@link ChallengeCategory#inLengthBand}) holds the playlist and that leave at least one
     * track out (as the challenge: first {@code n} tracks, or {@code n} random ones kept in playlist order); null
     * when no shape fits. The first of {@link #splits}.
     */
    public static Split split(long pid, String title, List<String> tracks) {
        List<Split> all = splits(pid, title, tracks, 1);
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * Up to {@code shapes} splits of one playlist, each in a different challenge shape, so one held-out playlist
     * teaches the ranker several shapes. Only the shapes the challenge itself would cut from a playlist of this
     * length ({@link ChallengeCategory#inLengthBand}, e.g. the 25-seed shapes from 101–250 tracks): a 30-track
     * playlist cut after 25 seeds holds out 5 tracks next to its seeds, while a challenge playlist of that shape
     * holds out 76–225 tracks that drift far from them (where popularity predicts them best) — training on such
     * splits taught the ranker the wrong lesson for the long-seed shapes (2026-12-07 B section of
     * docs/benchmarks.md). Shapes also need a title (title only) and a track left out; playlists in no band (under
     * 10 tracks, over 250) give none. The shapes come in an order drawn from the pid — the first is always
     * {@link #split}'s — and all of them when {@code shapes} is at least their number. A random shape keeps its own
     * pid-and-shape-seeded sample. Deterministic in (pid, title, tracks).
     *
     * @throws IllegalArgumentException {@code shapes} &lt; 1
     */
    public static List<Split> splits(long pid, String title, List<String> tracks, int shapes) {
        if (shapes < 1) {
            throw new IllegalArgumentException("shapes per playlist must be at least 1, got " + shapes);
        }
        Set<String> distinct = new LinkedHashSet<>(tracks);
        List<ChallengeCategory> fit = new ArrayList<>();
        for (ChallengeCategory c : ChallengeCategory.values()) {
            if (c.seeds() < distinct.size() && c.inLengthBand(tracks.size())
                    && (c.seeds() > 0 || (title != null && !title.isBlank()))) {
                fit.add(c);
            }
        }
        if (fit.isEmpty() || distinct.size() < 2) {
            return List.of();
        }
        long h = mix(pid ^ 0xC47E_6021L);
        // the first shape as split() always picked it; the rest in a pid-seeded Fisher-Yates order
        int first = (int) Long.remainderUnsigned(h, fit.size());
        java.util.Collections.swap(fit, 0, first);
        long r = h;
        for (int i = fit.size() - 1; i > 1; i--) {
            r = mix(r + 0x9E37_79B9_7F4A_7C15L);
            int j = 1 + (int) Long.remainderUnsigned(r, i);
            java.util.Collections.swap(fit, i, j);
        }
        List<Split> out = new ArrayList<>(Math.min(shapes, fit.size()));
        for (int s = 0; s < fit.size() && out.size() < shapes; s++) {
            ChallengeCategory c = fit.get(s);
            Split one = cut(c, s == 0 ? h : mix(h ^ (0x51_7CC1_B727_220AL * c.id())), title, tracks);
            if (one != null) {
                out.add(one);
            }
        }
        return out;
    }

    /** Shape {@code c} of the playlist: the first or (seeded by {@code h}) random {@code c.seeds()} tracks kept. */
    private static Split cut(ChallengeCategory c, long h, String title, List<String> tracks) {
        int n = tracks.size();
        boolean[] keep = new boolean[n];
        if (c.random()) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            long r = h;
            for (int i = n - 1; i > 0; i--) { // Fisher-Yates by the pid's stream
                r = mix(r + 0x9E37_79B9_7F4A_7C15L);
                int j = (int) Long.remainderUnsigned(r, i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i = 0; i < Math.min(c.seeds(), n); i++) {
                keep[order[i]] = true;
            }
        } else {
            for (int i = 0; i < Math.min(c.seeds(), n); i++) {
                keep[i] = true;
            }
        }
        List<String> seeds = new ArrayList<>();
        Set<String> seedSet = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                seeds.add(tracks.get(i));
                seedSet.add(tracks.get(i));
            }
        }
        Set<String> held = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            if (!keep[i] && !seedSet.contains(tracks.get(i))) {
                held.add(tracks.get(i));
            }
        }
        if (held.isEmpty()) {
            return null;
        }
        return new Split(c, seeds, c.hasTitle() ? title : null, new ArrayList<>(held));
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    private static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }
}
