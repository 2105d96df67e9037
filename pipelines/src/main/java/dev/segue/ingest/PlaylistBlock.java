package dev.segue.ingest;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Up to a block's worth of consecutive playlists of one slice file, in CSR form: playlist {@code p} has
 * the track fingerprints {@code trackHashes[rowStart[p] .. rowStart[p+1])} in playlist order. The unit of
 * work after ingest, so runners move a few thousand elements, not millions of interactions.
 *
 * @param source file name of the slice (no folder), with {@code chunk} the block's place in the file
 */
public record PlaylistBlock(String source, int chunk, long[] pids, String[] titles, int[] rowStart,
        long[] trackHashes) {

    public int playlists() {
        return pids.length;
    }

    /** The block's position in the deterministic order of all blocks (by file name, then chunk). */
    public String orderKey() {
        return orderKey(source, chunk);
    }

    public static String orderKey(String source, int chunk) {
        return source + "#" + String.format("%09d", chunk);
    }

    public static final class Coder extends DataCoder<PlaylistBlock> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, PlaylistBlock v) throws IOException {
            BinaryArrays.writeString(out, v.source);
            out.writeInt(v.chunk);
            BinaryArrays.writeLongs(out, v.pids);
            BinaryArrays.writeStrings(out, v.titles);
            BinaryArrays.writeInts(out, v.rowStart);
            BinaryArrays.writeLongs(out, v.trackHashes);
        }

        @Override
        protected PlaylistBlock read(DataInputStream in) throws IOException {
            return new PlaylistBlock(BinaryArrays.readString(in), in.readInt(), BinaryArrays.readLongs(in),
                    BinaryArrays.readStrings(in), BinaryArrays.readInts(in), BinaryArrays.readLongs(in));
        }
    }
}
