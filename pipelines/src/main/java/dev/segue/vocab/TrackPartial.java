package dev.segue.vocab;

import dev.segue.format.MpdTrack;
import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per-track aggregates over some playlists (one ingest group, or one merged shard), column by column and
 * sorted by URI fingerprint: metadata, occurrences in every playlist (what the ids are ranked by), and the
 * statistics of {@code track_stats} over the <em>first-stage</em> playlists only — occurrences, number of
 * playlists containing the track and the sum of its relative positions {@code index/(length-1)}. The ranker's
 * playlists ({@code RankerHoldout.isRankerPlaylist}, a function of the pid, decided by the caller of
 * {@link Builder#addOccurrence}) hold the ranker's labels, so they count for the ids but not for the statistics;
 * with no ranker holdout the two occurrence counts are equal. Partials over disjoint playlists merge by addition,
 * exactly (positions are summed in fixed point), so the result does not depend on the order a runner merges them in.
 *
 * <p>MPD repeats a track's metadata in every playlist; where copies differ, the one kept is that of the
 * earliest occurrence by (pid, index in the playlist), ties broken by the smaller metadata — a choice that is
 * just as order-free and costs one comparison of two numbers per occurrence instead of five strings.
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
    /** Where the kept metadata was seen: playlist pid and index in it (the earliest occurrence). */
    final long[] metadataPid;
    final int[] metadataIndex;
    /** Entries in every playlist (repeats counted): the vocabulary's order. */
    final long[] occurrences;
    /** Entries in the first-stage playlists (repeats counted). */
    final long[] firstStageOccurrences;
    /** First-stage playlists containing the track. */
    final long[] firstStagePlaylists;
    /**
     * Σ relative position over the first-stage occurrences, in fixed point ({@link #POSITION_SCALE}), so sums are
     * exact in any merge order.
     */
    final long[] firstStagePositionSum;

    TrackPartial(long[] hash, String[] uri, String[] trackName, String[] artistUri, String[] artistName,
            String[] albumUri, String[] albumName, long[] durationMs, long[] metadataPid, int[] metadataIndex,
            long[] occurrences, long[] firstStageOccurrences, long[] firstStagePlaylists,
            long[] firstStagePositionSum) {
        this.hash = hash;
        this.uri = uri;
        this.trackName = trackName;
        this.artistUri = artistUri;
        this.artistName = artistName;
        this.albumUri = albumUri;
        this.albumName = albumName;
        this.durationMs = durationMs;
        this.metadataPid = metadataPid;
        this.metadataIndex = metadataIndex;
        this.occurrences = occurrences;
        this.firstStageOccurrences = firstStageOccurrences;
        this.firstStagePlaylists = firstStagePlaylists;
        this.firstStagePositionSum = firstStagePositionSum;
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

    /** Entries in every playlist (repeats counted). */
    public long occurrences(int i) {
        return occurrences[i];
    }

    /** Entries in the first-stage playlists (repeats counted). */
    public long firstStageOccurrences(int i) {
        return firstStageOccurrences[i];
    }

    /** First-stage playlists containing the track. */
    public long firstStagePlaylists(int i) {
        return firstStagePlaylists[i];
    }

    /**
     * The rows split by {@link UriHash#shard} into {@code shards} partials (some may be empty). The shard is
     * monotone in the fingerprint, so each part is a contiguous slice of these sorted rows.
     */
    public TrackPartial[] split(int shards) {
        TrackPartial[] out = new TrackPartial[shards];
        int from = 0;
        for (int s = 0; s < shards; s++) {
            int to = from;
            while (to < size() && UriHash.shard(hash[to], shards) == s) {
                to++;
            }
            out[s] = slice(from, to);
            from = to;
        }
        if (from != size()) {
            throw new IllegalStateException("track partial is not sorted by fingerprint at row " + from);
        }
        return out;
    }

    private TrackPartial slice(int from, int to) {
        return new TrackPartial(Arrays.copyOfRange(hash, from, to), Arrays.copyOfRange(uri, from, to),
                Arrays.copyOfRange(trackName, from, to), Arrays.copyOfRange(artistUri, from, to),
                Arrays.copyOfRange(artistName, from, to), Arrays.copyOfRange(albumUri, from, to),
                Arrays.copyOfRange(albumName, from, to), Arrays.copyOfRange(durationMs, from, to),
                Arrays.copyOfRange(metadataPid, from, to), Arrays.copyOfRange(metadataIndex, from, to),
                Arrays.copyOfRange(occurrences, from, to), Arrays.copyOfRange(firstStageOccurrences, from, to),
                Arrays.copyOfRange(firstStagePlaylists, from, to), Arrays.copyOfRange(firstStagePositionSum, from, to));
    }

    /**
     * The sum of partials over disjoint playlists, by a merge of their sorted rows (no hashing): counts add,
     * metadata follows the earliest-occurrence rule.
     */
    public static TrackPartial merge(java.util.List<TrackPartial> parts) {
        int k = parts.size();
        int total = 0;
        for (TrackPartial p : parts) {
            total += p.size();
        }
        Builder out = new Builder(total, 0); // rows arrive sorted and distinct: no fingerprint index
        int[] at = new int[k];
        while (true) {
            int min = -1;
            long minHash = 0;
            for (int j = 0; j < k; j++) {
                TrackPartial p = parts.get(j);
                if (at[j] < p.size() && (min < 0 || p.hash[at[j]] < minHash)) {
                    min = j;
                    minHash = p.hash[at[j]];
                }
            }
            if (min < 0) {
                break;
            }
            TrackPartial first = parts.get(min);
            int row = out.appendRow(first, at[min]++);
            for (int j = min + 1; j < k; j++) {
                TrackPartial p = parts.get(j);
                if (at[j] < p.size() && p.hash[at[j]] == minHash) {
                    out.addToRow(row, p, at[j]++);
                }
            }
        }
        return out.buildSorted();
    }

    /** Mean of {@code index/(length-1)} over the track's first-stage occurrences; 0 when it has none. */
    public double meanRelativePosition(int i) {
        long n = firstStageOccurrences[i];
        return n == 0 ? 0 : firstStagePositionSum[i] / POSITION_SCALE / n;
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
        private long[] metadataPid;
        private int[] metadataIndex;
        private long[] occurrences;
        private long[] fsOccurrences;
        private long[] fsPlaylists;
        private long[] fsRelSum;
        private int[] lastPlaylist;
        /**
         * {@code String.hashCode} of each row's URI: checking a repeat occurrence against it catches a
         * fingerprint collision without reading the stored URI (a cache miss per occurrence); merges compare
         * the URIs themselves.
         */
        private int[] uriCheck;
        /**
         * One copy of each artist and album string: every parsed occurrence brings fresh strings, and on a
         * million playlists the per-group partials held ~0.3 KB of duplicated artist/album text per track.
         */
        private final java.util.HashMap<String, String> shared = new java.util.HashMap<>();

        public Builder(int expected) {
            this(expected, expected);
        }

        /** {@code indexed}: the expected size of the fingerprint index {@link #addOccurrence} needs. */
        private Builder(int expected, int indexed) {
            int cap = Math.max(16, expected);
            index = new LongIntMap(indexed);
            hash = new long[cap];
            uri = new String[cap];
            trackName = new String[cap];
            artistUri = new String[cap];
            artistName = new String[cap];
            albumUri = new String[cap];
            albumName = new String[cap];
            durationMs = new long[cap];
            metadataPid = new long[cap];
            metadataIndex = new int[cap];
            occurrences = new long[cap];
            fsOccurrences = new long[cap];
            fsPlaylists = new long[cap];
            fsRelSum = new long[cap];
            lastPlaylist = new int[cap];
            uriCheck = new int[cap];
        }

        /** {@link #addOccurrence(MpdTrack, long, int, int, double, boolean)} in a first-stage playlist. */
        public long addOccurrence(MpdTrack t, long pid, int indexInPlaylist, int playlist, double relativePosition) {
            return addOccurrence(t, pid, indexInPlaylist, playlist, relativePosition, true);
        }

        /**
         * One occurrence of {@code t} at index {@code indexInPlaylist} of the playlist with {@code pid}, which
         * is playlist number {@code playlist} of this builder (any id unique within it), at relative position
         * {@code relativePosition}; returns the fingerprint. {@code firstStage}: the playlist is one the first
         * stage learns from (false for the ranker's playlists), so the occurrence also counts in the statistics.
         */
        public long addOccurrence(MpdTrack t, long pid, int indexInPlaylist, int playlist, double relativePosition,
                boolean firstStage) {
            String u = t.trackUri();
            long h = UriHash.of(u);
            int row = index.get(h);
            if (row < 0) {
                row = newRow(h, u, t.trackName(), share(t.artistUri()), share(t.artistName()), share(t.albumUri()),
                        share(t.albumName()), t.durationMs(), pid, indexInPlaylist);
                index.put(h, row);
                uriCheck[row] = u.hashCode();
                lastPlaylist[row] = -1;
            } else {
                if (uriCheck[row] != u.hashCode()) {
                    throw collision(uri[row], u);
                }
                int c = compareWhere(pid, indexInPlaylist, row);
                if (c < 0 || c == 0 && compareMetadata(row, t.trackName(), t.artistUri(), t.artistName(),
                        t.albumUri(), t.albumName(), t.durationMs()) < 0) {
                    setMetadata(row, t.trackName(), share(t.artistUri()), share(t.artistName()),
                            share(t.albumUri()), share(t.albumName()), t.durationMs(), pid, indexInPlaylist);
                }
            }
            occurrences[row]++;
            if (firstStage) {
                fsOccurrences[row]++;
                fsRelSum[row] += Math.round(relativePosition * POSITION_SCALE);
                if (lastPlaylist[row] != playlist) {
                    lastPlaylist[row] = playlist;
                    fsPlaylists[row]++;
                }
            }
            return h;
        }

        /** Distinct tracks so far. */
        public int size() {
            return n;
        }

        /** Appends row {@code i} of {@code p} as a new row (a merge of sorted partials); returns the row. */
        int appendRow(TrackPartial p, int i) {
            int row = newRow(p.hash[i], p.uri[i], p.trackName[i], p.artistUri[i], p.artistName[i], p.albumUri[i],
                    p.albumName[i], p.durationMs[i], p.metadataPid[i], p.metadataIndex[i]);
            occurrences[row] = p.occurrences[i];
            fsOccurrences[row] = p.firstStageOccurrences[i];
            fsPlaylists[row] = p.firstStagePlaylists[i];
            fsRelSum[row] = p.firstStagePositionSum[i];
            return row;
        }

        /** Adds row {@code i} of {@code p}, a partial over other playlists with the same track, into {@code row}. */
        void addToRow(int row, TrackPartial p, int i) {
            if (!uri[row].equals(p.uri[i])) {
                throw collision(uri[row], p.uri[i]);
            }
            int c = compareWhere(p.metadataPid[i], p.metadataIndex[i], row);
            if (c < 0 || c == 0 && compareMetadata(row, p.trackName[i], p.artistUri[i], p.artistName[i],
                    p.albumUri[i], p.albumName[i], p.durationMs[i]) < 0) {
                setMetadata(row, p.trackName[i], p.artistUri[i], p.artistName[i], p.albumUri[i], p.albumName[i],
                        p.durationMs[i], p.metadataPid[i], p.metadataIndex[i]);
            }
            occurrences[row] += p.occurrences[i];
            fsOccurrences[row] += p.firstStageOccurrences[i];
            fsPlaylists[row] += p.firstStagePlaylists[i];
            fsRelSum[row] += p.firstStagePositionSum[i];
        }

        private int newRow(long h, String u, String tn, String aru, String arn, String alu, String aln, long dur,
                long pid, int at) {
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
                metadataPid = Arrays.copyOf(metadataPid, cap);
                metadataIndex = Arrays.copyOf(metadataIndex, cap);
                occurrences = Arrays.copyOf(occurrences, cap);
                fsOccurrences = Arrays.copyOf(fsOccurrences, cap);
                fsPlaylists = Arrays.copyOf(fsPlaylists, cap);
                fsRelSum = Arrays.copyOf(fsRelSum, cap);
                lastPlaylist = Arrays.copyOf(lastPlaylist, cap);
                uriCheck = Arrays.copyOf(uriCheck, cap);
            }
            int row = n++;
            hash[row] = h;
            uri[row] = u;
            setMetadata(row, tn, aru, arn, alu, aln, dur, pid, at);
            return row;
        }

        private void setMetadata(int row, String tn, String aru, String arn, String alu, String aln, long dur,
                long pid, int at) {
            trackName[row] = tn;
            artistUri[row] = aru;
            artistName[row] = arn;
            albumUri[row] = alu;
            albumName[row] = aln;
            durationMs[row] = dur;
            metadataPid[row] = pid;
            metadataIndex[row] = at;
        }

        private int compareWhere(long pid, int at, int row) {
            int c = Long.compare(pid, metadataPid[row]);
            return c != 0 ? c : Integer.compare(at, metadataIndex[row]);
        }

        private static IllegalStateException collision(String a, String b) {
            return new IllegalStateException("64-bit fingerprint collision between track URIs \"" + a + "\" and \""
                    + b + "\"");
        }

        /** Orders two copies of a track's metadata seen at the same (pid, index): only with repeated pids. */
        private int compareMetadata(int row, String tn, String aru, String arn, String alu, String aln, long dur) {
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
            return c != 0 ? c : Long.compare(dur, durationMs[row]);
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

        /** The rows sorted by fingerprint. */
        public TrackPartial build() {
            final long[] h = hash;
            return rows(IndexSort.sort(n, (a, b) -> Long.compare(h[a], h[b])));
        }

        /** The rows as appended, which a merge of sorted partials left sorted. */
        TrackPartial buildSorted() {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            return rows(order);
        }

        private TrackPartial rows(int[] order) {
            TrackPartial out = new TrackPartial(new long[n], new String[n], new String[n], new String[n],
                    new String[n], new String[n], new String[n], new long[n], new long[n], new int[n], new long[n],
                    new long[n], new long[n], new long[n]);
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
                out.metadataPid[k] = metadataPid[i];
                out.metadataIndex[k] = metadataIndex[i];
                out.occurrences[k] = occurrences[i];
                out.firstStageOccurrences[k] = fsOccurrences[i];
                out.firstStagePlaylists[k] = fsPlaylists[i];
                out.firstStagePositionSum[k] = fsRelSum[i];
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
            BinaryArrays.writeLongs(out, v.metadataPid);
            BinaryArrays.writeInts(out, v.metadataIndex);
            BinaryArrays.writeLongs(out, v.occurrences);
            BinaryArrays.writeLongs(out, v.firstStageOccurrences);
            BinaryArrays.writeLongs(out, v.firstStagePlaylists);
            BinaryArrays.writeLongs(out, v.firstStagePositionSum);
        }

        @Override
        protected TrackPartial read(DataInputStream in) throws IOException {
            return new TrackPartial(BinaryArrays.readLongs(in), BinaryArrays.readStrings(in),
                    BinaryArrays.readStrings(in), BinaryArrays.readStrings(in), BinaryArrays.readStrings(in),
                    BinaryArrays.readStrings(in), BinaryArrays.readStrings(in), BinaryArrays.readLongs(in),
                    BinaryArrays.readLongs(in), BinaryArrays.readInts(in), BinaryArrays.readLongs(in),
                    BinaryArrays.readLongs(in), BinaryArrays.readLongs(in), BinaryArrays.readLongs(in));
        }
    }
}
