package dev.segue.als.beam;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import dev.segue.vocab.IndexSort;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.beam.sdk.transforms.Combine;

/** Where each block of one side sits: block ids with their first global row and row count, by offset. */
public final class BlockLayout implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final int[] blockIds;
    private final int[] offsets;
    private final int[] rows;

    BlockLayout(int[] blockIds, int[] offsets, int[] rows) {
        this.blockIds = blockIds;
        this.offsets = offsets;
        this.rows = rows;
    }

    public int blocks() {
        return blockIds.length;
    }

    public long totalRows() {
        long n = 0;
        for (int r : rows) {
            n += r;
        }
        return n;
    }

    /** The id of the block holding global row {@code row}. */
    public int blockOfRow(int row) {
        int lo = 0, hi = offsets.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (offsets[mid] <= row) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (offsets.length == 0 || row < offsets[lo] || row >= offsets[lo] + rows[lo]) {
            throw new IllegalArgumentException("row " + row + " is in no block");
        }
        return blockIds[lo];
    }

    /** Collects the layout of a side from its blocks. */
    static final class Fn extends Combine.CombineFn<RowBlock, BlockLayout, BlockLayout> {
        private static final long serialVersionUID = 1L;

        @Override
        public BlockLayout createAccumulator() {
            return new BlockLayout(new int[0], new int[0], new int[0]);
        }

        @Override
        public BlockLayout addInput(BlockLayout acc, RowBlock b) {
            return merge(acc, new BlockLayout(new int[] {b.blockId()}, new int[] {b.rowOffset()}, new int[] {b.rows()}));
        }

        @Override
        public BlockLayout mergeAccumulators(Iterable<BlockLayout> accs) {
            BlockLayout out = createAccumulator();
            for (BlockLayout a : accs) {
                out = merge(out, a);
            }
            return out;
        }

        @Override
        public BlockLayout extractOutput(BlockLayout acc) {
            return acc;
        }

        @Override
        public org.apache.beam.sdk.coders.Coder<BlockLayout> getAccumulatorCoder(
                org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<RowBlock> input) {
            return new Coder();
        }

        @Override
        public org.apache.beam.sdk.coders.Coder<BlockLayout> getDefaultOutputCoder(
                org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<RowBlock> input) {
            return new Coder();
        }

        private static BlockLayout merge(BlockLayout a, BlockLayout b) {
            int n = a.blocks() + b.blocks();
            int[] ids = new int[n];
            int[] off = new int[n];
            int[] rws = new int[n];
            System.arraycopy(a.blockIds, 0, ids, 0, a.blocks());
            System.arraycopy(b.blockIds, 0, ids, a.blocks(), b.blocks());
            System.arraycopy(a.offsets, 0, off, 0, a.blocks());
            System.arraycopy(b.offsets, 0, off, a.blocks(), b.blocks());
            System.arraycopy(a.rows, 0, rws, 0, a.blocks());
            System.arraycopy(b.rows, 0, rws, a.blocks(), b.blocks());
            int[] order = IndexSort.sort(n, (x, y) -> Integer.compare(off[x], off[y]));
            BlockLayout out = new BlockLayout(new int[n], new int[n], new int[n]);
            for (int k = 0; k < n; k++) {
                out.blockIds[k] = ids[order[k]];
                out.offsets[k] = off[order[k]];
                out.rows[k] = rws[order[k]];
            }
            return out;
        }
    }

    public static final class Coder extends DataCoder<BlockLayout> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(DataOutputStream out, BlockLayout v) throws IOException {
            BinaryArrays.writeInts(out, v.blockIds);
            BinaryArrays.writeInts(out, v.offsets);
            BinaryArrays.writeInts(out, v.rows);
        }

        @Override
        protected BlockLayout read(DataInputStream in) throws IOException {
            return new BlockLayout(BinaryArrays.readInts(in), BinaryArrays.readInts(in), BinaryArrays.readInts(in));
        }
    }
}
