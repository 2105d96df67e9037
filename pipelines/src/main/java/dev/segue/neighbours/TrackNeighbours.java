package dev.segue.neighbours;

import dev.segue.ingest.PlaylistBlock;
import dev.segue.vocab.IndexSort;
import dev.segue.vocab.TrackRows;
import dev.segue.vocab.TrackVocabulary;
import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The {@code track_neighbours} feature set: per track its {@code neighbours} strongest co-occurring tracks in the
 * training playlists. {@code count} is the number of playlists holding both tracks (only pairs at most
 * {@code window} positions apart, when {@code window > 0}; a playlist counts once however often the pair occurs in
 * it), {@code score = count / sqrt(playlists(a) · playlists(b))} with {@code playlists} the {@code track_stats}
 * column, and rank 0 is the best score (ties: the larger count, then the smaller id).
 *
 * <p>Input: {@link #PLAYLISTS} (the ingest's blocks: track order is kept there, not in the ALS rows) and
 * {@link #TRACKS} (the track table's rows, for {@code playlists}); output: one {@link NeighbourRows} per shard.
 *
 * <p>How it scales: no Beam element per pair, and no partial sums. The playlists reach every shard as a side
 * input of dense ids in playlist order (4 bytes per entry: 27 MB on {@code medium}, 266 MB on {@code mpd}); each
 * shard of first tracks ({@code a mod shards}) sums its own pairs over all of them in one primitive table and
 * keeps the top of every track, so a worker holds one shard's sums at a time. (Summing per bundle and merging the
 * partial sums by shard held every bundle's distinct pairs at once — on the DirectRunner twice, through its
 * copies of grouped state — and ran the {@code medium} world out of a 6 GB heap.) Sums commute, so the result
 * does not depend on bundling or order.
 */
public final class TrackNeighbours extends PTransform<PCollectionTuple, PCollection<NeighbourRows>> {
    private static final long serialVersionUID = 1L;
    public static final String METHOD = "cooccurrence_cosine";
    public static final TupleTag<PlaylistBlock> PLAYLISTS = new TupleTag<>("playlists") {};
    public static final TupleTag<TrackRows> TRACKS = new TupleTag<>("trackRows") {};

    private final transient PCollectionView<TrackVocabulary> vocabulary;
    private final int neighbours;
    private final int window;
    private final int shards;

    /**
     * @param neighbours tracks kept per track (≥ 1)
     * @param window     largest distance in positions of a counted pair, 0 for the whole playlist
     * @param shards     groups of tracks the final merge runs in
     */
    public TrackNeighbours(PCollectionView<TrackVocabulary> vocabulary, int neighbours, int window, int shards) {
        if (neighbours < 1) {
            throw new IllegalArgumentException("neighbours must be positive, got " + neighbours);
        }
        if (window < 0) {
            throw new IllegalArgumentException("neighbour window must be 0 (whole playlist) or positive, got " + window);
        }
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be positive, got " + shards);
        }
        this.vocabulary = vocabulary;
        this.neighbours = neighbours;
        this.window = window;
        this.shards = shards;
    }

    /** What the set's manifest records about how it was made. */
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("method", METHOD);
        p.put("neighbours", Integer.toString(neighbours));
        p.put("window", Integer.toString(window));
        p.put("window_meaning", window == 0 ? "whole playlist" : "pairs at most " + window + " positions apart");
        p.put("score", "count / sqrt(playlists(track) * playlists(neighbour)), playlists from track_stats");
        p.put("order", "score desc, count desc, neighbour_id asc");
        return p;
    }

    @Override
    public PCollection<NeighbourRows> expand(PCollectionTuple input) {
        PCollectionView<Iterable<TrackRows>> trackRows = input.get(TRACKS).apply("TrackRowsView", View.asIterable());
        PCollectionView<List<PlaylistIds>> playlists = input.get(PLAYLISTS)
                .apply("PlaylistTrackIds", ParDo.of(new TrackIdsFn(vocabulary)).withSideInputs(vocabulary))
                .setCoder(PlaylistIds.Coder.of())
                .apply("PlaylistTrackIdsView", View.asList());
        List<KV<Integer, Integer>> shardIds = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            shardIds.add(KV.of(s, s));
        }
        return input.getPipeline()
                .apply("Shards", Create.of(shardIds).withCoder(KvCoder.of(VarIntCoder.of(), VarIntCoder.of())))
                .apply("SpreadShards", GroupByKey.create()) // one element per key: the shards run in parallel
                .apply("TopNeighbours", ParDo.of(new ShardFn(playlists, trackRows, neighbours, window, shards))
                        .withSideInputs(playlists, trackRows))
                .setCoder(NeighbourRows.Coder.of());
    }

    /**
     * The track ids of a block's playlists in playlist order (what the pairs are counted from), with a flag per
     * playlist that holds a track more than once.
     */
    record PlaylistIds(int[] rowStart, int[] ids, boolean[] repeats) {
        int playlists() {
            return repeats.length;
        }

        static final class Coder extends DataCoder<PlaylistIds> {
            private static final long serialVersionUID = 1L;

            static Coder of() {
                return new Coder();
            }

            @Override
            protected void write(DataOutputStream out, PlaylistIds v) throws IOException {
                BinaryArrays.writeInts(out, v.rowStart);
                BinaryArrays.writeInts(out, v.ids);
                out.writeInt(v.repeats.length);
                for (boolean r : v.repeats) {
                    out.writeBoolean(r);
                }
            }

            @Override
            protected PlaylistIds read(DataInputStream in) throws IOException {
                int[] rowStart = BinaryArrays.readInts(in);
                int[] ids = BinaryArrays.readInts(in);
                boolean[] repeats = new boolean[in.readInt()];
                for (int i = 0; i < repeats.length; i++) {
                    repeats[i] = in.readBoolean();
                }
                return new PlaylistIds(rowStart, ids, repeats);
            }
        }
    }

    /** Dense ids of a block's tracks, in playlist order. */
    static final class TrackIdsFn extends DoFn<PlaylistBlock, PlaylistIds> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<TrackVocabulary> vocabulary;

        TrackIdsFn(PCollectionView<TrackVocabulary> vocabulary) {
            this.vocabulary = vocabulary;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            PlaylistBlock b = c.element();
            TrackVocabulary vocab = c.sideInput(vocabulary);
            long[] hashes = b.trackHashes();
            int[] start = b.rowStart();
            int[] ids = new int[hashes.length];
            boolean[] repeats = new boolean[b.playlists()];
            int[] sorted = new int[0];
            for (int r = 0; r < b.playlists(); r++) {
                int len = start[r + 1] - start[r];
                for (int k = start[r]; k < start[r + 1]; k++) {
                    int id = vocab.id(hashes[k]);
                    if (id < 0) {
                        throw new IllegalStateException("playlist " + b.pids()[r] + " of " + b.source()
                                + " has a track missing from the vocabulary");
                    }
                    ids[k] = id;
                }
                if (sorted.length < len) {
                    sorted = new int[Math.max(len, 256)];
                }
                System.arraycopy(ids, start[r], sorted, 0, len);
                Arrays.sort(sorted, 0, len);
                for (int k = 1; k < len && !repeats[r]; k++) {
                    repeats[r] = sorted[k] == sorted[k - 1];
                }
            }
            c.output(new PlaylistIds(start, ids, repeats));
        }
    }

    /**
     * Counts the pairs whose first track falls in one shard ({@code a mod shards}) over all training playlists and
     * keeps each of those tracks' best {@code neighbours}.
     */
    static final class ShardFn extends DoFn<KV<Integer, Iterable<Integer>>, NeighbourRows> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<List<PlaylistIds>> playlists;
        private final PCollectionView<Iterable<TrackRows>> trackRows;
        private final int neighbours;
        private final int window;
        private final int shards;

        ShardFn(PCollectionView<List<PlaylistIds>> playlists, PCollectionView<Iterable<TrackRows>> trackRows,
                int neighbours, int window, int shards) {
            this.playlists = playlists;
            this.trackRows = trackRows;
            this.neighbours = neighbours;
            this.window = window;
            this.shards = shards;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            List<PlaylistIds> all = c.sideInput(playlists);
            long[] counts = null;
            for (int shard : c.element().getValue()) {
                PairCounter sums = count(all, shard, shards, window);
                if (sums.size() == 0) {
                    continue;
                }
                if (counts == null) {
                    counts = playlists(c.sideInput(trackRows));
                }
                NeighbourRows rows = top(sums.sorted(), counts, neighbours);
                if (rows.size() > 0) {
                    c.output(rows);
                }
            }
        }

        /** {@code playlists} (track_stats) indexed by dense track id. */
        static long[] playlists(Iterable<TrackRows> parts) {
            int n = 0;
            for (TrackRows r : parts) {
                for (int id : r.ids()) {
                    n = Math.max(n, id + 1);
                }
            }
            long[] playlists = new long[n];
            for (TrackRows r : parts) {
                for (int i = 0; i < r.size(); i++) {
                    playlists[r.ids()[i]] = r.playlists()[i];
                }
            }
            return playlists;
        }
    }

    /**
     * The sums of the ordered pairs {@code (a, b)} with {@code a mod shards == shard}: the number of playlists holding
     * both at most {@code window} positions apart (0: anywhere). A playlist without repeated tracks holds every
     * unordered pair at most once in the window, so its pairs are added directly; otherwise they are collected,
     * sorted and deduplicated first (a playlist counts once per pair).
     */
    static PairCounter count(List<PlaylistIds> playlists, int shard, int shards, int window) {
        PairCounter sums = new PairCounter(1 << 16);
        long[] pairs = new long[1024];
        for (PlaylistIds block : playlists) {
            int[] ids = block.ids();
            int[] start = block.rowStart();
            for (int r = 0; r < block.playlists(); r++) {
                int from = start[r];
                int to = start[r + 1];
                int reach = window == 0 ? to - from : window;
                if (!block.repeats()[r]) {
                    for (int i = from; i < to; i++) {
                        int a = ids[i];
                        boolean aHere = a % shards == shard;
                        for (int j = i + 1, end = Math.min(to, i + reach + 1); j < end; j++) {
                            int b = ids[j];
                            if (aHere) {
                                sums.add(PairCounter.key(a, b), 1);
                            }
                            if (b % shards == shard) {
                                sums.add(PairCounter.key(b, a), 1);
                            }
                        }
                    }
                    continue;
                }
                int n = 0;
                for (int i = from; i < to; i++) {
                    for (int j = i + 1, end = Math.min(to, i + reach + 1); j < end; j++) {
                        if (ids[i] != ids[j]) {
                            if (pairs.length < n + 2) {
                                pairs = Arrays.copyOf(pairs, (n + 2) * 2);
                            }
                            if (ids[i] % shards == shard) {
                                pairs[n++] = PairCounter.key(ids[i], ids[j]);
                            }
                            if (ids[j] % shards == shard) {
                                pairs[n++] = PairCounter.key(ids[j], ids[i]);
                            }
                        }
                    }
                }
                Arrays.sort(pairs, 0, n);
                for (int k = 0; k < n; k++) {
                    if (k == 0 || pairs[k] != pairs[k - 1]) {
                        sums.add(pairs[k], 1);
                    }
                }
            }
        }
        return sums;
    }

    /**
     * The best {@code limit} neighbours of every first track of {@code sums} (ascending keys), by score, then
     * count, then id.
     */
    static NeighbourRows top(PairCounts sums, long[] playlists, int limit) {
        long[] keys = sums.keys();
        long[] counts = sums.counts();
        int n = keys.length;
        int rows = 0;
        for (int from = 0, to; from < n; from = to) {
            to = from;
            while (to < n && PairCounter.first(keys[to]) == PairCounter.first(keys[from])) {
                to++;
            }
            rows += Math.min(limit, to - from);
        }
        int[] track = new int[rows];
        int[] neighbour = new int[rows];
        int[] rank = new int[rows];
        long[] count = new long[rows];
        float[] score = new float[rows];
        int out = 0;
        int from = 0;
        while (from < n) {
            int a = PairCounter.first(keys[from]);
            int to = from;
            while (to < n && PairCounter.first(keys[to]) == a) {
                to++;
            }
            float[] s = new float[to - from]; // ranked by the stored (float) score
            for (int k = from; k < to; k++) {
                int b = PairCounter.second(keys[k]);
                long pa = playlists.length > a ? playlists[a] : 0;
                long pb = playlists.length > b ? playlists[b] : 0;
                if (pa < counts[k] || pb < counts[k]) {
                    throw new IllegalStateException("tracks " + a + " and " + b + " share " + counts[k]
                            + " playlists but track_stats counts " + pa + " and " + pb);
                }
                s[k - from] = (float) Math.min(1.0, counts[k] / Math.sqrt((double) pa * pb));
            }
            final int base = from;
            int[] order = IndexSort.sort(to - from, (x, y) -> {
                int byScore = Float.compare(s[y], s[x]);
                if (byScore != 0) {
                    return byScore;
                }
                int byCount = Long.compare(counts[base + y], counts[base + x]);
                return byCount != 0 ? byCount
                        : Integer.compare(PairCounter.second(keys[base + x]), PairCounter.second(keys[base + y]));
            });
            for (int r = 0; r < Math.min(limit, order.length); r++) {
                int k = base + order[r];
                track[out] = a;
                neighbour[out] = PairCounter.second(keys[k]);
                rank[out] = r;
                count[out] = counts[k];
                score[out] = s[order[r]];
                out++;
            }
            from = to;
        }
        return new NeighbourRows(track, neighbour, rank, count, score);
    }
}
