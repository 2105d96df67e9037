package dev.segue.serving.cli;

import dev.segue.cli.ProgressMeter;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.index.IndexArtifacts;
import dev.segue.serving.model.StoreIndexBuilder;
import dev.segue.store.FeatureStore;
import dev.segue.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code segue index build}: writes the HNSW graph of a {@code track_factors} version as the store's index
 * artifact, so that {@code segue serve} and Reload load it instead of building it.
 */
@Command(name = "build", sortOptions = false,
        description = {"Build the HNSW index artifact of a track_factors version (<store>/_artifacts), so that",
                "segue serve and Reload load it in seconds. An artifact already there is checked against the",
                "factors (version, rows, dimension, M/efConstruction, CRC32C) and kept, or refused and rebuilt."})
public final class IndexBuildCommand implements Callable<Integer> {
    // --version (the program version) is added to every command by dev.segue.cli.CliConvention.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "DIR", required = true, description = "the feature store")
    Path store;

    @Option(names = "--data-version", paramLabel = "V", defaultValue = "latest",
            description = "track_factors version (default: ${DEFAULT-VALUE})")
    String version;

    @Option(names = "--m", defaultValue = "" + HnswParams.DEFAULT_M,
            description = "M, as segue serve --m (default: ${DEFAULT-VALUE})")
    int m;

    @Option(names = "--ef-construction", defaultValue = "" + HnswParams.DEFAULT_EF_CONSTRUCTION,
            description = "efConstruction, as segue serve --ef-construction (default: ${DEFAULT-VALUE})")
    int efConstruction;

    @Option(names = "--threads", description = "build threads (default: all cores)")
    Integer threads;

    @Option(names = "--index-artifacts", paramLabel = "DIR",
            description = "keep the artifact here instead of <store>/_artifacts (as segue serve --index-artifacts)")
    Path artifacts;

    @Option(names = "--force", description = "rebuild even when a matching artifact exists")
    boolean force;

    @Override
    public Integer call() throws Exception {
        HnswParams params;
        try {
            params = new HnswParams(m, efConstruction, HnswParams.DEFAULT_EF, HnswParams.DEFAULT_EF_FACTOR);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + threads);
        }
        if (!Files.isDirectory(store)) {
            throw new ParameterException(spec.commandLine(), "--store " + store + " is not a folder");
        }
        FeatureStore fs = FeatureStore.open(store);
        IndexArtifacts.Loaded loaded;
        try (ProgressMeter progress = ProgressMeter.start("HNSW build", 0, "items", true)) {
            loaded = StoreIndexBuilder.build(fs, artifacts, version, params,
                    threads == null ? Runtime.getRuntime().availableProcessors() : threads, progress::update, force);
        } catch (StoreException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        System.out.printf("track_factors: %d rows x %d dims; M=%d efConstruction=%d; %s%n",
                loaded.index().factors().rows(), loaded.index().factors().dim(), m, efConstruction, loaded.source());
        System.out.println("artifact: " + (loaded.file() == null ? "not saved (see the log)" : loaded.file()));
        return loaded.file() == null ? 1 : 0;
    }
}
