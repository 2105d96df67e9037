package dev.segue.neighbours;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Rows of the {@code track_neighbours} feature set for one shard of tracks, ordered by track id, then rank: row
 * {@code i} says that {@code neighbourIds[i]} is the {@code ranks[i]}-th neighbour of {@code trackIds[i]}, held
 * together by {@code counts[i]} training playlists, with cosine {@code scores[i]}.
 */
public record NeighbourRows(int[] trackIds, int[] neighbourIds, int[] ranks, long[] counts, float[] scores) {

    public int size() {
        return trackIds.length;
    }

    public static final class Coder extends DataCoder<NeighbourRows> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, NeighbourRows v) throws IOException {
            BinaryArrays.writeInts(out, v.trackIds);
            BinaryArrays.writeInts(out, v.neighbourIds);
            BinaryArrays.writeInts(out, v.ranks);
            BinaryArrays.writeLongs(out, v.counts);
            BinaryArrays.writeFloats(out, v.scores);
        }

        @Override
        protected NeighbourRows read(DataInputStream in) throws IOException {
            return new NeighbourRows(BinaryArrays.readInts(in), BinaryArrays.readInts(in), BinaryArrays.readInts(in),
                    BinaryArrays.readLongs(in), BinaryArrays.readFloats(in));
        }
    }
}
