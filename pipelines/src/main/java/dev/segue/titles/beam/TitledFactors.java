package dev.segue.titles.beam;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** A block of playlists' raw titles with their factors ({@code float[titles.length * dim]}, row-major). */
public record TitledFactors(int blockId, String[] titles, int dim, float[] factors) {

    public static final class Coder extends DataCoder<TitledFactors> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, TitledFactors v) throws IOException {
            out.writeInt(v.blockId);
            BinaryArrays.writeStrings(out, v.titles);
            out.writeInt(v.dim);
            BinaryArrays.writeFloats(out, v.factors);
        }

        @Override
        protected TitledFactors read(DataInputStream in) throws IOException {
            return new TitledFactors(in.readInt(), BinaryArrays.readStrings(in), in.readInt(), BinaryArrays.readFloats(in));
        }
    }
}
