package dev.segue.neighbours;

import dev.segue.ingest.PlaylistBlock;
import dev.segue.vocab.IndexSort;
import dev.segue.vocab.TrackRows;
import dev.segue.vocab.TrackVocabulary;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
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
 * <p>How it scales: no Beam element per pair. Each bundle sums its playlists' pairs in primitive maps, one per
 * shard of the first track ({@code a mod shards}), and emits one sorted partial sum per shard when the bundle ends
 * (or when its maps pass {@link #FLUSH_PAIRS} pairs, which bounds a worker's memory); each shard then merges its
 * partial sums and keeps the top of every track. Sums commute, so the result does not depend on bundling or order.
 */
public final class TrackNeighbours extends PTransform<PCollectionTuple, PCollection<NeighbourRows>> {
    private static final long serialVersionUID = 1L;
    public static final String METHOD = "cooccurrence_cosine";
    public static final TupleTag<PlaylistBlock> PLAYLISTS = new TupleTag<>("playlists") {};
    public static final TupleTag<TrackRows> TRACKS = new TupleTag<>("trackRows") {};
    /** Distinct pairs a bundle sums before it emits its partial sums (about 100 MB of maps). */
    static final int FLUSH_PAIRS = 1 << 22;

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
        return input.get(PLAYLISTS)
                .apply("CountPairs", ParDo.of(new CountPairsFn(vocabulary, window, shards)).withSideInputs(vocabulary))
                .setCoder(KvCoder.of(VarIntCoder.of(), PairCounts.Coder.of()))
                .apply("GroupPairShards", GroupByKey.create())
                .apply("TopNeighbours", ParDo.of(new TopFn(trackRows, neighbours)).withSideInputs(trackRows))
                .setCoder(NeighbourRows.Coder.of());
    }

    /** Sums the ordered pairs of one bundle's playlists per shard of the first track. */
    static final class CountPairsFn extends DoFn<PlaylistBlock, KV<Integer, PairCounts>> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<TrackVocabulary> vocabulary;
        private final int window;
        private final int shards;
        private transient PairCounter[] byShard;
        private transient int[] ids;
        private transient int[] sortedIds;
        private transient long[] pairs;

        CountPairsFn(PCollectionView<TrackVocabulary> vocabulary, int window, int shards) {
            this.vocabulary = vocabulary;
            this.window = window;
            this.shards = shards;
        }

        @StartBundle
        public void startBundle() {
            byShard = null;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            PlaylistBlock b = c.element();
            TrackVocabulary vocab = c.sideInput(vocabulary);
            if (byShard == null) {
                byShard = new PairCounter[shards];
                for (int s = 0; s < shards; s++) {
                    byShard[s] = new PairCounter(1 << 12);
                }
            }
            long[] hashes = b.trackHashes();
            int[] start = b.rowStart();
            for (int r = 0; r < b.playlists(); r++) {
                int len = start[r + 1] - start[r];
                ensure(len);
                for (int k = 0; k < len; k++) {
                    int id = vocab.id(hashes[start[r] + k]);
                    if (id < 0) {
                        throw new IllegalStateException("playlist " + b.pids()[r] + " of " + b.source()
                                + " has a track missing from the vocabulary");
                    }
                    ids[k] = id;
                }
                addPlaylist(len);
            }
            if (pairsHeld() > FLUSH_PAIRS) {
                emit(c::output);
            }
        }

        @FinishBundle
        public void finishBundle(FinishBundleContext c) {
            emit(kv -> c.output(kv, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
        }

        private void ensure(int len) {
            if (ids == null || ids.length < len) {
                int n = Math.max(len, 256);
                ids = new int[n];
                sortedIds = new int[n];
            }
        }

        /**
         * Adds the pairs of {@code ids[0..len)}. Without repeated tracks every unordered pair occurs at most once
         * in the window, so pairs are added directly; otherwise they are collected, sorted and deduplicated first
         * (a playlist counts once per pair).
         */
        private void addPlaylist(int len) {
            System.arraycopy(ids, 0, sortedIds, 0, len);
            Arrays.sort(sortedIds, 0, len);
            boolean repeats = false;
            for (int k = 1; k < len && !repeats; k++) {
                repeats = sortedIds[k] == sortedIds[k - 1];
            }
            int reach = window == 0 ? len : window;
            if (!repeats) {
                for (int i = 0; i < len; i++) {
                    int a = ids[i];
                    for (int j = i + 1, end = Math.min(len, i + reach + 1); j < end; j++) {
                        int b = ids[j];
                        byShard[a % shards].add(PairCounter.key(a, b), 1);
                        byShard[b % shards].add(PairCounter.key(b, a), 1);
                    }
                }
                return;
            }
            int n = 0;
            for (int i = 0; i < len; i++) {
                for (int j = i + 1, end = Math.min(len, i + reach + 1); j < end; j++) {
                    if (ids[i] != ids[j]) {
                        if (pairs == null || pairs.length < n + 2) {
                            pairs = Arrays.copyOf(pairs == null ? new long[0] : pairs, Math.max(1024, (n + 2) * 2));
                        }
                        pairs[n++] = PairCounter.key(ids[i], ids[j]);
                        pairs[n++] = PairCounter.key(ids[j], ids[i]);
                    }
                }
            }
            Arrays.sort(pairs, 0, n);
            for (int k = 0; k < n; k++) {
                if (k == 0 || pairs[k] != pairs[k - 1]) {
                    int a = PairCounter.first(pairs[k]);
                    byShard[a % shards].add(pairs[k], 1);
                }
            }
        }

        private long pairsHeld() {
            long n = 0;
            for (PairCounter p : byShard) {
                n += p.size();
            }
            return n;
        }

        private void emit(java.util.function.Consumer<KV<Integer, PairCounts>> out) {
            if (byShard == null) {
                return;
            }
            for (int s = 0; s < shards; s++) {
                if (byShard[s].size() > 0) {
                    out.accept(KV.of(s, byShard[s].sorted()));
                }
            }
            byShard = null;
        }
    }

    /** Merges one shard's partial sums and keeps each track's best {@code neighbours}. */
    static final class TopFn extends DoFn<KV<Integer, Iterable<PairCounts>>, NeighbourRows> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<Iterable<TrackRows>> trackRows;
        private final int neighbours;

        TopFn(PCollectionView<Iterable<TrackRows>> trackRows, int neighbours) {
            this.trackRows = trackRows;
            this.neighbours = neighbours;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            PairCounter all = null;
            for (PairCounts part : c.element().getValue()) {
                if (all == null) {
                    all = new PairCounter(Math.max(1 << 10, part.size() * 2));
                }
                all.addAll(part);
            }
            if (all == null || all.size() == 0) {
                return;
            }
            NeighbourRows rows = top(all.sorted(), playlists(c.sideInput(trackRows)), neighbours);
            if (rows.size() > 0) {
                c.output(rows);
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
