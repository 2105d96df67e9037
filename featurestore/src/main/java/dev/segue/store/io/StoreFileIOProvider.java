package dev.segue.store.io;

import java.util.Set;

/**
 * Makes {@link StoreFileIO}s for some URI schemes; implementations are listed in
 * {@code META-INF/services/dev.segue.store.io.StoreFileIOProvider} and found by {@link StoreFileIOs#forRoot}.
 */
public interface StoreFileIOProvider {
    /** The schemes served, lower case ({@code hdfs}, {@code s3a}). */
    Set<String> schemes();

    /**
     * A file IO for the store rooted at {@code root}; checks that the file system is reachable and throws a
     * {@link dev.segue.store.StoreException} with one line naming the root if not.
     */
    StoreFileIO open(Location root);
}
