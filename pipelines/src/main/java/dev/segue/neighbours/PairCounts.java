package dev.segue.neighbours;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A partial sum of co-occurrence counts: ordered pairs {@code keys[i] = a << 32 | b} (ascending) with the number
 * of playlists holding both {@code a} and {@code b} (within the position window) among those summed.
 */
record PairCounts(long[] keys, long[] counts) {

    int size() {
        return keys.length;
    }

    static final class Coder extends DataCoder<PairCounts> {
        private static final long serialVersionUID = 1L;

        static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, PairCounts v) throws IOException {
            BinaryArrays.writeLongs(out, v.keys);
            BinaryArrays.writeLongs(out, v.counts);
        }

        @Override
        protected PairCounts read(DataInputStream in) throws IOException {
            return new PairCounts(BinaryArrays.readLongs(in), BinaryArrays.readLongs(in));
        }
    }
}
