package dev.segue.vocab;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The dense track ids, packed for broadcast: URI fingerprints in ascending order with the id of each
 * (ids are {@code 0..n-1} by descending occurrences, then URI). Twelve bytes per track, one object, so a
 * side input of millions of tracks is one allocation rather than a map of millions of entries.
 */
public final class TrackVocabulary implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final long[] sortedHashes;
    private final int[] ids;

    TrackVocabulary(long[] sortedHashes, int[] ids) {
        this.sortedHashes = sortedHashes;
        this.ids = ids;
    }

    public int size() {
        return ids.length;
    }

    /** The id of a fingerprint, or -1 if the track is not in the vocabulary. */
    public int id(long hash) {
        int at = Arrays.binarySearch(sortedHashes, hash);
        return at < 0 ? -1 : ids[at];
    }

    public static final class Coder extends DataCoder<TrackVocabulary> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, TrackVocabulary v) throws IOException {
            BinaryArrays.writeLongs(out, v.sortedHashes);
            BinaryArrays.writeInts(out, v.ids);
        }

        @Override
        protected TrackVocabulary read(DataInputStream in) throws IOException {
            return new TrackVocabulary(BinaryArrays.readLongs(in), BinaryArrays.readInts(in));
        }
    }
}
