package dev.segue.vocab;

import dev.segue.format.MpdTrack;
import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per-track aggregates over some playlists (one ingest block, or one merged shard), column by column:
 * URI fingerprint, metadata, occurrences, number of playlists containing the track and the sum of its
 * relative positions {@code index/(length-1)}. Partials over disjoint playlists merge by addition, exactly
 * (positions are summed in fixed point), so the result does not depend on the order a runner merges them in.
 */
public final class TrackPartial {
    public static final double POSITION_SCALE = 0x1p32;

    final long[] hash;
    final String[] uri;
    final String[] trackName;
    final String[] artistUri;
    final String[] artistName;
    final String[] albumUri;
    final String[] albumName;
    final long[] durationMs;
    final long[] occurrences;
    final long[] playlists;
    /** Σ relative position in fixed point ({@link #POSITION_SCALE}), so sums are exact in any merge order. */
    final long[] relativePositionSum;

    TrackPartial(long[] hash, String[] uri, String[] trackName, String[] artistUri, String[] artistName,
            String[] albumUri, String[] albumName, long[] durationMs, long[] occurrences, long[] playlists,
            long[] relativePositionSum) {
        this.hash = hash;
        this.uri = uri;
        this.trackName = trackName;
        this.artistUri = artistUri;
        this.artistName = artistName;
        this.albumUri = albumUri;
        this.albumName = albumName;
        this.durationMs = durationMs;
        this.occurrences = occurrences;
        this.playlists = playlists;
        this.relativePositionSum = relativePositionSum;
    }

    public int size() {
        return hash.length;
    }

    public long hash(int i) {
        return hash[i];
    }

    public String uri(int i) {
        return uri[i];
    }

    public long occurrences(int i) {
        return occurrences[i];
    }

    /** The rows split by {@link UriHash#shard} into {@code shards} partials (some may be empty). */
    public TrackPartial[] split(int shards) {
        Builder[] builders = new Builder[shards];
        for (int s = 0; s < shards; s++) {
            builders[s] = new Builder(size() / shards + 1);
        }
        for (int i = 0; i < size(); i++) {
            builders[UriHash.shard(hash[i], shards)].add(this, i);
        }
        TrackPartial[] out = new TrackPartial[shards];
        for (int s = 0; s < shards; s++) {
            out[s] = builders[s].build();
        }
        return out;
    }

    /** Mean of {@code index/(length-1)} over the track's occurrences. */
    public double meanRelativePosition(int i) {
        return occurrences[i] == 0 ? 0 : relativePositionSum[i] / POSITION_SCALE / occurrences[i];
    }

    /** Accumulates tracks; {@link #build()} returns the rows sorted by fingerprint (deterministic). */
    public static final class Builder {
        private final LongIntMap index;
        private int n;
        private long[] hash;
        private String[] uri;
        private String[] trackName;
        private String[] artistUri;
        private String[] artistName;
        private String[] albumUri;
        private String[] albumName;
        private long[] durationMs;
        private long[] occurrences;
        private long[] playlists;
        private long[] relSum;
        private int[] lastPlaylist;
        /**
         * One copy of each artist and album string: every parsed occurrence brings fresh strings, and on a
         * million playlists the per-group partials held ~0.3 KB of duplicated artist/album text per track.
         */
        private final java.util.HashMap<String, String> shared = new java.util.HashMap<>();

        public Builder(int expected) {
            int cap = Math.max(16, expected);
            index = new LongIntMap(cap);
            hash = new long[cap];
            uri = new String[cap];
            trackName = new String[cap];
            artistUri = new String[cap];
            artistName = new String[cap];
            albumUri = new String[cap];
            albumName = new String[cap];
            durationMs = new long[cap];
            occurrences = new long[cap];
            playlists = new long[cap];
            relSum = new long[cap];
            lastPlaylist = new int[cap];
        }

        /**
         * One occurrence of {@code t} in playlist number {@code playlist} (any id unique within this builder)
         * at relative position {@code relativePosition}; returns the fingerprint.
         */
        public long addOccurrence(MpdTrack t, int playlist, double relativePosition) {
            long h = UriHash.of(t.trackUri());
            int row = index.get(h);
            if (row < 0) {
                row = newRow(h, t.trackUri(), t.trackName(), t.artistUri(), t.artistName(), t.albumUri(),
                        t.albumName(), t.durationMs());
                lastPlaylist[row] = -1;
            } else {
                checkSameUri(row, t.trackUri());
                keepSmallerMetadata(row, t.trackName(), t.artistUri(), t.artistName(), t.albumUri(), t.albumName(),
                        t.durationMs());
            }
            occurrences[row]++;
            relSum[row] += Math.round(relativePosition * POSITION_SCALE);
            if (lastPlaylist[row] != playlist) {
                lastPlaylist[row] = playlist;
                playlists[row]++;
            }
            return h;
        }

        /** Adds row {@code i} of another partial over disjoint playlists. */
        public void add(TrackPartial p, int i) {
            long h = p.hash[i];
            int row = index.get(h);
            if (row < 0) {
                row = newRow(h, p.uri[i], p.trackName[i], p.artistUri[i], p.artistName[i], p.albumUri[i],
                        p.albumName[i], p.durationMs[i]);
            } else {
                checkSameUri(row, p.uri[i]);
                keepSmallerMetadata(row, p.trackName[i], p.artistUri[i], p.artistName[i], p.albumUri[i],
                        p.albumName[i], p.durationMs[i]);
            }
            occurrences[row] += p.occurrences[i];
            playlists[row] += p.playlists[i];
            relSum[row] += p.relativePositionSum[i];
        }

