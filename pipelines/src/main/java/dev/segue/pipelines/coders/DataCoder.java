package dev.segue.pipelines.coders;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Base of the pipelines' coders for their coarse block values: subclasses write and read fields with
 * {@link BinaryArrays} on a data stream. The encoding is deterministic for deterministic values.
 */
public abstract class DataCoder<T> extends CustomCoder<T> {
    private static final long serialVersionUID = 1L;

    protected abstract void write(DataOutputStream out, T value) throws IOException;

    protected abstract T read(DataInputStream in) throws IOException;

    @Override
    public final void encode(T value, OutputStream outStream) throws IOException {
        if (value == null) {
            throw new org.apache.beam.sdk.coders.CoderException(getClass().getSimpleName() + " cannot encode null");
        }
        DataOutputStream out = BinaryArrays.data(outStream);
        write(out, value);
        out.flush();
    }

    @Override
    public final T decode(InputStream inStream) throws IOException {
        return read(BinaryArrays.data(inStream));
    }

    @Override
    public void verifyDeterministic() {
        // Fields are written in a fixed order with fixed-width or length-prefixed encodings.
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }
}
