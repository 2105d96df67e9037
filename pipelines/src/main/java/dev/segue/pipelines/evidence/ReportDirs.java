package dev.segue.pipelines.evidence;

import dev.segue.pipelines.InputPaths;
import dev.segue.store.io.StoreFileIOs;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where a run's evidence goes (report folders, dead-letter files): always a local or mounted path, written with
 * {@code java.nio.file} (atomic renames, see {@link DeadLetterFiles}), also when the store is on another file
 * system. Never {@code Paths.get} on a URI: {@code Paths.get("hdfs://nn/r")} is the relative path {@code hdfs:/nn/r}.
 */
public final class ReportDirs {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReportDirs.class);

    private ReportDirs() {}

    /**
     * {@code value} of {@code option} as an absolute local path ({@code file:} URIs included).
     *
     * @throws IllegalArgumentException one line naming the option and value when it is on another file system
     */
    public static Path local(String option, String value) {
        String scheme = InputPaths.scheme(value);
        if (scheme != null && !scheme.equals("file")) {
            throw new IllegalArgumentException(option + " " + value + ": reports and dead letters are written to a "
                    + "local or mounted folder, not to " + scheme + "://");
        }
        return Paths.get(StoreFileIOs.absolute(value));
    }

    /**
     * The report folder of a run: {@code --reportDir} when given (local, see {@link #local}); else {@code name}
     * beside a local store; else, for a store on another file system ({@code hdfs://…}), {@code name} in the
     * JVM's working directory (logged).
     */
    public static Path of(String reportDir, String store, String name) {
        if (reportDir != null && !reportDir.isBlank()) {
            return local("--reportDir", reportDir);
        }
        if (StoreFileIOs.isLocal(store)) {
            return Paths.get(StoreFileIOs.absolute(store)).resolveSibling(name);
        }
        Path here = Paths.get(name).toAbsolutePath();
        LOG.info("the store {} is not a local folder: the run's report goes to {} (--reportDir chooses another)",
                store, here);
        return here;
    }
}
