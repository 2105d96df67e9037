package dev.segue.ranking;

import dev.segue.store.FeatureStore;
import java.util.List;

/**
 * The exact offline two-stage recommender of one store: WRMF candidates by the exact fold-in and exact scan
 * ({@link ExactWrmf}), the other candidate sources of the same run ({@link RankingData}), the rank features over
 * the loaded factors and, when given, a ranker. The one offline path of the evaluator's {@code two-stage} /
 * {@code first-stage} methods and of the ranker's training examples ({@link #examples}), so training and
 * evaluation see the same candidates and features. Thread-safe.
 */
public final class OfflineTwoStage {
    private final ExactWrmf wrmf;
    private final RankingData data;
    private final int[] trackIdOfRow;
    private final CandidateGenerator generator;
    private final FactorAccess factors;
    private final TwoStage twoStage;

    public OfflineTwoStage(ExactWrmf wrmf, RankingData data, CandidateConfig config, RankerModel ranker) {
        this.wrmf = wrmf;
        this.data = data;
        this.trackIdOfRow = new int[wrmf.rows()];
        for (int r = 0; r < trackIdOfRow.length; r++) {
            trackIdOfRow[r] = data.trackId(wrmf.uri(r));
        }
        this.generator = new CandidateGenerator(data, config);
        this.factors = FactorAccess.ofMatrix(wrmf.factors(), wrmf.dim(), data.rowsByTrackId(wrmf::row));
        this.twoStage = new TwoStage(generator, factors, ranker);
    }

    /** Loads the latest factors of {@code store}, the sets of their run and no ranker. */
    public static OfflineTwoStage load(FeatureStore store, double titlePriorSeeds, CandidateConfig config,
                                       RankerModel ranker) {
        ExactWrmf wrmf = new ExactWrmf(store, titlePriorSeeds);
        return new OfflineTwoStage(wrmf, RankingData.load(store, wrmf.factorsVersion()), config, ranker);
    }

    public ExactWrmf wrmf() {
        return wrmf;
    }

    public RankingData data() {
        return data;
    }

    public TwoStage twoStage() {
        return twoStage;
    }

    public CandidateGenerator generator() {
        return generator;
    }

    /**
     * The request of a playlist: its known seeds as {@code track_id}s in order, the title, and the exact WRMF
     * candidates for them ({@link CandidateConfig#wrmf} of them; none when the scan fell back to popularity).
     */
    public RankRequest request(List<String> seedUris, String title) {
        return request(seedUris, title, false);
    }

    /**
     * {@link #request(List, String)} for seeds that are a random sample of the playlist ({@code seedsShuffled}) or
     * its first tracks.
     */
    public RankRequest request(List<String> seedUris, String title, boolean seedsShuffled) {
        int n = generator.config().wrmf();
        return request(seedUris, title, seedsShuffled, n > 0 ? wrmf.scan(seedUris, title, n) : null);
    }

    /**
     * The requests of several playlists, {@code requests(s, t, sh)[i]} equal to {@code request(s.get(i), t.get(i),
     * sh[i])}, their exact WRMF candidates scanned together ({@link ExactWrmf#scans}: one pass over the factors for
     * a block of playlists).
     */
    public RankRequest[] requests(List<List<String>> seedUris, List<String> titles, boolean[] seedsShuffled) {
        int n = generator.config().wrmf();
        ExactWrmf.Scan[] scans = n > 0 ? wrmf.scans(seedUris, titles, n) : null;
        RankRequest[] out = new RankRequest[seedUris.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = request(seedUris.get(i), titles.get(i), seedsShuffled[i], scans == null ? null : scans[i]);
        }
        return out;
    }

    private RankRequest request(List<String> seedUris, String title, boolean seedsShuffled, ExactWrmf.Scan scan) {
        int[] seeds = new int[seedUris.size()];
        int m = 0;
        for (String uri : seedUris) {
            int id = data.trackId(uri);
            if (id >= 0) {
                seeds[m++] = id;
            }
        }
        int[] tracks = new int[0];
        float[] scores = new float[0];
        if (scan != null) {
            if (!scan.popularFallback()) {
                tracks = new int[scan.rows().length];
                scores = new float[tracks.length];
                int k = 0;
                for (int i = 0; i < tracks.length; i++) {
                    int id = trackIdOfRow[scan.rows()[i]];
                    if (id >= 0) {
                        tracks[k] = id;
                        scores[k++] = scan.scores()[i];
                    }
                }
                tracks = java.util.Arrays.copyOf(tracks, k);
                scores = java.util.Arrays.copyOf(scores, k);
            }
        }
        return new RankRequest(java.util.Arrays.copyOf(seeds, m), title, tracks, scores, seedsShuffled);
    }

    /** The top {@code k} URIs of a playlist; {@code secondStage=false} gives the first-stage order. */
    public TwoStage.Result recommend(RankRequest request, int k, boolean secondStage) {
        return twoStage.recommend(request, k, secondStage);
    }

    /** {@link #recommend(RankRequest, int, boolean)} over candidates already generated for {@code request}. */
    public TwoStage.Result recommend(RankRequest request, Candidates candidates, int k, boolean secondStage) {
        return twoStage.recommend(request, candidates, k, secondStage);
    }

    /** The training group of a playlist split into seeds and held-out tracks (URIs; unknown ones are dropped). */
    public ExampleBuilder.Group examples(List<String> seedUris, String title, List<String> heldOutUris) {
        return examples(seedUris, title, false, heldOutUris);
    }

    /** {@link #examples(List, String, List)} with seeds that are a random sample ({@code seedsShuffled}) or not. */
    public ExampleBuilder.Group examples(List<String> seedUris, String title, boolean seedsShuffled,
                                         List<String> heldOutUris) {
        int[] held = new int[heldOutUris.size()];
        int m = 0;
        for (String uri : heldOutUris) {
            int id = data.trackId(uri);
            if (id >= 0) {
                held[m++] = id;
            }
        }
        return new ExampleBuilder(generator, factors).build(request(seedUris, title, seedsShuffled),
                java.util.Arrays.copyOf(held, m));
    }
}
