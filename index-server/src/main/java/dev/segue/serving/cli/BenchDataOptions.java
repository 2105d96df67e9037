package dev.segue.serving.cli;

import dev.segue.serving.bench.BenchData;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where benchmark factors come from: a store's track_factors, or a synthetic clustered set. */
final class BenchDataOptions {
    @Option(names = "--store", paramLabel = "DIR", description = "feature store with track_factors (e.g. of the medium preset)")
    Path store;

    @Option(names = "--data-version", paramLabel = "V", description = "track_factors version (default: newest)")
    String version;

    @Option(names = "--synthetic", paramLabel = "N", description = "use N synthetic clustered tracks instead of a store")
    Integer synthetic;

    @Option(names = "--dim", defaultValue = "64", description = "synthetic dimensions (default: ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--clusters", description = "synthetic clusters (default: N/1000)")
    Integer clusters;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    void check() {
        if ((store == null) == (synthetic == null)) {
            throw new IllegalArgumentException("give either --store DIR or --synthetic N");
        }
        if (synthetic != null && (synthetic < 10 || dim < 1)) {
            throw new IllegalArgumentException("--synthetic needs N >= 10 and --dim >= 1");
        }
    }

    int clusters() {
        return clusters != null ? clusters : Math.max(1, synthetic / 1000);
    }

    BenchData load(int queries) {
        check();
        return synthetic != null ? BenchData.synthetic(synthetic, dim, clusters(), queries, seed)
                : BenchData.fromStore(store, version, queries, seed);
    }
}
