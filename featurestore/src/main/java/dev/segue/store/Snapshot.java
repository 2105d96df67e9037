package dev.segue.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;

/**
 * A store-level record that one run's outputs are complete: the feature-set versions the run produced, written
 * last, atomically, as {@code ROOT/_snapshots/s000001.json} once every one of them is committed. Readers take
 * "latest" from the newest snapshot listing a set, so a run killed between two commits is never half visible.
 *
 * @param sequence    commit order of snapshots; the id is derived from it
 * @param createdAt   ISO-8601 instant at which the record was written
 * @param run         the run id every listed version carries in its {@value WriteOptions#RUN} parameter
 * @param producer    what wrote the run (e.g. segue-continuation)
 * @param featureSets feature set name → version id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Snapshot(int formatVersion, String id, long sequence, String createdAt, String run, String producer,
                       Map<String, String> featureSets) {

    public static final int FORMAT_VERSION = 1;

    @JsonIgnore
    public Instant created() {
        return Instant.parse(createdAt);
    }

    /** The version of {@code name} in this snapshot, or null. */
    public String version(String name) {
        return featureSets == null ? null : featureSets.get(name);
    }
}
