package dev.segue.vocab;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The dense track ids, packed for broadcast: URI fingerprints in ascending order with the id of each
 * (ids are {@code 0..n-1} by descending occurrences, then URI). Twelve bytes per track, one object, so a
 * side input of millions of tracks is one allocation rather than a map of millions of entries.
 */
public final class TrackVocabulary implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final long[] sortedHashes;
    private final int[] ids;
    /**
     * Where each range of fingerprints (by their top bits, about one track per range) starts in
     * {@link #sortedHashes}: a lookup reads one or two entries instead of the ~22 cache-missing steps of a
     * binary search, which was a third of the time of encoding 66M interactions. Built on first use.
     */
    private transient volatile int[] rangeStart;
    private transient int rangeShift;

    TrackVocabulary(long[] sortedHashes, int[] ids) {
        this.sortedHashes = sortedHashes;
        this.ids = ids;
    }

    public int size() {
        return ids.length;
    }

    /** The id of a fingerprint, or -1 if the track is not in the vocabulary. */
    public int id(long hash) {
        int[] start = rangeStart;
        if (start == null) {
            start = buildRanges();
        }
        int range = (int) ((hash ^ Long.MIN_VALUE) >>> rangeShift);
        for (int at = start[range], end = start[range + 1]; at < end; at++) {
            if (sortedHashes[at] == hash) {
                return ids[at];
            }
        }
        return -1;
    }

    /** Ranges of the unsigned order of {@code hash ^ MIN_VALUE}, which is the signed order of the hashes. */
    private synchronized int[] buildRanges() {
        if (rangeStart != null) {
            return rangeStart;
        }
        int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, sortedHashes.length)));
        int shift = 64 - bits;
        int[] start = new int[(1 << bits) + 1];
        for (long h : sortedHashes) {
            start[(int) ((h ^ Long.MIN_VALUE) >>> shift) + 1]++;
        }
        for (int r = 0; r < 1 << bits; r++) {
            start[r + 1] += start[r];
        }
        rangeShift = shift;
        rangeStart = start; // volatile write after rangeShift: readers that see the array see the shift
        return start;
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
