package dev.segue.als.beam;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Factor rows of one block without its ratings: global rows {@code rowOffset .. rowOffset+rows-1}, or, when
 * {@code ids} is set, exactly the global rows listed there (ascending) — a piece shuffled to a row block.
 */
public record FactorSlab(int blockId, int rowOffset, int rows, int dim, float[] values, int[] ids) {

    public FactorSlab(int blockId, int rowOffset, int rows, int dim, float[] values) {
        this(blockId, rowOffset, rows, dim, values, null);
    }

    public static final class Coder extends DataCoder<FactorSlab> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, FactorSlab v) throws IOException {
            out.writeInt(v.blockId);
            out.writeInt(v.rowOffset);
            out.writeInt(v.rows);
            out.writeInt(v.dim);
            BinaryArrays.writeFloats(out, v.values);
            BinaryArrays.writeInts(out, v.ids);
        }

        @Override
        protected FactorSlab read(DataInputStream in) throws IOException {
            return new FactorSlab(in.readInt(), in.readInt(), in.readInt(), in.readInt(), BinaryArrays.readFloats(in),
                    BinaryArrays.readInts(in));
        }
    }
}
