package dev.segue.titles.beam;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A block of playlists' raw titles with their distinct track ids: playlist {@code p} holds
 * {@code trackIds[rowStart[p] .. rowStart[p+1])}.
 */
public record TitledTracks(int blockId, String[] titles, int[] rowStart, int[] trackIds) {

    public static final class Coder extends DataCoder<TitledTracks> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, TitledTracks v) throws IOException {
            out.writeInt(v.blockId);
            BinaryArrays.writeStrings(out, v.titles);
            BinaryArrays.writeInts(out, v.rowStart);
            BinaryArrays.writeInts(out, v.trackIds);
        }

        @Override
        protected TitledTracks read(DataInputStream in) throws IOException {
            return new TitledTracks(in.readInt(), BinaryArrays.readStrings(in), BinaryArrays.readInts(in),
                    BinaryArrays.readInts(in));
        }
    }
}
