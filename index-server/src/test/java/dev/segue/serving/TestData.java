package dev.segue.serving;

import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.model.ModelManager;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.model.StoreModelLoader;
import java.nio.file.Path;

/** Small synthetic stores written through the feature-store API, and models loaded from them. */
public final class TestData {
    public static final HnswParams PARAMS = new HnswParams(16, 100, 100, 3.0);

    private TestData() {}

    public static SyntheticCatalog catalog() {
        return new SyntheticCatalog(2000, 16, 10, 42);
    }

    public static StoreModelLoader loader(Path store) {
        return new StoreModelLoader(store, null, PARAMS, 2, null, null);
    }

    public static ServingModel load(Path store, String version) throws Exception {
        StoreModelLoader loader = loader(store);
        return loader.load(loader.resolveVersion(version), BuildProgress.NONE, Cancellation.NEVER);
    }

    /** A manager already serving the newest version of the store. */
    public static ModelManager manager(Path store) throws Exception {
        ModelManager models = new ModelManager(loader(store));
        models.reload(null, BuildProgress.NONE, Cancellation.NEVER);
        return models;
    }
}
