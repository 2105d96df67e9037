package dev.segue.ranking;

import dev.segue.als.FoldIn;
import dev.segue.format.FeatureSetContracts;
import dev.segue.format.FeatureSetContracts.TitleEmbeddings;
import dev.segue.format.FeatureSetContracts.TrackFactors;
import dev.segue.format.FeatureSetContracts.TrackStats;
import dev.segue.math.ScoreHeap;
import dev.segue.math.VectorUtil;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Manifest;
import dev.segue.store.Table;
import dev.segue.titles.TitleTracks;
import dev.segue.titles.TitleVectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * What the server approximates, computed exactly: the seeds' playlist vector from the training's row
 * equation ({@link FoldIn}, same factors and manifest parameters), the title's vector ({@link TitleVectors}),
 * blended as the server documents ({@code w = s/(s + s0)} for {@code s} distinct known seeds, default
 * {@code s0 = 5}), then an exact scan of every track by inner product, seeds excluded — scored with
 * {@link VectorUtil#dot} and ranked by {@link ScoreHeap} like the server's exact scan, so a track's score here
 * equals the server's bit for bit and equal scores rank the same way. A title-only query whose
 * title has a {@code title_tracks} entry is re-ranked with it ({@link TitleTracks}, as the server does). No usable evidence:
 * the most popular tracks ({@code track_stats.popularity_rank}). The gap between this and the served results
 * is the HNSW index's recall loss.
 *
 * <p>One implementation for the evaluator's {@code als-exact}, its offline two-stage methods (the WRMF candidate
 * source) and the ranker's training pipeline (the WRMF candidates of each training example). Immutable after
 * loading and thread-safe (per-thread scratch).
 */
public final class ExactWrmf {
    /** What the scan returned: factor rows best first and their scores ({@code popularFallback}: no evidence). */
    public record Scan(int[] rows, float[] scores, boolean popularFallback) {}

    public static final String FACTORS = TrackFactors.NAME;
    public static final String STATS = TrackStats.NAME;
    public static final String TITLES = TitleEmbeddings.NAME;
    public static final String TITLE_TRACKS = FeatureSetContracts.TitleTracks.NAME;
    public static final double DEFAULT_TITLE_PRIOR_SEEDS = dev.segue.titles.QueryBlend.DEFAULT_TITLE_PRIOR_SEEDS;

    private final String[] uris;
    private final float[] factors;
    private final int n;
    private final int d;
    private final HashMap<String, Integer> rows;
    private final FoldIn foldIn;
    private final TitleVectors titles;
    private final TitleTracks titleTracks;
    private final String titleTracksVersion;
    private final int[] popular;
    private final double titlePriorSeeds;
    private final String factorsVersion;
    private final String titlesVersion;
    private final ThreadLocal<int[]> marks;
    private final ThreadLocal<int[]> stamps = ThreadLocal.withInitial(() -> new int[1]);

    /** The latest {@code track_factors}; see {@link #ExactWrmf(FeatureStore, String, double)}. */
    public ExactWrmf(FeatureStore store, double titlePriorSeeds) {
        this(store, "latest", titlePriorSeeds);
    }

