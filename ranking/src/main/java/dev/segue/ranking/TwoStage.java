package dev.segue.ranking;

import dev.segue.format.ChallengeCategory;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The two-stage recommender for one data version: candidates ({@link CandidateGenerator}) → features
 * ({@link RankFeatures}) → ranker scores ({@link RankerModel}) → top k. Immutable and thread-safe; the server holds
 * one per loaded model and swaps it whole on reload.
 *
 * <p>Without a ranker, or with {@code secondStage=false}, the result is the first {@code k} candidates in the
 * first-stage order (WRMF's order, then the other sources' new candidates, see {@link Candidates}). With the
 * ranker, candidates are ordered by its score, ties by the first-stage order (stable) — except for requests whose
 * challenge shape ({@link ChallengeCategory#nearest}: title or not, seed count, seeds shuffled or first) is one where
 * another order beat the ranker on its own validation groups ({@link RankerModel#selections}, the per-shape
 * selection): those keep the first-stage order, or are ordered by the candidates' popularity ({@code log_playlists},
 * ties by first-stage order), and say so ({@code secondStage} false: the ranker did not order them), or are ordered
 * by the ranker's score plus a popularity weight times {@code log_playlists}.
 */
public final class TwoStage {
    /**
     * What a call returned and how.
     *
     * @param tracks      the top {@code k} track ids, best first
     * @param scores      their scores: the ranker's, with the first stage only {@code -position}, in popularity
     *                    order {@code log_playlists} (higher is better everywhere)
     * @param secondStage true when the ranker ordered them
     * @param sources     the candidate sources that ran
     * @param candidates  how many candidates were scored
     */
    public record Result(int[] tracks, float[] scores, boolean secondStage, Set<Source> sources, int candidates) {}

    private final CandidateGenerator generator;
    private final FactorAccess factors;
    private final RankerModel ranker;
    private final Map<ChallengeCategory, RankerModel.Order> orders;
    private final Map<ChallengeCategory, RankerModel.Selection> selections;

    /**
     * @param ranker the second stage, or null (first stage only); its feature list must be {@link RankFeatures#NAMES}
     * @throws IllegalArgumentException the ranker's feature list differs (naming both)
     */
    public TwoStage(CandidateGenerator generator, FactorAccess factors, RankerModel ranker) {
        if (ranker != null) {
            ranker.checkFeatures(RankFeatures.NAMES);
        }
        this.generator = generator;
        this.factors = factors;
        this.ranker = ranker;
        this.orders = ranker == null ? Map.of() : ranker.orders();
        this.selections = ranker == null ? Map.of() : ranker.selections();
    }

    /** The shapes whose requests keep the first-stage order under this ranker (the per-shape selection). */
    public Set<ChallengeCategory> firstStageCategories() {
        return shapes(RankerModel.Order.FIRST_STAGE);
    }

    /** The shapes whose requests are ordered by popularity under this ranker (the per-shape selection). */
    public Set<ChallengeCategory> popularityCategories() {
        return shapes(RankerModel.Order.POPULARITY);
    }

    private Set<ChallengeCategory> shapes(RankerModel.Order o) {
        Set<ChallengeCategory> out = EnumSet.noneOf(ChallengeCategory.class);
        orders.forEach((c, v) -> {
            if (v == o) {
                out.add(c);
            }
        });
        return out;
    }

    /** How a request with the second stage on is ordered: no ranker → first stage; else its shape's selection. */
    public RankerModel.Order order(RankRequest request) {
        if (ranker == null) {
            return RankerModel.Order.FIRST_STAGE;
        }
        return orders.getOrDefault(ChallengeCategory.nearest(request.hasTitle(), request.seeds().length,
                request.seedsShuffled()), RankerModel.Order.RANKER);
    }

    /** The popularity weight added to the ranker's score for this request's shape (0: the ranker alone). */
    public float popularityWeight(RankRequest request) {
        RankerModel.Selection s = selections.get(ChallengeCategory.nearest(request.hasTitle(), request.seeds().length,
                request.seedsShuffled()));
        return s == null ? 0f : s.popularityWeight();
    }

    /** True when the ranker orders this request: a ranker is loaded and the selection gives its shape the ranker. */
    public boolean ranks(RankRequest request) {
        return order(request) == RankerModel.Order.RANKER;
    }

    public boolean hasRanker() {
        return ranker != null;
    }

    public RankerModel ranker() {
        return ranker;
    }

    public CandidateGenerator generator() {
        return generator;
    }

    /**
     * The top {@code k} continuations of {@code request}.
     *
     * @param secondStage false for the first stage's order even when a ranker is loaded (A/B, ablation)
     */
    public Result recommend(RankRequest request, int k, boolean secondStage) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        return recommend(request, generator.generate(request), k, secondStage);
    }

    /**
     * {@link #recommend(RankRequest, int, boolean)} over candidates the caller already generated for
     * {@code request} ({@link CandidateGenerator#generate}), for a caller that also needs the candidate set (the
     * evaluator's candidate recall) and should not generate it twice.
     */
    public Result recommend(RankRequest request, Candidates c, int k, boolean secondStage) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int n = c.size();
        int out = Math.min(k, n);
        Set<Source> sources = c.sourcesRan();
        RankerModel.Order how = secondStage ? order(request) : RankerModel.Order.FIRST_STAGE;
        if (how == RankerModel.Order.POPULARITY && n > 0) {
            float[] s = new float[n];
            for (int i = 0; i < n; i++) {
                s[i] = CandidateGenerator.logPlaylists(generator.data(), c.track(i));
            }
            return top(c, s, out, false, sources, n);
        }
        if (how != RankerModel.Order.RANKER || n == 0) {
            int[] tracks = Arrays.copyOf(c.tracks(), out);
            float[] scores = new float[out];
            for (int i = 0; i < out; i++) {
                scores[i] = -i;
            }
            return new Result(tracks, scores, false, sources, n);
        }
        float[] x = RankFeatures.compute(generator.data(), factors, request, c, generator.config().similaritySeeds());
        float[] s = ranker.predict(x, n);
        float w = popularityWeight(request);
        if (w != 0f) {
            int f = RankFeatures.count();
            for (int i = 0; i < n; i++) {
                s[i] = RankerModel.blend(s[i], w, x[i * f + RankFeatures.LOG_PLAYLISTS]);
            }
        }
        return top(c, s, out, true, sources, n);
    }

    /** The {@code out} best candidates by {@code s} (ties by first-stage position). */
    private static Result top(Candidates c, float[] s, int out, boolean secondStage, Set<Source> sources, int n) {
        int[] order = order(s);
        int[] tracks = new int[out];
        float[] scores = new float[out];
        for (int i = 0; i < out; i++) {
            tracks[i] = c.track(order[i]);
            scores[i] = s[order[i]];
        }
        return new Result(tracks, scores, secondStage, sources.isEmpty() ? EnumSet.noneOf(Source.class) : sources, n);
    }

    /**
     * Positions sorted by score descending, ties by position, NaN last. One primitive sort of packed keys (the score's
     * order-preserving bits, negated, above the position), no boxing: this runs on every served request.
     */
    static int[] order(float[] scores) {
        long[] keys = new long[scores.length];
        for (int i = 0; i < scores.length; i++) {
            float f = scores[i];
            int bits = Float.floatToIntBits(f);
            int ascending = Float.isNaN(f) ? Integer.MIN_VALUE : bits ^ ((bits >> 31) & 0x7fffffff);
            keys[i] = ((long) ~ascending << 32) | i;
        }
        Arrays.sort(keys);
        int[] out = new int[keys.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) keys[i];
        }
        return out;
    }
}
