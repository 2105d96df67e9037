package dev.segue.pipelines.coders;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Coder of {@code String[]} (null elements allowed). */
public final class StringArrayCoder extends DataCoder<String[]> {
    private static final long serialVersionUID = 1L;

    public static StringArrayCoder of() {
        return new StringArrayCoder();
    }

    @Override
    protected void write(DataOutputStream out, String[] value) throws IOException {
        BinaryArrays.writeStrings(out, value);
    }

    @Override
    protected String[] read(DataInputStream in) throws IOException {
        return BinaryArrays.readStrings(in);
    }
}
