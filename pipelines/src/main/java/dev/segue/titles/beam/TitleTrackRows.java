package dev.segue.titles.beam;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Normalised titles with their playlist counts and, per title, tracks with the number of those playlists
 * holding them: title {@code t}'s tracks are {@code trackIds[start[t] .. start[t+1])} with {@code counts[...]}.
 * Partial sums over some playlists, then the rows of the {@code title_tracks} feature set.
 */
public record TitleTrackRows(String[] titles, long[] titlePlaylists, int[] start, int[] trackIds, long[] counts) {

    public int titleCount() {
        return titles.length;
    }

    public int pairs() {
        return trackIds.length;
    }

    public static final class Coder extends DataCoder<TitleTrackRows> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, TitleTrackRows v) throws IOException {
            BinaryArrays.writeStrings(out, v.titles);
            BinaryArrays.writeLongs(out, v.titlePlaylists);
            BinaryArrays.writeInts(out, v.start);
            BinaryArrays.writeInts(out, v.trackIds);
            BinaryArrays.writeLongs(out, v.counts);
        }

        @Override
        protected TitleTrackRows read(DataInputStream in) throws IOException {
            return new TitleTrackRows(BinaryArrays.readStrings(in), BinaryArrays.readLongs(in), BinaryArrays.readInts(in),
                    BinaryArrays.readInts(in), BinaryArrays.readLongs(in));
        }
    }
}
