package dev.segue.store.io;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.util.List;

/**
 * The store's file system: everything the store does to files, so that the store core never names
 * {@code java.nio.file} or Hadoop (Apache Iceberg's {@code FileIO} is the model). The local implementation is
 * {@link LocalFileIO}; others (HDFS in {@code segue-featurestore-hadoop}) are found by scheme through
 * {@link StoreFileIOProvider} and {@link StoreFileIOs#forRoot}.
 * <p>
 * Missing files are reported as {@link java.nio.file.NoSuchFileException}, existing targets of a create as
 * {@link java.nio.file.FileAlreadyExistsException}, whatever the implementation.
 */
public interface StoreFileIO {
    /** A child of a listed folder. */
    record Entry(String name, boolean directory, long size, Instant modified) {
    }

    /** The scheme this file IO serves ({@code file}, {@code hdfs}, …), for messages. */
    String scheme();

    /**
     * Whether a folder rename is atomic and fails when the target exists (POSIX {@code rename(2)}): then a version
     * becomes visible by renaming its staging folder. Otherwise the store commits by a marker: parts under their
     * final names first, the manifest written last as a single whole file (FORMAT.md, "Commit protocol").
     */
    boolean atomicFolderRename();

    /** Opens a file for positioned reads (Arrow reads a part's footer first). */
    SeekableByteChannel openRead(Location file) throws IOException;

    /** Size of a file in bytes. */
    long length(Location file) throws IOException;

    /**
     * Creates a new file (failing if it exists; parent folders are created) for sequential writing. {@code close()}
     * makes the bytes durable (fsync locally, hsync on HDFS) before it returns.
     */
    WritableByteChannel create(Location file) throws IOException;

    /** Creates an empty marker file (and its parent folders), without waiting for it to be durable. */
    void touch(Location file) throws IOException;

    /**
     * Writes a small file so that no reader ever sees it partially written. With {@code replace} an existing file is
     * replaced (a reader sees the old or the new bytes; remote file systems may show neither for an instant);
     * without it the write fails — returns false — if the file exists, which is how writers race for a number.
     */
    boolean writeWhole(Location file, byte[] bytes, boolean replace) throws IOException;

    /** The children of a folder, in no particular order; empty if the folder does not exist. */
    List<Entry> list(Location dir) throws IOException;

    boolean exists(Location path) throws IOException;

    boolean isDirectory(Location path) throws IOException;

    /** Creates a folder and its parents (no-op if it exists). */
    void mkdirs(Location dir) throws IOException;

    /** Deletes a file or an empty folder; false if it did not exist. */
    boolean delete(Location path) throws IOException;

    /** Deletes a folder and everything under it (no-op if missing). */
    void deleteTree(Location dir) throws IOException;

    /**
     * Renames a file or folder; returns false, renaming nothing, if the target exists (a folder rename onto a
     * non-empty folder included). Atomic for folders only where {@link #atomicFolderRename()} says so.
     */
    boolean rename(Location from, Location to) throws IOException;

    /** Makes a folder's entries durable (fsync of the directory locally; a no-op where the namenode does it). */
    void syncFolder(Location dir);

    /** Last modification time of a file or folder. */
    Instant modified(Location path) throws IOException;
}
