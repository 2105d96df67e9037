package dev.segue.store;

/**
 * A file of a version, relative to the version folder, with its size and CRC32C checksum (hex).
 * For part files {@code rows} is the row count and {@code batchRows} the rows per record batch.
 */
public record FileEntry(String path, long rows, int batchRows, long size, String crc32c) implements java.io.Serializable {
}
