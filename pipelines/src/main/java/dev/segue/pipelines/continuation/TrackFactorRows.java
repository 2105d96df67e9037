package dev.segue.pipelines.continuation;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** One track block's rows of {@code track_factors}: consecutive ids with URIs and factors. */
record TrackFactorRows(int blockId, int[] ids, String[] uri, String[] artistUri, int dim, float[] factors) {

    static final class Coder extends DataCoder<TrackFactorRows> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(DataOutputStream out, TrackFactorRows v) throws IOException {
            out.writeInt(v.blockId);
            BinaryArrays.writeInts(out, v.ids);
            BinaryArrays.writeStrings(out, v.uri);
            BinaryArrays.writeStrings(out, v.artistUri);
            out.writeInt(v.dim);
            BinaryArrays.writeFloats(out, v.factors);
        }

        @Override
        protected TrackFactorRows read(DataInputStream in) throws IOException {
            return new TrackFactorRows(in.readInt(), BinaryArrays.readInts(in), BinaryArrays.readStrings(in),
                    BinaryArrays.readStrings(in), in.readInt(), BinaryArrays.readFloats(in));
        }
    }
}
