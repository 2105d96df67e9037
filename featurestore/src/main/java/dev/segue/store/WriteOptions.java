package dev.segue.store;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a version is written: producer name and String parameters recorded in the manifest, ZSTD compression,
 * rows per part file and rows per Arrow record batch.
 * <pre>WriteOptions.producer("als").param("alpha", "40").compression(true)</pre>
 */
public final class WriteOptions implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int DEFAULT_PART_ROWS = 1 << 20;
    public static final int DEFAULT_BATCH_ROWS = 1 << 16;
    /** Parameter naming the run a version belongs to; such a version is visible once a snapshot lists it. */
    public static final String RUN = "segue.run";

    private String producer = "unknown";
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, String> inputs = new LinkedHashMap<>();
    private boolean compression = true;
    private int zstdLevel = 1;
    private int partRows = DEFAULT_PART_ROWS;
    private int batchRows = DEFAULT_BATCH_ROWS;

    public static WriteOptions producer(String producer) {
        return new WriteOptions().withProducer(producer);
    }

    public static WriteOptions defaults() {
        return new WriteOptions();
    }

    public WriteOptions withProducer(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("producer must not be blank");
        }
        this.producer = name;
        return this;
    }

    public WriteOptions param(String key, String value) {
        parameters.put(key, String.valueOf(value));
        return this;
    }

    public WriteOptions params(Map<String, String> values) {
        values.forEach(this::param);
        return this;
    }

    /**
     * Marks the version as one output of run {@code runId} (see {@link FeatureStore#newRun()}): it becomes
     * "latest" only when {@link FeatureStore#commitRun} writes the run's snapshot.
     */
    public WriteOptions run(String runId) {
        return param(RUN, runId);
    }

    /** Records that this version is built from {@code version} of feature set {@code set} (manifest "inputs"). */
    public WriteOptions input(String set, String version) {
        inputs.put(set, version);
        return this;
    }

    /** ZSTD-compress record batch buffers (default true). */
    public WriteOptions compression(boolean enabled) {
        this.compression = enabled;
        return this;
    }

    /** ZSTD level (default 1: fast, most of the gain on float data comes from any level). */
    public WriteOptions zstdLevel(int level) {
        this.zstdLevel = level;
        return this;
    }

    /** Upper bound on rows per part file (default 1,048,576). */
    public WriteOptions partRows(int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("partRows must be positive");
        }
        this.partRows = rows;
        return this;
    }

    /** Rows per Arrow record batch inside a part (default 65,536); point lookups decode one batch. */
    public WriteOptions batchRows(int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("batchRows must be positive");
        }
        this.batchRows = rows;
        return this;
    }

    /** An independent copy (options are mutable builders). */
    public WriteOptions copy() {
        WriteOptions o = new WriteOptions();
        o.producer = producer;
        o.parameters.putAll(parameters);
        o.inputs.putAll(inputs);
        o.compression = compression;
        o.zstdLevel = zstdLevel;
        o.partRows = partRows;
        o.batchRows = batchRows;
        return o;
    }

    public String producer() {
        return producer;
    }

    public Map<String, String> parameters() {
        return Map.copyOf(parameters);
    }

    Map<String, String> inputs() {
        return Map.copyOf(inputs);
    }

    public boolean compression() {
        return compression;
    }

    public int zstdLevel() {
        return zstdLevel;
    }

    public int partRows() {
        return partRows;
    }

    public int batchRows() {
        return Math.min(batchRows, partRows);
    }
}
