package dev.segue.store.beam;

import dev.segue.store.ArrowPartWriter;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.Validator;
import dev.segue.store.WriteOptions;
import org.apache.beam.sdk.io.FileIO;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileIO.Sink} writing each shard as one Arrow IPC file-format part of a feature set. Every batch is
 * validated against the schema before it is written; FileIO renames the part into place only when the bundle
 * completes, and {@link FeatureSetIO.Write} commits the version only after every part is in place.
 */
public final class ArrowPartSink implements FileIO.Sink<Batch> {
    private static final long serialVersionUID = 1L;
    private final FeatureSetSchema schema;
    private final WriteOptions options;
    private transient ArrowPartWriter writer;

    public ArrowPartSink(FeatureSetSchema schema, WriteOptions options) {
        this.schema = schema;
        this.options = options;
    }

    @Override
    public void open(WritableByteChannel channel) {
        // FileIO owns the channel and closes it after flush(); Arrow must not close it first
        WritableByteChannel keepOpen = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                int n = 0;
                while (src.hasRemaining()) {
                    n += channel.write(src);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() {
                // see above
            }
        };
        writer = new ArrowPartWriter(keepOpen, schema, options);
    }

    @Override
    public void write(Batch batch) throws IOException {
        Validator.validate(schema, batch, writer.rows());
        writer.append(batch, 0, batch.rows());
    }

    @Override
    public void flush() throws IOException {
        try {
            writer.finish();
        } finally {
            writer.close();
            writer = null;
        }
    }
}