        /** Distinct tracks so far. */
        public int size() {
            return n;
        }

        public void addAll(TrackPartial p) {
            for (int i = 0; i < p.size(); i++) {
                add(p, i);
            }
        }

        private int newRow(long h, String u, String tn, String aru, String arn, String alu, String aln, long dur) {
            if (n == hash.length) {
                int cap = n * 2;
                hash = Arrays.copyOf(hash, cap);
                uri = Arrays.copyOf(uri, cap);
                trackName = Arrays.copyOf(trackName, cap);
                artistUri = Arrays.copyOf(artistUri, cap);
                artistName = Arrays.copyOf(artistName, cap);
                albumUri = Arrays.copyOf(albumUri, cap);
                albumName = Arrays.copyOf(albumName, cap);
                durationMs = Arrays.copyOf(durationMs, cap);
                occurrences = Arrays.copyOf(occurrences, cap);
                playlists = Arrays.copyOf(playlists, cap);
                relSum = Arrays.copyOf(relSum, cap);
                lastPlaylist = Arrays.copyOf(lastPlaylist, cap);
            }
            int row = n++;
            index.put(h, row);
            hash[row] = h;
            uri[row] = u;
            trackName[row] = tn;
            artistUri[row] = share(aru);
            artistName[row] = share(arn);
            albumUri[row] = share(alu);
            albumName[row] = share(aln);
            durationMs[row] = dur;
            return row;
        }

        private void checkSameUri(int row, String u) {
            if (!uri[row].equals(u)) {
                throw new IllegalStateException("64-bit fingerprint collision between track URIs \"" + uri[row]
                        + "\" and \"" + u + "\"");
            }
        }

        /** MPD repeats a track's metadata in every playlist; if copies differ, keep the smallest (order-free). */
        private void keepSmallerMetadata(int row, String tn, String aru, String arn, String alu, String aln,
                long dur) {
            int c = compare(tn, trackName[row]);
            if (c == 0) {
                c = compare(aru, artistUri[row]);
            }
            if (c == 0) {
                c = compare(arn, artistName[row]);
            }
            if (c == 0) {
                c = compare(alu, albumUri[row]);
            }
            if (c == 0) {
                c = compare(aln, albumName[row]);
            }
            if (c == 0) {
                c = Long.compare(dur, durationMs[row]);
            }
            if (c < 0) {
                trackName[row] = tn;
                artistUri[row] = share(aru);
                artistName[row] = share(arn);
                albumUri[row] = share(alu);
                albumName[row] = share(aln);
                durationMs[row] = dur;
            }
        }

        private String share(String v) {
            if (v == null) {
                return null;
            }
            String first = shared.putIfAbsent(v, v);
            return first == null ? v : first;
        }

        private static int compare(String a, String b) {
            if (a == null || b == null) {
                return a == null ? (b == null ? 0 : -1) : 1;
            }
            return a.compareTo(b);
        }

        public TrackPartial build() {
            final long[] h = hash;
            int[] order = IndexSort.sort(n, (a, b) -> Long.compare(h[a], h[b]));
            TrackPartial out = new TrackPartial(new long[n], new String[n], new String[n], new String[n],
                    new String[n], new String[n], new String[n], new long[n], new long[n], new long[n],
                    new long[n]);
            for (int k = 0; k < n; k++) {
                int i = order[k];
                out.hash[k] = hash[i];
                out.uri[k] = uri[i];
                out.trackName[k] = trackName[i];
                out.artistUri[k] = artistUri[i];
                out.artistName[k] = artistName[i];
                out.albumUri[k] = albumUri[i];
                out.albumName[k] = albumName[i];
                out.durationMs[k] = durationMs[i];
                out.occurrences[k] = occurrences[i];
                out.playlists[k] = playlists[i];
                out.relativePositionSum[k] = relSum[i];
            }
            return out;
        }
    }

    public static final class Coder extends DataCoder<TrackPartial> {
        private static final long serialVersionUID = 1L;

        public static Coder of() {
            return new Coder();
        }

        @Override
        protected void write(DataOutputStream out, TrackPartial v) throws IOException {
            BinaryArrays.writeLongs(out, v.hash);
            BinaryArrays.writeStrings(out, v.uri);
            BinaryArrays.writeStrings(out, v.trackName);
            BinaryArrays.writeStrings(out, v.artistUri);
            BinaryArrays.writeStrings(out, v.artistName);
            BinaryArrays.writeStrings(out, v.albumUri);
            BinaryArrays.writeStrings(out, v.albumName);
            BinaryArrays.writeLongs(out, v.durationMs);
            BinaryArrays.writeLongs(out, v.occurrences);
            BinaryArrays.writeLongs(out, v.playlists);
            BinaryArrays.writeLongs(out, v.relativePositionSum);
        }

        @Override
        protected TrackPartial read(DataInputStream in) throws IOException {
            return new TrackPartial(BinaryArrays.readLongs(in), BinaryArrays.readStrings(in),
                    BinaryArrays.readStrings(in), BinaryArrays.readStrings(in), BinaryArrays.readStrings(in),
                    BinaryArrays.readStrings(in), BinaryArrays.readStrings(in), BinaryArrays.readLongs(in),
                    BinaryArrays.readLongs(in), BinaryArrays.readLongs(in), BinaryArrays.readLongs(in));
        }
    }
}
