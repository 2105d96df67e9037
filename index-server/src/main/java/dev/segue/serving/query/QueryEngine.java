package dev.segue.serving.query;

import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.Candidates;
import dev.segue.serving.index.RowFilter;
import dev.segue.serving.model.RankingStage;
import dev.segue.serving.model.ServingModel;
import dev.segue.ranking.RankRequest;
import dev.segue.ranking.RankingData;
import dev.segue.ranking.Source;
import dev.segue.ranking.TwoStage;
import dev.segue.serving.model.TrackCatalog;
import dev.segue.titles.QueryBlend;
import dev.segue.titles.TitleTracks;
import dev.segue.titles.TitleVectors;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The query path: seed URIs → rows → fold-in (the training's row equation, {@link dev.segue.als.FoldIn}) →
 * title vector ({@link TitleVectors}) → blend → maximum-inner-product search with over-fetch → drop seeds
 * and filtered rows → top k. A very selective filter is answered by an exact scan; no usable evidence
 * falls back to the most popular tracks. Stateless and thread-safe; each call works on one model.
 */
public final class QueryEngine {
    /** Graph searches retried with a doubled over-fetch before giving up for an exact scan. */
    private static final int MAX_GRAPH_ATTEMPTS = 3;

    private final QueryOptions options;

    public QueryEngine(QueryOptions options) {
        this.options = options;
    }

    public QueryOptions options() {
        return options;
    }

    /** A query's evidence: the search vector (null: none), the strategy, the compiled filter, unknown seeds. */
    private record Prepared(float[] vector, Strategy strategy, CompiledFilter filter, List<String> unknownSeeds) {}

    private Prepared prepare(ServingModel model, ContinueQuery query, Cancellation cancel) {
        TrackCatalog catalog = model.catalog();
        List<String> seeds = query.seedUris();
        int[] seedRows = new int[seeds.size()];
        int known = 0;
        Set<String> unknown = new LinkedHashSet<>();
        for (String uri : seeds) {
            int row = catalog.row(uri);
            if (row >= 0) {
                seedRows[known++] = row;
            } else {
                unknown.add(uri);
            }
        }
        seedRows = java.util.Arrays.copyOf(seedRows, known);
        CompiledFilter filter = CompiledFilter.compile(catalog, seedRows, query.filter());
        cancel.check();

        float[] seedVector = known > 0 ? model.foldIn().userVector(seedRows) : null;
        float[] titleVector = null;
        if (query.title() != null && model.titles() != null) {
            titleVector = model.titles().vector(query.title());
        }
        int distinctSeeds = distinct(seedRows);
        float[] vector;
        Strategy strategy;
        if (seedVector != null && titleVector != null) {
            vector = QueryBlend.blend(seedVector, distinctSeeds, titleVector, options.titlePriorSeeds());
            strategy = Strategy.SEEDS_AND_TITLE;
        } else if (seedVector != null) {
            vector = seedVector;
            strategy = Strategy.SEEDS;
        } else if (titleVector != null) {
            vector = titleVector;
            strategy = Strategy.TITLE;
        } else {
            vector = null;
            strategy = Strategy.POPULARITY_FALLBACK;
        }
        if (vector != null && isZero(vector)) {
            vector = null; // ranks every track equally: no evidence after all
            strategy = Strategy.POPULARITY_FALLBACK;
        }
        cancel.check();
        return new Prepared(vector, strategy, filter, new ArrayList<>(unknown));
    }

    /**
     * One continuation. With a second stage served ({@link ServingModel#ranking()}) and not switched off by the
     * request, the two stages answer: the factor model's candidates (this search, {@code max(k, N_wrmf)} of them),
     * the other sources, the rank features, the ranker, top k; the filter is applied to the ranked list. Otherwise
     * the factor model's list answers, as before the ranker existed. An allow-artist filter keeps the first stage
     * (the other sources would propose mostly tracks it drops).
     */
    public Recommendation recommend(ServingModel model, ContinueQuery query, Cancellation cancel) {
        Prepared p = prepare(model, query, cancel);
        RankingStage ranking = model.ranking();
        String firstOnly = !ranking.active() ? NO_RANKER
                : query.firstStageOnly() ? REQUESTED_FIRST_STAGE
                : p.filter().hasAllowList() ? ALLOW_LIST
                : null;
        if (firstOnly == null) {
            return twoStage(model, query, p, cancel);
        }
        CompiledFilter filter = p.filter();
        Candidates tracks = p.vector() == null
                ? popular(model, query.k(), filter)
                : search(model, p.vector(), query.k(), filter, cancel);
        if (p.strategy() == Strategy.TITLE && model.titleTracks() != null) {
            tracks = titleTracks(model, query.title(), p.vector(), tracks, filter, query.k(), options.titlePriorPlaylists());
        }
        return new Recommendation(tracks, p.strategy(), p.unknownSeeds(), Stages.firstStage(firstOnly));
    }

    /** Why a response's second stage did not run (short: the details, paths included, are in Status). */
    public static final String NO_RANKER = "no ranker is served (Status.ranker_note says why)";
    public static final String REQUESTED_FIRST_STAGE = "the request asked for the first stage only";
    public static final String ALLOW_LIST = "an allow-artist filter keeps the first stage";
    /** The note of a request whose shape the ranker lost on validation (the validation guard keeps the first stage). */
    public static final String GUARDED = "the ranker lost to the first stage on validation for this request's shape: ";
    /** The note of a request whose shape the per-shape selection orders by the candidates' popularity. */
    public static final String BY_POPULARITY = "the ranker lost to the popularity order on validation for this"
            + " request's shape, so the candidates are in popularity order: ";

    private Candidates wrmf(ServingModel model, ContinueQuery query, Prepared p, Cancellation cancel) {
        int n = Math.max(query.k(), model.ranking().twoStage().generator().config().wrmf());
        return p.vector() == null ? Candidates.EMPTY : search(model, p.vector(), n, p.filter(), cancel);
    }

    private Recommendation twoStage(ServingModel model, ContinueQuery query, Prepared p, Cancellation cancel) {
        RankingStage ranking = model.ranking();
        Candidates wrmf = wrmf(model, query, p, cancel);
        RankRequest request = rankRequest(ranking, query, wrmf);
        cancel.check();
        TwoStage.Result r = ranking.twoStage().recommend(request, Integer.MAX_VALUE, true);
        int k = query.k();
        int[] rows = new int[k];
        float[] scores = new float[k];
        int n = 0;
        int[] ranked = r.tracks();
        for (int i = 0; i < ranked.length && n < k; i++) {
            int row = ranking.row(ranked[i]);
            if (row >= 0 && p.filter().accept(row)) {
                rows[n] = row;
                scores[n++] = r.scores()[i];
            }
        }
        if (n < k && n < wrmf.size()) {
            // the factor model's tracks that track_stats does not list cannot be ranked: they follow the ranked ones
            java.util.HashSet<Integer> taken = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                taken.add(rows[i]);
            }
            float last = n == 0 ? 0f : scores[n - 1];
            for (int i = 0; i < wrmf.size() && n < k; i++) {
                if (taken.add(wrmf.ids()[i])) {
                    last = Math.nextDown(last);
                    rows[n] = wrmf.ids()[i];
                    scores[n++] = last;
                }
            }
        }
        List<String> sources = new ArrayList<>();
        for (Source s : Source.values()) {
            if (r.sources().contains(s)) {
                sources.add(s.id());
            }
        }
        Stages stages = r.secondStage()
                ? new Stages(true, sources, r.candidates(), ranking.rankerVersion(), null)
                : new Stages(false, sources, r.candidates(), null, r.candidates() == 0 ? "no candidates to rank"
                        : (ranking.twoStage().order(request) == dev.segue.ranking.RankerModel.Order.POPULARITY
                                ? BY_POPULARITY : GUARDED) + dev.segue.format.ChallengeCategory.nearest(
                                request.hasTitle(), request.seeds().length, request.seedsShuffled()).label());
        return new Recommendation(new Candidates(rows, scores, n), p.strategy(), p.unknownSeeds(), stages);
    }

    /**
     * The second stage's request for {@code query} exactly as {@link #recommend} builds it: the seeds' and the
     * factor model's candidates' {@code track_id}s (seeds and candidates {@code track_stats} does not list are
     * dropped), the title. The offline evaluator builds the same request from the same URIs.
     *
     * @throws IllegalStateException the model serves no ranker
     */
    public RankRequest rankRequest(ServingModel model, ContinueQuery query, Cancellation cancel) {
        if (!model.ranking().active()) {
            throw new IllegalStateException(NO_RANKER);
        }
        Prepared p = prepare(model, query, cancel);
        return rankRequest(model.ranking(), query, wrmf(model, query, p, cancel));
    }

    private static RankRequest rankRequest(RankingStage ranking, ContinueQuery query, Candidates wrmf) {
        RankingData data = ranking.data();
        List<String> uris = query.seedUris();
        int[] seeds = new int[uris.size()];
        int s = 0;
        for (String uri : uris) {
            int id = data.trackId(uri);
            if (id >= 0) {
                seeds[s++] = id;
            }
        }
        int[] ids = new int[wrmf.size()];
        float[] scores = new float[wrmf.size()];
        int w = 0;
        for (int i = 0; i < wrmf.size(); i++) {
            int id = ranking.trackId(wrmf.ids()[i]);
            if (id >= 0) {
                ids[w] = id;
                scores[w++] = wrmf.scores()[i];
            }
        }
        return new RankRequest(java.util.Arrays.copyOf(seeds, s), query.title(), java.util.Arrays.copyOf(ids, w),
                java.util.Arrays.copyOf(scores, w), query.seedsShuffled());
    }

    /**
     * Title only, with the title's most held tracks: {@link TitleTracks#rerank} of the top k by inner product
     * and the title's eligible tracks (exact, because tracks the title never held keep the inner-product order).
     */
    private static Candidates titleTracks(ServingModel model, String title, float[] vector, Candidates found,
                                          CompiledFilter filter, int k, double pseudoPlaylists) {
        TitleTracks.Entry entry = model.titleTracks().lookup(title);
        if (entry == null) {
            return found;
        }
        TitleTracks.Ranked r = TitleTracks.rerank(found.ids(), found.scores(), found.size(), entry,
                row -> model.factors().dot(row, vector), filter::accept, pseudoPlaylists, k);
        return new Candidates(r.rows(), r.scores(), r.size());
    }

    /** Nearest tracks to one track by inner product with its factor vector, the track itself excluded. */
    public Candidates similar(ServingModel model, int row, int k, Cancellation cancel) {
        float[] vector = model.factors().row(row);
        if (isZero(vector)) {
            return Candidates.EMPTY;
        }
        RowFilter notSelf = r -> r != row;
        return search(model, vector, k, notSelf, model.factors().rows(), 1, false, cancel);
    }

    Candidates search(ServingModel model, float[] vector, int k, CompiledFilter filter, Cancellation cancel) {
        if (filter.hasAllowList()) {
            if (filter.eligibleRows() <= Math.max(options.exactScanRows(), k)) {
                cancel.check();
                return model.exact().search(vector, k, filter.allowedRows(), filter, cancel);
            }
        }
        return search(model, vector, k, filter, filter.eligibleRows(), filter.excludedRowCount(),
                filter.hasAllowList() || filter.eligibleRows() < model.factors().rows(), cancel);
    }

    /**
     * Graph search with over-fetch {@code (k + excluded) / passFraction} (+10%) under an artist filter, whose
     * pass fraction is an estimate; without one the rows to drop are known exactly and {@code k + excluded}
     * is fetched (the slack would only widen the beam: 571 instead of 510 rows for k=500 and 10 seeds, 12 %
     * more search work). The over-fetch doubles on a short answer; an exact scan answers when it would cover
     * a large share of the rows.
     */
    private Candidates search(ServingModel model, float[] vector, int k, RowFilter filter, long eligible,
                              int excludedRows, boolean artistFiltered, Cancellation cancel) {
        int n = model.factors().rows();
        long wanted = Math.max(0, Math.min(k, eligible - (artistFiltered ? 0 : excludedRows)));
        if (eligible <= 0 || wanted == 0) {
            return Candidates.EMPTY;
        }
        double pass = Math.max(eligible / (double) n, 1e-9);
        long fetch = artistFiltered ? (long) Math.ceil((k + excludedRows) / pass * 1.1) + 10 : k + excludedRows;
        long exactAbove = (long) (options.exactScanFraction() * n);
        boolean selective = artistFiltered && eligible <= options.exactScanRows();
        for (int attempt = 0; attempt < MAX_GRAPH_ATTEMPTS && fetch <= exactAbove && !selective; attempt++) {
            cancel.check();
            Candidates found = model.index().search(vector, (int) Math.min(fetch, n), filter);
            if (found.size() >= wanted || fetch >= n) {
                return truncate(found, k);
            }
            fetch *= 2;
        }
        cancel.check();
        return model.exact().search(vector, k, filter, cancel);
    }

    private static Candidates popular(ServingModel model, int k, RowFilter filter) {
        int[] order = model.popularity();
        int[] ids = new int[Math.min(k, order.length)];
        float[] scores = new float[ids.length];
        int n = 0;
        for (int rank = 0; rank < order.length && n < ids.length; rank++) {
            int row = order[rank];
            if (filter.accept(row)) {
                ids[n] = row;
                scores[n] = 1f / (1 + rank);
                n++;
            }
        }
        return new Candidates(ids, scores, n);
    }

    private static int distinct(int[] rows) {
        int[] sorted = rows.clone();
        java.util.Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                n++;
            }
        }
        return n;
    }

    private static Candidates truncate(Candidates c, int k) {
        return c.size() <= k ? c : new Candidates(c.ids(), c.scores(), k);
    }

    private static boolean isZero(float[] v) {
        for (float x : v) {
            if (x != 0f) {
                return false;
            }
        }
        return true;
    }
}
