package dev.segue.serving.bench;

import dev.segue.als.FoldIn;
import dev.segue.format.FeatureSetContracts.PlaylistFactors;
import dev.segue.format.FeatureSetContracts.TrackFactors;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.Candidates;
import dev.segue.serving.index.ExactScan;
import dev.segue.serving.index.FactorMatrix;
import dev.segue.serving.index.RowFilter;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Factors and realistic query vectors for the benchmarks: from a store's {@code track_factors} (queries are
 * {@code playlist_factors} rows, the training's own playlist vectors, or else fold-ins of coherent seed sets)
 * or from a {@link SyntheticCatalog}.
 */
public record BenchData(String description, String version, FactorMatrix factors, List<float[]> queries) {

    public static BenchData synthetic(int n, int dim, int clusters, int queries, long seed) {
        SyntheticCatalog c = new SyntheticCatalog(n, dim, clusters, seed);
        SplittableRandom r = new SplittableRandom(seed + 1);
        List<float[]> q = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            q.add(c.query(r));
        }
        return new BenchData(String.format("synthetic clustered factors: %d tracks x %d dims, %d clusters, seed %d",
                n, dim, clusters, seed), String.format("synthetic-n%d-d%d-c%d-s%d", n, dim, clusters, seed),
                c.factors(), q);
    }

    public static BenchData fromStore(Path root, String version, int queries, long seed) {
        FeatureStore store = FeatureStore.open(root);
        FactorMatrix factors;
        String resolved;
        FoldIn foldIn;
        try (FeatureSetReader r = store.read(TrackFactors.NAME, version == null ? "latest" : version)) {
            Table t = r.readAll(TrackFactors.FACTORS);
            factors = new FactorMatrix(t.embeddings(TrackFactors.FACTORS), t.rows(), t.dim(TrackFactors.FACTORS));
            resolved = r.version();
            foldIn = FoldIn.fromParameters(factors.values(), factors.dim(), r.manifest().parameters());
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> q = new ArrayList<>();
        String source;
        if (!store.versions(PlaylistFactors.NAME).isEmpty()) {
            try (FeatureSetReader r = store.read(PlaylistFactors.NAME)) {
                Table t = r.readAll(PlaylistFactors.FACTORS);
                if (t.dim(PlaylistFactors.FACTORS) != factors.dim()) {
                    throw new IllegalArgumentException("playlist_factors has dimension " + t.dim(PlaylistFactors.FACTORS)
                            + ", track_factors " + factors.dim());
                }
                float[] all = t.embeddings(PlaylistFactors.FACTORS);
                int d = factors.dim();
                for (int i = 0; i < queries; i++) {
                    int row = random.nextInt(t.rows());
                    float[] v = new float[d];
                    System.arraycopy(all, row * d, v, 0, d);
                    q.add(v);
                }
                source = "playlist_factors " + r.version() + " rows";
            }
        } else {
            ExactScan exact = new ExactScan(factors);
            for (int i = 0; i < queries; i++) {
                int anchor = random.nextInt(factors.rows());
                Candidates near = exact.search(factors.row(anchor), 100, RowFilter.ALL, Cancellation.NEVER);
                int[] seeds = new int[10];
                seeds[0] = anchor;
                for (int s = 1; s < seeds.length; s++) {
                    seeds[s] = near.ids()[random.nextInt(near.size())];
                }
                q.add(foldIn.userVector(seeds));
            }
            source = "fold-ins of 10 seeds (a random track and 9 of its 100 nearest)";
        }
        return new BenchData(String.format("track_factors %s of %s: %d tracks x %d dims; queries: %s", resolved,
                store.root(), factors.rows(), factors.dim(), source), resolved, factors, q);
    }
}
