package dev.segue.serving.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saved graphs, keyed by the feature set and version they were built from and the build parameters:
 * {@code <dir>/<feature set>/<version>/hnsw-m<M>-efc<efConstruction>.graph}. A restart on the same data
 * loads the graph instead of rebuilding it; a stale or corrupt file is rebuilt and replaced.
 */
public final class IndexCache {
    private static final Logger LOG = LoggerFactory.getLogger(IndexCache.class);
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");

    private final Path dir;

    /** {@code dir == null} disables saving and loading (always build). */
    public IndexCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String featureSet, String version, HnswParams params) {
        if (dir == null) {
            throw new IllegalStateException("the index cache is disabled");
        }
        return dir.resolve(safe(featureSet)).resolve(safe(version))
                .resolve("hnsw-m" + params.m() + "-efc" + params.efConstruction() + ".graph");
    }

    /** How the index in a {@link Loaded} came to be. */
    public record Loaded(MipsIndex index, boolean fromDisk, long millis, Path file) {}

    /** Loads the saved graph for this data and parameters, or builds (and saves) it. */
    public Loaded loadOrBuild(String featureSet, String version, FactorMatrix factors, HnswParams params,
                              int threads, BuildProgress progress, Cancellation cancel) throws InterruptedException {
        String key = featureSet + "@" + version;
        Path file = dir == null ? null : file(featureSet, version, params);
        if (file != null && Files.isRegularFile(file)) {
            long start = System.nanoTime();
            try {
                MipsIndex index = MipsIndex.load(file, factors, key, params);
                return new Loaded(index, true, (System.nanoTime() - start) / 1_000_000, file);
            } catch (MipsIndex.StaleIndexException e) {
                LOG.warn("saved graph is stale, rebuilding: {}", e.getMessage());
            } catch (IOException | RuntimeException e) {
                LOG.warn("saved graph {} cannot be read, rebuilding: {}", file, e.toString());
            }
        }
        long start = System.nanoTime();
        MipsIndex index = MipsIndex.build(factors, params, threads, progress, cancel);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (file != null) {
            try {
                index.save(file, key);
            } catch (IOException e) {
                // Serving does not depend on the cache; the next start rebuilds.
                LOG.warn("could not save the graph to {}: {}", file, e.toString());
            }
        }
        return new Loaded(index, false, millis, file);
    }

    private static String safe(String name) {
        if (!SAFE.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("name not usable as a cache folder: \"" + name + "\"");
        }
        return name;
    }
}
