package dev.segue.serving;

import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.bench.SyntheticRanker;
import java.nio.file.Path;
import java.util.List;

/** A synthetic store with a ranker ({@link SyntheticRanker}) at the tests' index parameters. */
public final class RankedStore {
    public static final dev.segue.ranking.RankerModel.Params PARAMS = SyntheticRanker.PARAMS;

    private RankedStore() {}

    public static String write(Path root, SyntheticCatalog synthetic) {
        return SyntheticRanker.write(root, synthetic);
    }

    public static List<String> uris(int[] tracks) {
        return SyntheticRanker.uris(tracks);
    }

    public static String train(Path root, SyntheticCatalog synthetic, String factorsVersion, String version)
            throws Exception {
        return SyntheticRanker.train(root, synthetic, factorsVersion, version, TestData.PARAMS, null);
    }
}
