package dev.segue.store;

import java.io.IOException;
import dev.segue.store.io.Location;

import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one new version of a feature set. Batches are validated against the declared schema as they are
 * appended (nothing invalid reaches a file), split into parts of at most {@code partRows} rows in a private
 * staging folder, and {@link #commit()} makes the version visible atomically. Closing without committing
 * discards everything. Not thread-safe: one writer per thread.
 * <pre>
 * try (FeatureSetWriter w = store.writer(schema, WriteOptions.producer("als").param("alpha", "40"))) {
 *     w.append(batch);
 *     String version = w.commit();
 * }
 * </pre>
 */
public final class FeatureSetWriter implements AutoCloseable {
    private final StoreRoot root;
    private final FeatureSetSchema schema;
    private final WriteOptions options;
    private final Location staging;
    private final List<PartSummary> parts = new ArrayList<>();
    private long rows;
    private WritableByteChannel channel;
    private Checksums.CountingChannel counting;
    private ArrowPartWriter part;
    private PartSummary.Collector collector;
    private String committed;
    private boolean closed;

    FeatureSetWriter(StoreRoot root, FeatureSetSchema schema, WriteOptions options) throws IOException {
        this.root = root;
        this.schema = schema;
        this.options = options;
        this.staging = StoreLayout.newStagingDir(root, schema.name());
    }

    public FeatureSetSchema schema() {
        return schema;
    }

    /** Rows appended so far. */
    public long rows() {
        return rows;
    }

    /**
     * Validates and appends a batch. A {@link ValidationException} leaves the writer usable and the rejected
     * batch unwritten. The batch's arrays must not be modified until commit.
     */
    public FeatureSetWriter append(Batch batch) {
        checkOpen();
        Validator.validate(schema, batch, rows);
        try {
            int at = 0;
            while (at < batch.rows()) {
                if (part == null) {
                    openPart();
                }
                int take = (int) Math.min(batch.rows() - at, options.partRows() - part.rows());
                part.append(batch, at, at + take);
                collector.add(batch, at, at + take);
                at += take;
                rows += take;
                if (part.rows() == options.partRows()) {
                    finishPart();
                }
            }
        } catch (IOException e) {
            throw new StoreException("feature set '" + schema.name() + "': writing part " + parts.size() + " failed: "
                    + e.getMessage(), e);
        }
        return this;
    }

    /** Finishes the last part, writes key index and manifest, and publishes the version. Returns its id. */
    public String commit() {
        checkOpen();
        try {
            if (part != null || parts.isEmpty()) {
                if (part == null) {
                    openPart(); // an empty version still carries its schema in one empty part
                }
                finishPart();
            }
            Manifest m = VersionCommit.commit(root, schema, options, staging, parts);
            committed = m.version();
            return committed;
        } catch (IOException e) {
            throw new StoreException("feature set '" + schema.name() + "': commit failed: " + e.getMessage(), e);
        } finally {
            close();
        }
    }

    private void openPart() throws IOException {
        String name = String.format("part-%05d.arrow", parts.size());
        channel = root.io().create(staging.resolve(name));
        counting = new Checksums.CountingChannel(channel);
        part = new ArrowPartWriter(counting, schema, options);
        collector = new PartSummary.Collector(schema);
    }

    private void finishPart() throws IOException {
        String name = String.format("part-%05d.arrow", parts.size());
        part.finish();
        part.close();
        channel.close(); // fsyncs (locally) or hsyncs (HDFS) before it returns
        parts.add(collector.finish(new FileEntry(name, part.rows(), options.batchRows(), counting.bytes(), counting.crcHex())));
        part = null;
        channel = null;
        collector = null;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("writer for '" + schema.name() + "' is closed"
                    + (committed != null ? " (committed " + committed + ")" : ""));
        }
    }

    /** Discards the staging folder unless the version was committed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (part != null) {
                part.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // the staging folder is removed below; nothing in it is visible
        }
        try {
            if (committed == null) {
                root.io().deleteTree(staging);
            }
        } catch (IOException e) {
            throw new StoreException("cannot remove staging folder " + staging + ": " + e.getMessage(), e);
        }
    }
}
