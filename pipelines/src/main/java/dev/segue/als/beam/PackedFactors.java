package dev.segue.als.beam;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * All factor rows of one side in a single row-major {@code float[rows*dim]}: the one packed broadcast value
 * the row solvers read (never a map of rows). An empty instance stands for "not broadcast".
 */
public record PackedFactors(int rows, int dim, float[] data) implements java.io.Serializable {
    public static final PackedFactors EMPTY = new PackedFactors(0, 0, new float[0]);

    public long bytes() {
        return 4L * data.length;
    }

    public static final class Coder extends DataCoder<PackedFactors> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, PackedFactors v) throws IOException {
            out.writeInt(v.rows);
            out.writeInt(v.dim);
            BinaryArrays.writeFloats(out, v.data);
        }

        @Override
        protected PackedFactors read(DataInputStream in) throws IOException {
            return new PackedFactors(in.readInt(), in.readInt(), BinaryArrays.readFloats(in));
        }
    }
}
