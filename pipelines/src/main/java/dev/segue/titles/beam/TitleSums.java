package dev.segue.titles.beam;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key playlist counts and factor sums over some playlists (one block, then one merged shard). A key is a
 * kind and a string: {@code "title"} + normalised title, or {@code "token"} + token.
 */
record TitleSums(int blockId, String[] kinds, String[] keys, long[] counts, int dim, double[] sums) {

    int size() {
        return keys.length;
    }

    /** Accumulates keys in first-seen order. */
    static final class Builder {
        private final int dim;
        private final Map<String, Integer> index = new HashMap<>();
        private String[] kinds = new String[64];
        private String[] keys = new String[64];
        private long[] counts = new long[64];
        private double[] sums;
        private int n;

        Builder(int dim) {
            this.dim = dim;
            this.sums = new double[64 * dim];
        }

        /** Adds {@code count} playlists whose factors sum to {@code sum[offset..offset+dim)}. */
        void add(String kind, String key, long count, double[] sum, int offset) {
            int row = row(kind, key);
            counts[row] += count;
            int base = row * dim;
            for (int a = 0; a < dim; a++) {
                sums[base + a] += sum[offset + a];
            }
        }

        /** Adds one playlist's factors {@code x[offset..offset+dim)}. */
        void addPlaylist(String kind, String key, float[] x, int offset) {
            int row = row(kind, key);
            counts[row]++;
            int base = row * dim;
            for (int a = 0; a < dim; a++) {
                sums[base + a] += x[offset + a];
            }
        }

        private int row(String kind, String key) {
            String composite = kind + '\u0000' + key;
            Integer at = index.get(composite);
            if (at != null) {
                return at;
            }
            if (n == keys.length) {
                kinds = Arrays.copyOf(kinds, n * 2);
                keys = Arrays.copyOf(keys, n * 2);
                counts = Arrays.copyOf(counts, n * 2);
                sums = Arrays.copyOf(sums, n * 2 * dim);
            }
            int row = n++;
            index.put(composite, row);
            kinds[row] = kind;
            keys[row] = key;
            return row;
        }

        TitleSums build(int blockId) {
            return new TitleSums(blockId, Arrays.copyOf(kinds, n), Arrays.copyOf(keys, n), Arrays.copyOf(counts, n), dim,
                    Arrays.copyOf(sums, n * dim));
        }
    }

    static final class Coder extends DataCoder<TitleSums> {
        private static final long serialVersionUID = 1L;

        static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, TitleSums v) throws IOException {
            out.writeInt(v.blockId);
            BinaryArrays.writeStrings(out, v.kinds);
            BinaryArrays.writeStrings(out, v.keys);
            BinaryArrays.writeLongs(out, v.counts);
            out.writeInt(v.dim);
            BinaryArrays.writeDoubles(out, v.sums);
        }

        @Override
        protected TitleSums read(DataInputStream in) throws IOException {
            return new TitleSums(in.readInt(), BinaryArrays.readStrings(in), BinaryArrays.readStrings(in),
                    BinaryArrays.readLongs(in), in.readInt(), BinaryArrays.readDoubles(in));
        }
    }
}
