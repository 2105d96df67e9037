package dev.segue.pipelines.quality;

import dev.segue.als.FoldIn;
import dev.segue.format.FeatureSetContracts.TitleEmbeddings;
import dev.segue.format.FeatureSetContracts.TrackFactors;
import dev.segue.format.FeatureSetContracts.TrackStats;
import dev.segue.pipelines.continuation.FeatureSets;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import dev.segue.titles.TitleVectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A quick quality check of a continuation run on held-out playlists: track-level R-precision of the fold-in
 * ranking (the {@link FoldIn} row solve over {@code track_factors}, as the server does), of the title-only
 * ranking ({@link TitleVectors} over {@code title_embeddings}) and of the most-popular ranking
 * ({@code track_stats}), seeds excluded. This is a pipeline smoke gate, not the evaluator: the official
 * RecSys metrics (artist credit, NDCG, clicks) live in the client's {@code dev.segue.metrics}.
 */
public final class HoldoutRPrecision {
    /** A held-out playlist: its title (may be null), the seed tracks given and the tracks to recover. */
    public record Case(String title, List<String> seedUris, List<String> heldOutUris) {}

    /** Mean track-level R-precision of each ranking; the title means are over cases with a known title. */
    public record Result(int cases, double foldIn, double popularity, int titleCases, double title,
            double titlePopularity) {}

    private final Map<String, Integer> idOf = new HashMap<>();
    private final int[] byPopularity;
    private final FoldIn foldIn;
    private final TitleVectors titles;
    private final float[] factors;
    private final int dim;

    public HoldoutRPrecision(Map<String, Integer> idOf, int[] byPopularity, FoldIn foldIn, TitleVectors titles,
            float[] factors, int dim) {
        this.idOf.putAll(idOf);
        this.byPopularity = byPopularity;
        this.foldIn = foldIn;
        this.titles = titles;
        this.factors = factors;
        this.dim = dim;
    }

