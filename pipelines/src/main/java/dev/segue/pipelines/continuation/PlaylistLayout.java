package dev.segue.pipelines.continuation;

import dev.segue.ingest.PlaylistBlock;
import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Dense playlist row numbers: the ingest blocks in their deterministic order (file name, chunk), each with
 * its block id (its rank) and first row. Small (one entry per block) and broadcast.
 */
final class PlaylistLayout implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String[] keys;
    private final int[] offsets;
    private final int totalRows;

    PlaylistLayout(String[] keys, int[] offsets, int totalRows) {
        this.keys = keys;
        this.offsets = offsets;
        this.totalRows = totalRows;
    }

    int blocks() {
        return keys.length;
    }

    int totalRows() {
        return totalRows;
    }

    /** Block id of an ingest block. */
    int blockId(PlaylistBlock b) {
        int at = Arrays.binarySearch(keys, b.orderKey());
        if (at < 0) {
            throw new IllegalStateException("block " + b.orderKey() + " is not in the playlist layout");
        }
        return at;
    }

    int offset(int blockId) {
        return offsets[blockId];
    }

    static final class Fn extends Combine.CombineFn<PlaylistBlock, TreeMap<String, Integer>, PlaylistLayout> {
        private static final long serialVersionUID = 1L;

        @Override
        public TreeMap<String, Integer> createAccumulator() {
            return new TreeMap<>();
        }

        @Override
        public TreeMap<String, Integer> addInput(TreeMap<String, Integer> acc, PlaylistBlock b) {
            if (acc.put(b.orderKey(), b.playlists()) != null) {
                throw new IllegalStateException("two ingest blocks named " + b.orderKey()
                        + " (two slice files with the same name?)");
            }
            return acc;
        }

        @Override
        public TreeMap<String, Integer> mergeAccumulators(Iterable<TreeMap<String, Integer>> accs) {
            TreeMap<String, Integer> out = new TreeMap<>();
            for (TreeMap<String, Integer> a : accs) {
                for (Map.Entry<String, Integer> e : a.entrySet()) {
                    if (out.put(e.getKey(), e.getValue()) != null) {
                        throw new IllegalStateException("two ingest blocks named " + e.getKey()
                                + " (two slice files with the same name?)");
                    }
                }
            }
            return out;
        }

        @Override
        public PlaylistLayout extractOutput(TreeMap<String, Integer> acc) {
            String[] keys = new String[acc.size()];
            int[] offsets = new int[acc.size()];
            long next = 0;
            int k = 0;
            for (Map.Entry<String, Integer> e : acc.entrySet()) {
                keys[k] = e.getKey();
                offsets[k] = (int) next;
                next += e.getValue();
                k++;
            }
            if (next > Integer.MAX_VALUE) {
                throw new IllegalStateException(next + " playlists exceed the 2^31 rows one ALS side can hold");
            }
            return new PlaylistLayout(keys, offsets, (int) next);
        }

        @Override
        public Coder<PlaylistLayout> getDefaultOutputCoder(CoderRegistry registry, Coder<PlaylistBlock> in) {
            return new LayoutCoder();
        }

        @Override
        public Coder<TreeMap<String, Integer>> getAccumulatorCoder(CoderRegistry registry, Coder<PlaylistBlock> in) {
            return new DataCoder<>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void write(DataOutputStream out, TreeMap<String, Integer> v) throws IOException {
                    out.writeInt(v.size());
                    for (Map.Entry<String, Integer> e : v.entrySet()) {
                        BinaryArrays.writeString(out, e.getKey());
                        out.writeInt(e.getValue());
                    }
                }

                @Override
                protected TreeMap<String, Integer> read(DataInputStream in) throws IOException {
                    int n = in.readInt();
                    TreeMap<String, Integer> out = new TreeMap<>();
                    for (int i = 0; i < n; i++) {
                        out.put(BinaryArrays.readString(in), in.readInt());
                    }
                    return out;
                }
            };
        }
    }

    static final class LayoutCoder extends DataCoder<PlaylistLayout> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(DataOutputStream out, PlaylistLayout v) throws IOException {
            BinaryArrays.writeStrings(out, v.keys);
            BinaryArrays.writeInts(out, v.offsets);
            out.writeInt(v.totalRows);
        }

        @Override
        protected PlaylistLayout read(DataInputStream in) throws IOException {
            return new PlaylistLayout(BinaryArrays.readStrings(in), BinaryArrays.readInts(in), in.readInt());
        }
    }
}
