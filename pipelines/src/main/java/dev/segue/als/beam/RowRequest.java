package dev.segue.als.beam;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** The opposite-side rows (global ids, ascending) that row block {@code targetBlock} needs from one block. */
public record RowRequest(int targetBlock, int[] ids) {

    public static final class Coder extends DataCoder<RowRequest> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, RowRequest v) throws IOException {
            out.writeInt(v.targetBlock);
            BinaryArrays.writeInts(out, v.ids);
        }

        @Override
        protected RowRequest read(DataInputStream in) throws IOException {
            return new RowRequest(in.readInt(), BinaryArrays.readInts(in));
        }
    }
}