    /**
     * Loads {@code track_factors} {@code factorsVersion} ("latest" allowed) with the titles, title tracks and
     * popularity of its run.
     *
     * @throws IllegalArgumentException the store has no {@code track_factors} (naming the store)
     */
    public ExactWrmf(FeatureStore store, String factorsVersion, double titlePriorSeeds) {
        this.titlePriorSeeds = titlePriorSeeds;
        if (store.versions(FACTORS).isEmpty()) {
            throw new IllegalArgumentException("the exact WRMF fold-in needs the " + FACTORS + " feature set, but "
                    + store.location() + " has none (run the continuation pipeline first)");
        }
        Manifest factorsManifest;
        try (FeatureSetReader reader = store.read(FACTORS, factorsVersion)) {
            factorsManifest = reader.manifest();
            Table t = reader.readAll(TrackFactors.TRACK_URI, TrackFactors.FACTORS);
            this.uris = t.strings(TrackFactors.TRACK_URI);
            this.factors = t.embeddings(TrackFactors.FACTORS);
            this.d = t.dim(TrackFactors.FACTORS);
            this.foldIn = FoldIn.fromParameters(factors, d, factorsManifest.parameters());
        }
        this.factorsVersion = factorsManifest.version();
        this.n = uris.length;
        this.rows = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            rows.put(uris[i], i);
        }
        String tv = matchingTitles(store, factorsManifest);
        TitleVectors tvs = null;
        if (tv != null) {
            try (FeatureSetReader reader = store.read(TITLES, tv)) {
                Table t = reader.readAll(TitleEmbeddings.KEY, TitleEmbeddings.KIND, TitleEmbeddings.COUNT,
                        TitleEmbeddings.VECTOR);
                if (t.dim(TitleEmbeddings.VECTOR) == d) {
                    tvs = new TitleVectors(t.strings(TitleEmbeddings.KEY), t.strings(TitleEmbeddings.KIND),
                            t.longs(TitleEmbeddings.COUNT),
                            t.embeddings(TitleEmbeddings.VECTOR), d);
                }
            }
        }
        this.titles = tvs;
        this.titlesVersion = tvs == null ? null : tv;
        int[] rowOfTrackId = trackIdRows(store);
        this.popular = popularity(store);
        String ttv = newestSince(store, TITLE_TRACKS, factorsManifest);
        this.titleTracks = ttv == null || rowOfTrackId == null ? null : titleTracks(store, ttv, rowOfTrackId);
        this.titleTracksVersion = titleTracks == null ? null : ttv;
        this.marks = ThreadLocal.withInitial(() -> new int[n]);
    }

    /**
     * The title version the server would pair with these factors: the one of their snapshot, else one recorded as
     * built from them, else the newest after them.
     */
    private static String matchingTitles(FeatureStore store, Manifest factors) {
        var snapshot = store.snapshotOf(FACTORS, factors.version());
        if (snapshot.isPresent()) {
            return snapshot.get().version(TITLES); // the run's own titles (null: the run wrote none)
        }
        List<Manifest> versions = store.versions(TITLES);
        for (int i = versions.size() - 1; i >= 0; i--) {
            Manifest m = versions.get(i);
            if (factors.version().equals(m.builtFrom(FACTORS))) {
                return m.version();
            }
        }
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (!versions.get(i).created().isBefore(factors.created())) {
                return versions.get(i).version();
            }
        }
        return null;
    }

    /** The version of {@code name} in the factors' snapshot, else the newest written with or after them, or null. */
    private static String newestSince(FeatureStore store, String name, Manifest factors) {
        var snapshot = store.snapshotOf(FACTORS, factors.version());
        if (snapshot.isPresent()) {
            return snapshot.get().version(name);
        }
        List<Manifest> versions = store.versions(name);
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (!versions.get(i).created().isBefore(factors.created())) {
                return versions.get(i).version();
            }
        }
        return null;
    }

    /** Factor row of each dense track id ({@code track_stats}), -1 when unknown; null without track_stats. */
    private int[] trackIdRows(FeatureStore store) {
        if (store.versions(STATS).isEmpty()) {
            return null;
        }
        try (FeatureSetReader reader = store.read(STATS)) {
            Table t = reader.readAll(TrackStats.TRACK_ID, TrackStats.TRACK_URI);
            int[] ids = t.ints(TrackStats.TRACK_ID);
            String[] statUris = t.strings(TrackStats.TRACK_URI);
            int max = -1;
            for (int id : ids) {
                max = Math.max(max, id);
            }
            int[] out = new int[max + 1];
            Arrays.fill(out, -1);
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] >= 0) {
                    out[ids[i]] = row(statUris[i]);
                }
            }
            return out;
        }
    }

    private static TitleTracks titleTracks(FeatureStore store, String version, int[] rowOfTrackId) {
        try (FeatureSetReader reader = store.read(TITLE_TRACKS, version)) {
            Table t = reader.readAll(FeatureSetContracts.TitleTracks.TITLE, FeatureSetContracts.TitleTracks.TRACK_ID,
                    FeatureSetContracts.TitleTracks.COUNT, FeatureSetContracts.TitleTracks.TITLE_COUNT);
            int[] ids = t.ints(FeatureSetContracts.TitleTracks.TRACK_ID);
            int[] trackRows = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                trackRows[i] = ids[i] >= 0 && ids[i] < rowOfTrackId.length ? rowOfTrackId[ids[i]] : -1;
            }
            return new TitleTracks(t.strings(FeatureSetContracts.TitleTracks.TITLE), trackRows,
                    t.longs(FeatureSetContracts.TitleTracks.COUNT),
                    t.longs(FeatureSetContracts.TitleTracks.TITLE_COUNT));
        }
    }

    private int[] popularity(FeatureStore store) {
        if (store.versions(STATS).isEmpty()) {
            int[] order = new int[n];
            Arrays.setAll(order, i -> i);
            return order;
        }
        try (FeatureSetReader reader = store.read(STATS)) {
            Table t = reader.readAll(TrackStats.TRACK_URI, TrackStats.POPULARITY_RANK);
            String[] statUris = t.strings(TrackStats.TRACK_URI);
            int[] ranks = t.ints(TrackStats.POPULARITY_RANK);
            long[] keyed = new long[statUris.length];
            int m = 0;
            for (int i = 0; i < statUris.length; i++) {
                int row = row(statUris[i]);
                if (row >= 0) {
                    keyed[m++] = ((long) ranks[i] << 32) | row;
                }
            }
            keyed = Arrays.copyOf(keyed, m);
            Arrays.sort(keyed);
            int[] order = new int[m];
            for (int i = 0; i < m; i++) {
                order[i] = (int) keyed[i];
            }
            return order;
        }
    }

    /** The factor row of a track URI, or -1. */
    public int row(String uri) {
        Integer r = rows.get(uri);
        return r == null ? -1 : r;
    }

    public String uri(int row) {
        return uris[row];
    }

    public int rows() {
        return n;
    }

    public int dim() {
        return d;
    }

    /** The factor matrix, row-major (not a copy: do not modify), for {@code FactorAccess.ofMatrix}. */
    public float[] factors() {
        return factors;
    }

    public String factorsVersion() {
        return factorsVersion;
    }

    public String titlesVersion() {
        return titlesVersion;
    }

    public String titleTracksVersion() {
        return titleTracksVersion;
    }

    public double titlePriorSeeds() {
        return titlePriorSeeds;
    }

    /**
     * The exact continuation of a playlist: fold in the known seeds, blend the title, scan every track (seeds
     * excluded), re-rank a title-only query by its {@code title_tracks} entry; no usable evidence: the most
     * popular tracks (scores {@code -position}).
     *
     * @param seedUris the playlist's tracks in order (unknown URIs are ignored)
     * @param title    the playlist's name, or null
     */
    public Scan scan(List<String> seedUris, String title, int k) {
        int[] mark = marks.get();
        int stamp = ++stamps.get()[0];
        int[] seeds = new int[seedUris.size()];
        int known = 0;
        for (String uri : seedUris) {
            int row = row(uri);
            if (row >= 0 && mark[row] != stamp) {
                mark[row] = stamp;
                seeds[known++] = row;
            }
        }
        seeds = Arrays.copyOf(seeds, known);
        float[] seedVector = known > 0 ? foldIn.userVector(seeds) : null;
        float[] titleVector = title != null && titles != null ? titles.vector(title) : null;
        float[] query = dev.segue.titles.QueryBlend.blend(seedVector, known, titleVector, titlePriorSeeds);
        if (query == null || isZero(query)) {
            int[] out = new int[Math.min(k, popular.length)];
            int m = 0;
            for (int i = 0; i < popular.length && m < out.length; i++) {
                if (mark[popular[i]] != stamp) {
                    out[m++] = popular[i];
                }
            }
            float[] scores = new float[m];
            for (int i = 0; i < m; i++) {
                scores[i] = -i;
            }
            return new Scan(Arrays.copyOf(out, m), scores, true);
        }
        TitleTracks.Entry titled = known == 0 && titleVector != null && titleTracks != null
                ? titleTracks.lookup(title) : null;
        int[] top = topK(query, k, mark, stamp);
        float[] scores = new float[top.length];
        for (int i = 0; i < top.length; i++) {
            scores[i] = dot(query, top[i]);
        }
        if (titled != null) {
            // Title only: the title's playlists' tracks with the factor model as prior (TitleTracks, as served).
            TitleTracks.Ranked ranked = TitleTracks.rerank(top, scores, top.length, titled, row -> dot(query, row),
                    row -> mark[row] != stamp, TitleTracks.DEFAULT_PSEUDO_PLAYLISTS, k);
            top = Arrays.copyOf(ranked.rows(), ranked.size());
            scores = Arrays.copyOf(ranked.scores(), ranked.size());
        }
        return new Scan(top, scores, false);
    }

    /** {@link #scan} as track URIs. */
    public List<String> recommend(List<String> seedUris, String title, int k) {
        Scan s = scan(seedUris, title, k);
        List<String> out = new ArrayList<>(s.rows().length);
        for (int row : s.rows()) {
            out.add(uris[row]);
        }
        return out;
    }

    /**
     * Exact top k rows by inner product, rows marked with {@code stamp} (seeds) excluded; best first, equal
     * scores by row ascending — the server's exact scan ({@code ExactScan}), with the same scores.
     */
    public int[] topK(float[] q, int k, int[] mark, int stamp) {
        ScoreHeap top = ScoreHeap.topK(Math.min(k, n));
        for (int row = 0; row < n; row++) {
            if (mark[row] == stamp) {
                continue;
            }
            float s = dot(q, row);
            if (top.accepts(s)) {
                top.offer(row, s);
            }
        }
        return top.drainBestFirst();
    }

    /** The server's score of a row ({@link VectorUtil#dot}, as {@code FactorMatrix.dot}): equal bit for bit. */
    public float dot(float[] q, int row) {
        return VectorUtil.dot(factors, row * d, q, 0, d);
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
