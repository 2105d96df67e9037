package dev.segue.serving.model;

import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;

/** Produces a {@link ServingModel} for a data version. */
public interface ModelLoader {
    /**
     * The version a request names, or the newest committed version for null/empty.
     *
     * @throws VersionNotFoundException no such version (or nothing committed yet)
     */
    String resolveVersion(String requested) throws VersionNotFoundException;

    /** Loads the data and builds (or loads the saved) graph; must not touch the model being served. */
    ServingModel load(String version, BuildProgress progress, Cancellation cancel) throws Exception;

    /** Where the data comes from, for status output. */
    String source();

    /** The requested version does not exist. */
    final class VersionNotFoundException extends Exception {
        private static final long serialVersionUID = 1L;

        public VersionNotFoundException(String message) {
            super(message);
        }
    }
}
