package dev.segue.ranking;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The rank features of every (playlist, candidate) pair, defined once: training (the example builder), the
 * offline evaluator and the server compute them here, and {@link #NAMES} — the ordered feature list — is the
 * contract between a trained ranker and its users (a ranker whose list differs is refused).
 *
 * <p><b>Missing values are {@code NaN}</b> (XGBoost's missing value: each tree split learns which way missing
 * goes): a source that did not propose the candidate (its score and rank), a similarity without factors for
 * the candidate or the seeds, a title feature without a known title, a share without {@code tracks}.
 *
 * <p>All arithmetic is float/double in a fixed order over primitive arrays, so the same request over equal data
 * gives bit-identical rows on any machine (dot products through {@code VectorUtil}, whose summation order is
 * fixed). The README has the table of features.
 */
public final class RankFeatures {
    /** The ordered feature names. */
    public static final List<String> NAMES;
    /** Index of the first per-source column: source {@code s} has score at {@code 2·s.ordinal()}, rank next. */
    public static final int SOURCE_COLUMNS = 2 * Source.values().length;
    public static final int SOURCES_COUNT;
    public static final int LOG_PLAYLISTS;
    public static final int ARTIST_SHARE;
    public static final int ALBUM_SHARE;
    public static final int SAME_ARTIST_AS_LAST;
    public static final int SIM_LAST;
    public static final int SIM_MEAN_RECENT;
    public static final int SIM_MAX_RECENT;
    public static final int TITLE_SHARE;
    public static final int TITLE_LOG_COUNT;
    public static final int SEEDS;
    public static final int TITLE_PRESENT;
    public static final int FIRST_STAGE_POSITION;
    public static final int SEEDS_SHUFFLED;
    public static final int ARTIST_TRACK_RANK;
    public static final int ARTIST_TRACK_RANK_PER_SEED;

    static {
        List<String> n = new ArrayList<>();
        for (Source s : Source.values()) {
            n.add(s.id() + "_score");
            n.add(s.id() + "_rank");
        }
        SOURCES_COUNT = add(n, "sources_count");
        LOG_PLAYLISTS = add(n, "log_playlists");
        ARTIST_SHARE = add(n, "artist_share");
        ALBUM_SHARE = add(n, "album_share");
        SAME_ARTIST_AS_LAST = add(n, "same_artist_as_last_seed");
        SIM_LAST = add(n, "sim_last_seed");
        SIM_MEAN_RECENT = add(n, "sim_mean_recent_seeds");
        SIM_MAX_RECENT = add(n, "sim_max_recent_seeds");
        TITLE_SHARE = add(n, "title_share");
        TITLE_LOG_COUNT = add(n, "title_log_count");
        SEEDS = add(n, "seeds");
        TITLE_PRESENT = add(n, "title_present");
        FIRST_STAGE_POSITION = add(n, "first_stage_position");
        SEEDS_SHUFFLED = add(n, "seeds_shuffled");
        ARTIST_TRACK_RANK = add(n, "artist_track_rank");
        ARTIST_TRACK_RANK_PER_SEED = add(n, "artist_track_rank_per_seed");
        NAMES = Collections.unmodifiableList(n);
    }

    private static int add(List<String> names, String name) {
        names.add(name);
        return names.size() - 1;
    }

    private RankFeatures() {}

    /** Number of features per row. */
    public static int count() {
        return NAMES.size();
    }

    /**
     * The feature matrix of {@code candidates}: row-major, {@code candidates.size() × count()}, row {@code i} for
     * candidate {@code i} (first-stage order).
     *
     * @param factors the caller's factors ({@link FactorAccess#NONE} when it has none)
     * @param similaritySeeds how many of the last seeds the mean/max similarity use
     */
    public static float[] compute(RankingData data, FactorAccess factors, RankRequest request, Candidates candidates,
                                  int similaritySeeds) {
        int f = count();
        int n = candidates.size();
        float[] out = new float[n * f];
        int[] seeds = request.seeds();
        // per-request values
        int title = request.hasTitle() ? data.title(request.title()) : -1;
        float titleCount = title >= 0 ? (float) data.titleCount(title) : Float.NaN;
        float titleLogCount = title >= 0 ? (float) Math.log1p(titleCount) : Float.NaN;
        // track -> its entry in the title's CSR (the last one, should a track be listed twice)
        IntSlots titleTracks = new IntSlots(title >= 0 ? data.titleEnd(title) - data.titleStart(title) : 0);
        if (title >= 0) {
            for (int i = data.titleStart(title), end = data.titleEnd(title); i < end; i++) {
                titleTracks.put(data.titleTrack(i), i, -1);
            }
        }
        IntSlots artistSeeds = new IntSlots(seeds.length);
        IntSlots albumSeeds = new IntSlots(seeds.length);
        if (data.hasTracks()) {
            for (int s : seeds) {
                int a = data.artist(s);
                if (a >= 0) {
                    artistSeeds.put(a, artistSeeds.get(a, 0) + 1, -1);
                }
                int b = data.album(s);
                if (b >= 0) {
                    albumSeeds.put(b, albumSeeds.get(b, 0) + 1, -1);
                }
            }
        }
        int last = seeds.length > 0 ? seeds[seeds.length - 1] : -1;
        int lastArtist = last >= 0 ? data.artist(last) : -1;
        boolean lastHasFactors = last >= 0 && factors.has(last);
        int[] recent = recentWithFactors(seeds, factors, similaritySeeds);
        Source[] sources = Source.values();
        for (int i = 0; i < n; i++) {
            int c = candidates.track(i);
            int o = i * f;
            int from = 0;
            for (Source s : sources) {
                int rank = candidates.rank(s, i);
                if (rank >= 0) {
                    out[o + 2 * s.ordinal()] = candidates.score(s, i);
                    out[o + 2 * s.ordinal() + 1] = rank;
                    from++;
                } else {
                    out[o + 2 * s.ordinal()] = Float.NaN;
                    out[o + 2 * s.ordinal() + 1] = Float.NaN;
                }
            }
            out[o + SOURCES_COUNT] = from;
            out[o + LOG_PLAYLISTS] = CandidateGenerator.logPlaylists(data, c);
            if (data.hasTracks() && seeds.length > 0) {
                int a = data.artist(c);
                int b = data.album(c);
                out[o + ARTIST_SHARE] = (float) (a >= 0 ? artistSeeds.get(a, 0) : 0) / seeds.length;
                out[o + ALBUM_SHARE] = (float) (b >= 0 ? albumSeeds.get(b, 0) : 0) / seeds.length;
                out[o + SAME_ARTIST_AS_LAST] = a >= 0 && a == lastArtist ? 1f : 0f;
                // the artist-popularity order's key: rank among the artist's tracks per seed of that artist
                int r = data.rankInArtist(c);
                int bySeeds = a >= 0 ? artistSeeds.get(a, 0) : 0;
                out[o + ARTIST_TRACK_RANK] = r >= 0 ? r : Float.NaN;
                out[o + ARTIST_TRACK_RANK_PER_SEED] = r >= 0 && bySeeds > 0 ? (float) r / bySeeds : Float.NaN;
            } else {
                out[o + ARTIST_SHARE] = Float.NaN;
                out[o + ALBUM_SHARE] = Float.NaN;
                out[o + SAME_ARTIST_AS_LAST] = Float.NaN;
                out[o + ARTIST_TRACK_RANK] = Float.NaN;
                out[o + ARTIST_TRACK_RANK_PER_SEED] = Float.NaN;
            }
            boolean cf = factors.has(c);
            out[o + SIM_LAST] = cf && lastHasFactors ? factors.dot(c, last) : Float.NaN;
            if (cf && recent.length > 0) {
                float sum = 0;
                float max = Float.NEGATIVE_INFINITY;
                for (int s : recent) {
                    float d = factors.dot(c, s);
                    sum += d;
                    max = Math.max(max, d);
                }
                out[o + SIM_MEAN_RECENT] = sum / recent.length;
                out[o + SIM_MAX_RECENT] = max;
            } else {
                out[o + SIM_MEAN_RECENT] = Float.NaN;
                out[o + SIM_MAX_RECENT] = Float.NaN;
            }
            if (title >= 0) {
                int at = titleTracks.get(c, -1);
                out[o + TITLE_SHARE] = (at >= 0 ? data.titleTrackCount(at) : 0L) / titleCount;
            } else {
                out[o + TITLE_SHARE] = Float.NaN;
            }
            out[o + TITLE_LOG_COUNT] = titleLogCount;
            out[o + SEEDS] = seeds.length;
            out[o + TITLE_PRESENT] = request.hasTitle() ? 1f : 0f;
            out[o + FIRST_STAGE_POSITION] = i;
            // with seeds, whether they are a random sample rather than the first tracks (NaN without seeds: moot)
            out[o + SEEDS_SHUFFLED] = seeds.length == 0 ? Float.NaN : request.seedsShuffled() ? 1f : 0f;
        }
        return out;
    }

    /** The last {@code k} seeds that have factors, most recent first. */
    private static int[] recentWithFactors(int[] seeds, FactorAccess factors, int k) {
        int[] out = new int[Math.min(k, seeds.length)];
        int n = 0;
        for (int j = seeds.length - 1; j >= 0 && n < out.length; j--) {
            if (factors.has(seeds[j])) {
                out[n++] = seeds[j];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