    /** Loads the latest {@code track_factors}, {@code track_stats} and {@code title_embeddings} of a store. */
    public static HoldoutRPrecision fromStore(Path root) {
        FeatureStore store = FeatureStore.open(root);
        Map<String, Integer> idOf = new HashMap<>();
        float[] factors;
        int dim;
        FoldIn foldIn;
        try (FeatureSetReader r = store.read(FeatureSets.TRACK_FACTORS)) {
            Table t = r.readAll(List.of(TrackFactors.TRACK_ID, TrackFactors.TRACK_URI, TrackFactors.FACTORS));
            int[] ids = t.ints(TrackFactors.TRACK_ID);
            String[] uris = t.strings(TrackFactors.TRACK_URI);
            dim = t.dim(TrackFactors.FACTORS);
            float[] rows = t.embeddings(TrackFactors.FACTORS);
            factors = new float[ids.length * dim];
            for (int i = 0; i < ids.length; i++) {
                idOf.put(uris[i], ids[i]);
                System.arraycopy(rows, i * dim, factors, ids[i] * dim, dim);
            }
            foldIn = FoldIn.fromParameters(factors, dim, r.manifest().parameters());
        }
        int[] byPopularity;
        try (FeatureSetReader r = store.read(FeatureSets.TRACK_STATS)) {
            Table t = r.readAll(List.of(TrackStats.TRACK_ID, TrackStats.POPULARITY_RANK));
            int[] ids = t.ints(TrackStats.TRACK_ID);
            int[] rank = t.ints("popularity_rank");
            byPopularity = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                byPopularity[rank[i]] = ids[i];
            }
        }
        TitleVectors titles;
        try (FeatureSetReader r = store.read(FeatureSets.TITLE_EMBEDDINGS)) {
            Table t = r.readAll(List.of(TitleEmbeddings.KEY, TitleEmbeddings.KIND, TitleEmbeddings.COUNT,
                    TitleEmbeddings.VECTOR));
            titles = new TitleVectors(t.strings(TitleEmbeddings.KEY), t.strings(TitleEmbeddings.KIND),
                    t.longs(TitleEmbeddings.COUNT), t.embeddings(TitleEmbeddings.VECTOR), t.dim(TitleEmbeddings.VECTOR));
        }
        return new HoldoutRPrecision(idOf, byPopularity, foldIn, titles, factors, dim);
    }

    public Result evaluate(List<Case> cases) {
        double fold = 0, pop = 0, title = 0, titlePop = 0;
        int n = 0, titled = 0;
        for (Case c : cases) {
            Set<Integer> seeds = ids(c.seedUris());
            Set<Integer> truth = ids(c.heldOutUris());
            truth.removeAll(seeds);
            if (truth.isEmpty()) {
                continue;
            }
            int k = truth.size();
            double p = rPrecision(popular(seeds, k), truth);
            if (!seeds.isEmpty()) {
                int[] seedIds = seeds.stream().mapToInt(Integer::intValue).toArray();
                fold += rPrecision(top(foldIn.userVector(seedIds), seeds, k), truth);
                pop += p;
                n++;
            }
            if (c.title() != null) {
                float[] q = titles.vector(c.title());
                if (q != null) {
                    title += rPrecision(top(q, seeds, k), truth);
                    titlePop += p;
                    titled++;
                }
            }
        }
        return new Result(n, n == 0 ? 0 : fold / n, n == 0 ? 0 : pop / n, titled, titled == 0 ? 0 : title / titled,
                titled == 0 ? 0 : titlePop / titled);
    }

    private Set<Integer> ids(List<String> uris) {
        Set<Integer> out = new HashSet<>();
        for (String u : uris) {
            Integer id = idOf.get(u);
            if (id != null) {
                out.add(id);
            }
        }
        return out;
    }

    private List<Integer> popular(Set<Integer> seeds, int k) {
        List<Integer> out = new ArrayList<>(k);
        for (int i = 0; i < byPopularity.length && out.size() < k; i++) {
            if (!seeds.contains(byPopularity[i])) {
                out.add(byPopularity[i]);
            }
        }
        return out;
    }

    /** The k best tracks by inner product with {@code q}, seeds excluded (a partial selection sort on a small heap). */
    private List<Integer> top(float[] q, Set<Integer> seeds, int k) {
        int n = factors.length / dim;
        int[] heap = new int[k];
        double[] score = new double[k];
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (seeds.contains(i)) {
                continue;
            }
            double s = 0;
            int off = i * dim;
            for (int a = 0; a < dim; a++) {
                s += q[a] * factors[off + a];
            }
            if (size < k) {
                heap[size] = i;
                score[size] = s;
                size++;
                for (int j = size - 1; j > 0 && score[(j - 1) / 2] > score[j]; j = (j - 1) / 2) {
                    swap(heap, score, j, (j - 1) / 2);
                }
            } else if (s > score[0]) {
                heap[0] = i;
                score[0] = s;
                for (int j = 0;;) {
                    int l = 2 * j + 1, r = l + 1, m = j;
                    if (l < k && score[l] < score[m]) {
                        m = l;
                    }
                    if (r < k && score[r] < score[m]) {
                        m = r;
                    }
                    if (m == j) {
                        break;
                    }
                    swap(heap, score, j, m);
                    j = m;
                }
            }
        }
        List<Integer> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(heap[i]);
        }
        return out;
    }

    private static void swap(int[] h, double[] s, int a, int b) {
        int t = h[a];
        h[a] = h[b];
        h[b] = t;
        double u = s[a];
        s[a] = s[b];
        s[b] = u;
    }

    private static double rPrecision(List<Integer> ranked, Set<Integer> truth) {
        int hits = 0;
        for (int i = 0; i < Math.min(ranked.size(), truth.size()); i++) {
            if (truth.contains(ranked.get(i))) {
                hits++;
            }
        }
        return (double) hits / truth.size();
    }
}
