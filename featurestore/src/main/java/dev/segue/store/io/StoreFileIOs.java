package dev.segue.store.io;

import dev.segue.store.StoreException;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds the {@link StoreFileIO} for a store root by its scheme: local paths here, others through providers. */
public final class StoreFileIOs {
    private StoreFileIOs() {
    }

    /** Whether {@code root} names a local folder (no scheme, or {@code file:}). */
    public static boolean isLocal(String root) {
        String scheme = Location.schemeOf(root);
        return scheme == null || scheme.equals("file");
    }

    /**
     * A store root as every process of a pipeline can use it: a local path made absolute ({@code file:} URIs
     * become plain paths), a URI ({@code hdfs://nn:8020/store}) as given. Never {@code Paths.get} on a URI, which
     * would read {@code hdfs://nn/store} as the relative local path {@code hdfs:/nn/store}.
     */
    public static String absolute(String root) {
        return isLocal(root) ? LocalFileIO.path(Location.of(root)).toAbsolutePath().toString() : Location.of(root).toString();
    }

    /**
     * The file IO for the store at {@code root}.
     *
     * @throws StoreException naming the root when no provider on the class path serves its scheme, or the file
     *                        system cannot be reached
     */
    public static StoreFileIO forRoot(Location root) {
        String scheme = root.scheme();
        if (scheme == null || scheme.equals("file")) {
            return LocalFileIO.INSTANCE;
        }
        TreeSet<String> known = new TreeSet<>(List.of("file"));
        List<StoreFileIOProvider> providers = new ArrayList<>();
        ServiceLoader.load(StoreFileIOProvider.class).forEach(providers::add);
        for (StoreFileIOProvider p : providers) {
            if (p.schemes().contains(scheme)) {
                return p.open(root);
            }
            known.addAll(p.schemes());
        }
        throw new StoreException("store " + root + ": no file system for scheme '" + scheme + "' (this program has "
                + known + (known.contains("hdfs") ? "" : "; hdfs:// needs segue-featurestore-hadoop on the class path")
                + (known.contains("s3") ? "" : "; s3:// needs segue-featurestore-s3 on the class path") + ")");
    }
}
