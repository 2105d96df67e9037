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
 * @param inputs    feature set → version this version was built from (e.g. title_embeddings → track_factors),
 *                  absent when none was recorded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int formatVersion, String featureSet, String version, long sequence, String createdAt,
                       String parent, String producer, Map<String, String> parameters, FeatureSetSchema schema,
                       String entityKey, String eventTimestamp, long rowCount, String compression,
                       Map<String, ColumnStats> stats, List<FileEntry> files, FileEntry keyIndex,
                       Map<String, String> inputs) {

    public static final int FORMAT_VERSION = 1;

    @JsonIgnore
    public Instant created() {
        return Instant.parse(createdAt);
    }

    /**
     * The version of {@code set} this one was built from: from {@link #inputs}, else from the older
     * {@code <set>_version} parameter convention; null when not recorded.
     */
    public String builtFrom(String set) {
        if (inputs != null && inputs.get(set) != null) {
            return inputs.get(set);
        }
        return parameters == null ? null : parameters.get(set + "_version");
    }

    /** The run that wrote this version (parameter {@value WriteOptions#RUN}), or null for a write outside a run. */
    @JsonIgnore
    public String run() {
        return parameters == null ? null : parameters.get(WriteOptions.RUN);
    }

    @JsonIgnore
    public long totalBytes() {
        return files.stream().mapToLong(FileEntry::size).sum() + (keyIndex == null ? 0 : keyIndex.size());
    }
}
