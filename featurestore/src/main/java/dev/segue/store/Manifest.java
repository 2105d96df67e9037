package dev.segue.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The committed description of one immutable version: written last, atomically, as {@code manifest.json} in the
 * version folder. A version without a manifest does not exist.
 *
 * @param sequence  commit-order number; the version id is derived from it
 * @param createdAt ISO-8601 instant at which the manifest was committed (time travel uses it)
 * @param parent    the version that was latest when this one was committed, or null
 * @param keyIndex  the sorted key index file (key, event time, row), checksummed like the parts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int formatVersion, String featureSet, String version, long sequence, String createdAt,
                       String parent, String producer, Map<String, String> parameters, FeatureSetSchema schema,
                       String entityKey, String eventTimestamp, long rowCount, String compression,
                       Map<String, ColumnStats> stats, List<FileEntry> files, FileEntry keyIndex) {

    public static final int FORMAT_VERSION = 1;

    @JsonIgnore
    public Instant created() {
        return Instant.parse(createdAt);
    }

    @JsonIgnore
    public long totalBytes() {
        return files.stream().mapToLong(FileEntry::size).sum() + (keyIndex == null ? 0 : keyIndex.size());
    }
}
