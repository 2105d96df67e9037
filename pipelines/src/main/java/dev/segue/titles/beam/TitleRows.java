package dev.segue.titles.beam;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Rows of the {@code title_embeddings} feature set: key (normalised title or token), kind
 * ({@code "title"}/{@code "token"}), number of playlists with it, and its vector ({@code float[n*dim]}).
 */
public record TitleRows(String[] keys, String[] kinds, long[] counts, int dim, float[] vectors) {

    public int size() {
        return keys.length;
    }

    public static final class Coder extends DataCoder<TitleRows> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, TitleRows v) throws IOException {
            BinaryArrays.writeStrings(out, v.keys);
            BinaryArrays.writeStrings(out, v.kinds);
            BinaryArrays.writeLongs(out, v.counts);
            out.writeInt(v.dim);
            BinaryArrays.writeFloats(out, v.vectors);
        }

        @Override
        protected TitleRows read(DataInputStream in) throws IOException {
            return new TitleRows(BinaryArrays.readStrings(in), BinaryArrays.readStrings(in), BinaryArrays.readLongs(in),
                    in.readInt(), BinaryArrays.readFloats(in));
        }
    }
}
