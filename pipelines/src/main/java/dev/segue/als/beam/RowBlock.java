package dev.segue.als.beam;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A block of consecutive rows of one side of the interaction matrix with their current factors: rows
 * {@code rowOffset .. rowOffset+rows-1} (global indices), row {@code r}'s observed columns (global indices
 * of the opposite side, ascending) {@code cols[rowStart[r] .. rowStart[r+1])} with confidences
 * {@code conf[...]}, and {@code factors} row-major {@code float[rows*dim]} ({@code null} before
 * initialisation). {@code keys} optionally carries each row's external key (playlist ids).
 *
 * <p>Immutable by convention: a solve returns a new block sharing the rating arrays.
 */
public final class RowBlock {
    private final int blockId;
    private final int rowOffset;
    private final int[] rowStart;
    private final int[] cols;
    private final float[] conf;
    private final long[] keys;
    private final int dim;
    private final float[] factors;

    public RowBlock(int blockId, int rowOffset, int[] rowStart, int[] cols, float[] conf, long[] keys, int dim,
            float[] factors) {
        if (rowStart.length < 1 || rowStart[0] != 0 || rowStart[rowStart.length - 1] != cols.length
                || cols.length != conf.length) {
            throw new IllegalArgumentException("block " + blockId + ": inconsistent CSR arrays");
        }
        int rows = rowStart.length - 1;
        if (keys != null && keys.length != rows) {
            throw new IllegalArgumentException("block " + blockId + ": " + keys.length + " keys for " + rows + " rows");
        }
        if (factors != null && factors.length != rows * dim) {
            throw new IllegalArgumentException("block " + blockId + ": " + factors.length + " factor values for "
                    + rows + " rows of " + dim);
        }
        this.blockId = blockId;
        this.rowOffset = rowOffset;
        this.rowStart = rowStart;
        this.cols = cols;
        this.conf = conf;
        this.keys = keys;
        this.dim = dim;
        this.factors = factors;
    }

    public RowBlock withFactors(int newDim, float[] newFactors) {
        return new RowBlock(blockId, rowOffset, rowStart, cols, conf, keys, newDim, newFactors);
    }

    public int blockId() {
        return blockId;
    }

    public int rowOffset() {
        return rowOffset;
    }

    public int rows() {
        return rowStart.length - 1;
    }

    public int nnz() {
        return cols.length;
    }

    public int[] rowStart() {
        return rowStart;
    }

    public int[] cols() {
        return cols;
    }

    public float[] conf() {
        return conf;
    }

    public long[] keys() {
        return keys;
    }

    public int dim() {
        return dim;
    }

    public float[] factors() {
        return factors;
    }

    /** The factor rows without the ratings, for packing and exchange. */
    public FactorSlab slab() {
        return new FactorSlab(blockId, rowOffset, rows(), dim, factors);
    }

    public static final class Coder extends DataCoder<RowBlock> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, RowBlock v) throws IOException {
            out.writeInt(v.blockId);
            out.writeInt(v.rowOffset);
            out.writeInt(v.dim);
            BinaryArrays.writeInts(out, v.rowStart);
            BinaryArrays.writeInts(out, v.cols);
            BinaryArrays.writeFloats(out, v.conf);
            BinaryArrays.writeLongs(out, v.keys);
            BinaryArrays.writeFloats(out, v.factors);
        }

        @Override
        protected RowBlock read(DataInputStream in) throws IOException {
            int blockId = in.readInt();
            int rowOffset = in.readInt();
            int dim = in.readInt();
            return new RowBlock(blockId, rowOffset, BinaryArrays.readInts(in), BinaryArrays.readInts(in),
                    BinaryArrays.readFloats(in), BinaryArrays.readLongs(in), dim, BinaryArrays.readFloats(in));
        }
    }
}
