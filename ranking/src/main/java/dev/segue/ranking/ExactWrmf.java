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
    /** Per thread and row: bit j set when the row is a seed of query j of the block {@link #scans} is scoring. */
    private final ThreadLocal<int[]> blockMarks;

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
        this.blockMarks = ThreadLocal.withInitial(() -> new int[n]);
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
        Query q = query(seedUris, title, k);
        return q.done() != null ? q.done() : finish(q, topK(q.vector(), k, q.seeds()), k);
    }

    /**
     * {@link #scan} of several playlists in one pass over the factors: {@code scans(s, t, k)[i]} equals
     * {@code scan(s.get(i), t.get(i), k)} bit for bit (same rows, same scores). Each track's factor row is read
     * once for up to {@link #BLOCK} playlists and scored against their queries together ({@link
     * VectorUtil#dot4}), instead of once per playlist: a scan of a factor matrix larger than the caches waits on
     * memory, and a single dot product on its one chain of adds.
     *
     * @param titles the playlists' names (entries may be null)
     */
    public Scan[] scans(List<List<String>> seedUris, List<String> titles, int k) {
        if (seedUris.size() != titles.size()) {
            throw new IllegalArgumentException(seedUris.size() + " seed lists but " + titles.size() + " titles");
        }
        Scan[] out = new Scan[seedUris.size()];
        Query[] block = new Query[BLOCK];
        int[] at = new int[BLOCK];
        int m = 0;
        for (int i = 0; i <= out.length; i++) {
            if (i < out.length) {
                Query q = query(seedUris.get(i), titles.get(i), k);
                if (q.done() != null) {
                    out[i] = q.done();
                    continue;
                }
                block[m] = q;
                at[m++] = i;
            }
            if (m == BLOCK || (i == out.length && m > 0)) {
                int[][] tops = topK(block, m, k);
                for (int j = 0; j < m; j++) {
                    out[at[j]] = finish(block[j], tops[j], k);
                }
                m = 0;
            }
        }
        return out;
    }

    /** Playlists whose queries one pass of {@link #scans} scores together (at most 32: a bit each per row). */
    static final int BLOCK = 8;

    /**
     * A playlist's query: its distinct known seed rows, the blended vector and the title's {@code title_tracks}
     * entry (title only), or {@code done}: the answer without a scan (no usable evidence: the most popular tracks).
     */
    private record Query(int[] seeds, float[] vector, TitleTracks.Entry titled, Scan done) {}

    private Query query(List<String> seedUris, String title, int k) {
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
            return new Query(seeds, null, null, new Scan(Arrays.copyOf(out, m), scores, true));
        }
        TitleTracks.Entry titled = known == 0 && titleVector != null && titleTracks != null
                ? titleTracks.lookup(title) : null;
        return new Query(seeds, query, titled, null);
    }

    /** The scan's answer from its top rows: their scores, and a title-only query re-ranked by its title's tracks. */
    private Scan finish(Query q, int[] top, int k) {
        float[] query = q.vector();
        float[] scores = new float[top.length];
        for (int i = 0; i < top.length; i++) {
            scores[i] = dot(query, top[i]);
        }
        if (q.titled() != null) {
            // Title only: the title's playlists' tracks with the factor model as prior (TitleTracks, as served).
            int[] mark = marks.get();
            int stamp = ++stamps.get()[0];
            for (int row : q.seeds()) {
                mark[row] = stamp;
            }
            TitleTracks.Ranked ranked = TitleTracks.rerank(top, scores, top.length, q.titled(),
                    row -> dot(query, row), row -> mark[row] != stamp, TitleTracks.DEFAULT_PSEUDO_PLAYLISTS, k);
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

    /** {@link #topK(float[], int, int[], int)} excluding the rows {@code seeds}. */
    private int[] topK(float[] q, int k, int[] seeds) {
        int[] mark = marks.get();
        int stamp = ++stamps.get()[0];
        for (int row : seeds) {
            mark[row] = stamp;
        }
        return topK(q, k, mark, stamp);
    }

    /**
     * The top k rows of each of {@code m} queries in one pass over the factors, each query's own seeds excluded:
     * {@code out[j]} equals {@code topK(queries[j].vector(), k, seeds)}. The queries sit side by side in one array
     * and four of them at a time take the row's dot products ({@link VectorUtil#dot4} with the row as the shared
     * vector: the same products, commuted, summed in the same order, so the same scores bit for bit).
     */
    private int[][] topK(Query[] queries, int m, int k) {
        float[] qs = new float[m * d];
        int[] excluded = blockMarks.get();
        ScoreHeap[] heaps = new ScoreHeap[m];
        for (int j = 0; j < m; j++) {
            System.arraycopy(queries[j].vector(), 0, qs, j * d, d);
            heaps[j] = ScoreHeap.topK(Math.min(k, n));
            for (int row : queries[j].seeds()) {
                excluded[row] |= 1 << j;
            }
        }
        float[] s = new float[4];
        int quads = m & ~3;
        try {
            for (int row = 0, off = 0; row < n; row++, off += d) {
                int skip = excluded[row];
                int j = 0;
                for (; j < quads; j += 4) {
                    VectorUtil.dot4(qs, j * d, (j + 1) * d, (j + 2) * d, (j + 3) * d, factors, off, d, s, 0);
                    offer(heaps, j, s[0], row, skip);
                    offer(heaps, j + 1, s[1], row, skip);
                    offer(heaps, j + 2, s[2], row, skip);
                    offer(heaps, j + 3, s[3], row, skip);
                }
                for (; j < m; j++) {
                    offer(heaps, j, VectorUtil.dot(qs, j * d, factors, off, d), row, skip);
                }
            }
        } finally {
            for (int j = 0; j < m; j++) {
                for (int row : queries[j].seeds()) {
                    excluded[row] = 0;
                }
            }
        }
        int[][] out = new int[m][];
        for (int j = 0; j < m; j++) {
            out[j] = heaps[j].drainBestFirst();
        }
        return out;
    }

    private static void offer(ScoreHeap[] heaps, int j, float score, int row, int skip) {
        if ((skip & (1 << j)) == 0 && heaps[j].accepts(score)) {
            heaps[j].offer(row, score);
        }
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
