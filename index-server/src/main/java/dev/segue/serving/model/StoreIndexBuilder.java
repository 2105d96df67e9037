package dev.segue.serving.model;

import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.FactorMatrix;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.index.IndexArtifacts;
import dev.segue.serving.index.MipsIndex;
import dev.segue.store.ArtifactBuilder;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.StoreArtifacts;
import dev.segue.store.Table;
import java.nio.file.Path;

/**
 * Builds the HNSW index artifact of a {@code track_factors} version offline: {@code segue index build}, and the
 * continuation pipeline before its snapshot (found there as an {@link ArtifactBuilder} through
 * {@code META-INF/services}, with the serving defaults M={@value HnswParams#DEFAULT_M},
 * efConstruction={@value HnswParams#DEFAULT_EF_CONSTRUCTION} and all cores).
 */
public final class StoreIndexBuilder implements ArtifactBuilder {
    @Override
    public String builtFrom() {
        return StoreModelLoader.FACTORS;
    }

    @Override
    public String build(FeatureStore store, String version) throws Exception {
        return build(store, null, version, HnswParams.defaults(), Runtime.getRuntime().availableProcessors(),
                BuildProgress.NONE, false).source();
    }

    /**
     * Makes sure {@code version}'s artifact for {@code params} exists and matches its factors: loads and checks
     * it, else (missing, refused, or {@code force}) builds and saves it.
     *
     * @param artifactsDir null for the store's own {@code _artifacts}
     */
    public static IndexArtifacts.Loaded build(FeatureStore store, Path artifactsDir, String version, HnswParams params,
                                              int threads, BuildProgress progress, boolean force) throws Exception {
        String resolved = store.manifest(StoreModelLoader.FACTORS, version).version();
        FactorMatrix factors = readFactors(store, resolved);
        // the store's own artifacts through its file IO (uploaded to an hdfs:// store, not only to the local copy)
        IndexArtifacts artifacts = artifactsDir != null ? new IndexArtifacts(artifactsDir)
                : IndexArtifacts.of(StoreArtifacts.of(store));
        if (!force) {
            return artifacts.loadOrBuild(StoreModelLoader.FACTORS, resolved, factors, params, threads, progress,
                    Cancellation.NEVER);
        }
        long start = System.nanoTime();
        MipsIndex index = MipsIndex.build(factors, params, threads, progress, Cancellation.NEVER);
        long millis = (System.nanoTime() - start) / 1_000_000;
        Path file = artifacts.save(index, StoreModelLoader.FACTORS, resolved).file();
        return new IndexArtifacts.Loaded(index, false, millis, file, "built in " + millis + " ms: --force");
    }

    static FactorMatrix readFactors(FeatureStore store, String version) {
        try (FeatureSetReader reader = store.read(StoreModelLoader.FACTORS, version)) {
            Table t = reader.readAll("factors");
            boolean[] valid = t.validity("factors");
            if (valid != null) {
                for (int r = 0; r < valid.length; r++) {
                    if (!valid[r]) {
                        throw new IllegalArgumentException(StoreModelLoader.FACTORS + " " + version + " row " + r
                                + ": factors is null");
                    }
                }
            }
            return new FactorMatrix(t.embeddings("factors"), t.rows(), t.dim("factors"));
        }
    }
}
