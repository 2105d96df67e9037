package dev.segue.als.beam;

import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The side-input value through which a half-iteration's solvers see the opposite factors: either the packed
 * matrix itself ({@code inline}) or the location of a {@link FactorFiles factor file} holding it. The file form
 * keeps runner state small: a runner may retain every side input until the pipeline ends (the DirectRunner
 * does), which for an unrolled ALS means one packed matrix per half-iteration.
 */
public record SharedFactors(PackedFactors inline, String file, int rows, int dim) {

    static SharedFactors inline(PackedFactors packed) {
        return new SharedFactors(packed, null, packed.rows(), packed.dim());
    }

    static SharedFactors file(String file, int rows, int dim) {
        return new SharedFactors(null, file, rows, dim);
    }

    boolean isFile() {
        return file != null;
    }

    /** The packed factors: the inline value, or the file's contents through this worker's cache. */
    PackedFactors resolve() {
        return isFile() ? FactorFiles.cached(file, rows, dim) : inline;
    }

    public static final class Coder extends DataCoder<SharedFactors> {
        private static final long serialVersionUID = 1L;
        private static final PackedFactors.Coder PACKED = PackedFactors.Coder.of();

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, SharedFactors v) throws IOException {
            out.writeBoolean(v.isFile());
            if (v.isFile()) {
                out.writeUTF(v.file);
                out.writeInt(v.rows);
                out.writeInt(v.dim);
            } else {
                PACKED.write(out, v.inline);
            }
        }

        @Override
        protected SharedFactors read(DataInputStream in) throws IOException {
            if (in.readBoolean()) {
                return file(in.readUTF(), in.readInt(), in.readInt());
            }
            return inline(PACKED.read(in));
        }
    }
}
