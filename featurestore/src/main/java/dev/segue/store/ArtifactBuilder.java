package dev.segue.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link StoreArtifacts artifact} derived from a committed version of one feature set. Found with
 * {@link ServiceLoader}, so a module that depends on the store (the index server's HNSW graph of
 * {@code track_factors}) can supply one to a pipeline that does not depend on it: the pipeline calls
 * {@link #buildAll} with its run's versions before writing the run's snapshot, so the artifacts are in place when
 * the run's sets become latest. Without a builder on the class path nothing is built (readers build what they need).
 */
public interface ArtifactBuilder {
    /** The feature set whose versions this derives artifacts from. */
    String builtFrom();

    /** Builds (or checks) the artifact of {@code version}; returns one line for the log. */
    String build(FeatureStore store, String version) throws Exception;

    /**
     * Runs every builder on the class path for the versions given (feature set → version). A failing builder is
     * logged and skipped: an artifact only saves its readers work.
     *
     * @return one line per builder run
     */
    static List<String> buildAll(FeatureStore store, Map<String, String> versions) {
        Logger log = LoggerFactory.getLogger(ArtifactBuilder.class);
        List<String> out = new ArrayList<>();
        for (ArtifactBuilder b : ServiceLoader.load(ArtifactBuilder.class)) {
            String version = versions.get(b.builtFrom());
            if (version == null) {
                continue;
            }
            try {
                out.add(b.build(store, version));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.warn("could not build the artifact of {} {} ({}): {}; readers will build it", b.builtFrom(),
                        version, b.getClass().getSimpleName(), e.toString());
            }
        }
        return out;
    }
}
