package dev.segue.vocab;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Final rows of the track table for one shard, sorted by id: the columns of the {@code tracks} and
 * {@code track_stats} feature sets. {@code occurrences}, {@code playlists} and {@code meanRelativePosition} count
 * the first-stage playlists only (the ranker holdout left out: 0, 0 and 0 for a track only it holds);
 * {@code popularity_rank} equals the id (ids are assigned by descending occurrences in every playlist, then URI).
 */
public record TrackRows(int[] ids, String[] uri, String[] trackName, String[] artistUri, String[] artistName,
        String[] albumUri, String[] albumName, long[] durationMs, long[] occurrences, long[] playlists,
        double[] meanRelativePosition) {

    public int size() {
        return ids.length;
    }

    public static final class Coder extends DataCoder<TrackRows> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, TrackRows v) throws IOException {
            BinaryArrays.writeInts(out, v.ids);
            BinaryArrays.writeStrings(out, v.uri);
            BinaryArrays.writeStrings(out, v.trackName);
            BinaryArrays.writeStrings(out, v.artistUri);
            BinaryArrays.writeStrings(out, v.artistName);
            BinaryArrays.writeStrings(out, v.albumUri);
            BinaryArrays.writeStrings(out, v.albumName);
            BinaryArrays.writeLongs(out, v.durationMs);
            BinaryArrays.writeLongs(out, v.occurrences);
            BinaryArrays.writeLongs(out, v.playlists);
            BinaryArrays.writeDoubles(out, v.meanRelativePosition);
        }

        @Override
        protected TrackRows read(DataInputStream in) throws IOException {
            return new TrackRows(BinaryArrays.readInts(in), BinaryArrays.readStrings(in),
                    BinaryArrays.readStrings(in), BinaryArrays.readStrings(in), BinaryArrays.readStrings(in),
                    BinaryArrays.readStrings(in), BinaryArrays.readStrings(in), BinaryArrays.readLongs(in),
                    BinaryArrays.readLongs(in), BinaryArrays.readLongs(in), BinaryArrays.readDoubles(in));
        }
    }
}
