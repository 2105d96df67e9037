package dev.segue.titles.beam;

import dev.segue.format.TitleNormalizer;
import dev.segue.util.IntList;
import dev.segue.vocab.IndexSort;
import dev.segue.vocab.LongIntMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The {@code title_tracks} feature set: for every normalised title seen in {@code n ≥ minCount} playlists, its
 * {@code topTracks} most held tracks with the number of those playlists holding each (ties by track id, i.e.
 * by popularity). Serving ranks title-only queries with them ({@code dev.segue.titles.TitleTracks}: the
 * title's empirical track frequencies shrunk toward the factor model's estimate).
 *
 * <p>Counts are summed per shard of titles in block order, so the result does not depend on the runner's
 * grouping order.
 */
public final class TitleTrackCounts extends PTransform<PCollection<TitledTracks>, PCollection<TitleTrackRows>> {
    private static final long serialVersionUID = 1L;
    public static final String METHOD = "title_track_counts";

    private final int minCount;
    private final int topTracks;
    private final int shards;

    public TitleTrackCounts(int minCount, int topTracks, int shards) {
        if (minCount < 1 || topTracks < 1 || shards < 1) {
            throw new IllegalArgumentException("min count, top tracks and shards must be positive, got " + minCount
                    + ", " + topTracks + ", " + shards);
        }
        this.minCount = minCount;
        this.topTracks = topTracks;
        this.shards = shards;
    }

    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("method", METHOD);
        p.put("min_count", Integer.toString(minCount));
        p.put("top_tracks", Integer.toString(topTracks));
        p.put("normalization", "dev.segue.format.TitleNormalizer (MPD rule)");
        p.put("use", "title-only ranking (c + κ·q·y)/(n + κ), dev.segue.titles.TitleTracks");
        return p;
    }

    @Override
    public PCollection<TitleTrackRows> expand(PCollection<TitledTracks> input) {
        return input
                .apply("TitleTrackSums", ParDo.of(new SumsFn(shards)))
                .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(VarIntCoder.of(), TitleTrackRows.Coder.of())))
                .apply("GroupTitleTrackShards", GroupByKey.create())
                .apply("TopTitleTracks", ParDo.of(new TopFn(minCount, topTracks)))
                .setCoder(TitleTrackRows.Coder.of());
    }

    /**
     * Accumulates per-title playlist counts and (title, track) counts in primitive arrays: a pair's key is
     * {@code titleIndex << 32 | trackId} in an open-addressing map, where boxed per-title maps made the last
     * step of the mpd run (tens of millions of pairs) a fifth of its tail.
     */
    static final class Sums {
        private final Map<String, Integer> titleIndex = new HashMap<>();
        private final List<String> titles = new ArrayList<>();
        private long[] playlists = new long[64];
        private final LongIntMap pairSlot = new LongIntMap(1 << 10);
        private long[] pairKey = new long[1 << 10];
        private long[] pairCount = new long[1 << 10];
        private int pairs;

        boolean isEmpty() {
            return titles.isEmpty();
        }

        void add(String title, long playlistCount, int[] ids, long[] counts, int from, int to) {
            Integer known = titleIndex.get(title);
            int t;
            if (known == null) {
                t = titles.size();
                titleIndex.put(title, t);
                titles.add(title);
                if (t == playlists.length) {
                    playlists = Arrays.copyOf(playlists, t * 2);
                }
            } else {
                t = known;
            }
            playlists[t] += playlistCount;
            for (int i = from; i < to; i++) {
                long key = (long) t << 32 | (ids[i] & 0xffffffffL);
                int slot = pairSlot.get(key);
                if (slot < 0) {
                    if (pairs == pairKey.length) {
                        pairKey = Arrays.copyOf(pairKey, pairs * 2);
                        pairCount = Arrays.copyOf(pairCount, pairs * 2);
                    }
                    slot = pairs++;
                    pairSlot.put(key, slot);
                    pairKey[slot] = key;
                }
                pairCount[slot] += counts == null ? 1 : counts[i];
            }
        }

        /** Titles in order, tracks by descending count then id, at most {@code limit} per title (all when 0). */
        TitleTrackRows rows(int minCount, int limit) {
            int[] byTitle = IndexSort.sort(titles.size(), (a, b) -> titles.get(a).compareTo(titles.get(b)));
            int[] rank = new int[titles.size()];
            int kept = 0;
            for (int r = 0; r < byTitle.length; r++) {
                rank[byTitle[r]] = playlists[byTitle[r]] >= minCount ? kept++ : -1;
            }
            String[] outTitles = new String[kept];
            long[] n = new long[kept];
            for (int t = 0; t < rank.length; t++) {
                if (rank[t] >= 0) {
                    outTitles[rank[t]] = titles.get(t);
                    n[rank[t]] = playlists[t];
                }
            }
            final long[] keys = pairKey;
            final long[] counts = pairCount;
            int[] order = IndexSort.sort(pairs, (a, b) -> {
                int ta = rank[(int) (keys[a] >>> 32)];
                int tb = rank[(int) (keys[b] >>> 32)];
                if (ta != tb) {
                    return Integer.compare(ta, tb);
                }
                return counts[a] != counts[b] ? Long.compare(counts[b], counts[a])
                        : Integer.compare((int) keys[a], (int) keys[b]);
            });
            int[] start = new int[kept + 1];
            IntList ids = new IntList(1024);
            long[] outCounts = new long[Math.min(pairs, 1024)];
            int k = 0;
            while (k < pairs && rank[(int) (keys[order[k]] >>> 32)] < 0) {
                k++; // pairs of titles below minCount sort first (rank -1)
            }
            for (int t = 0; t < kept; t++) {
                int taken = 0;
                while (k < pairs && rank[(int) (keys[order[k]] >>> 32)] == t) {
                    if (limit == 0 || taken < limit) {
                        if (ids.size() == outCounts.length) {
                            outCounts = Arrays.copyOf(outCounts, outCounts.length * 2);
                        }
                        outCounts[ids.size()] = counts[order[k]];
                        ids.add((int) keys[order[k]]);
                        taken++;
                    }
                    k++;
                }
                start[t + 1] = ids.size();
            }
            return new TitleTrackRows(outTitles, n, start, ids.toArray(), Arrays.copyOf(outCounts, ids.size()));
        }
    }

    static final class SumsFn extends DoFn<TitledTracks, KV<Integer, KV<Integer, TitleTrackRows>>> {
        private static final long serialVersionUID = 1L;
        private final int shards;

        SumsFn(int shards) {
            this.shards = shards;
        }

        @ProcessElement
        public void process(@Element TitledTracks block, OutputReceiver<KV<Integer, KV<Integer, TitleTrackRows>>> out) {
            Sums[] byShard = new Sums[shards];
            for (int s = 0; s < shards; s++) {
                byShard[s] = new Sums();
            }
            String[] titles = block.titles();
            for (int p = 0; p < titles.length; p++) {
                String normalized = TitleNormalizer.normalize(titles[p]);
                if (normalized.isEmpty()) {
                    continue;
                }
                byShard[TitleEmbeddings.shard(normalized, shards)].add(normalized, 1, block.trackIds(), null,
                        block.rowStart()[p], block.rowStart()[p + 1]);
            }
            for (int s = 0; s < shards; s++) {
                if (!byShard[s].isEmpty()) {
                    out.output(KV.of(s, KV.of(block.blockId(), byShard[s].rows(1, 0))));
                }
            }
        }
    }

    static final class TopFn extends DoFn<KV<Integer, Iterable<KV<Integer, TitleTrackRows>>>, TitleTrackRows> {
        private static final long serialVersionUID = 1L;
        private final int minCount;
        private final int topTracks;

        TopFn(int minCount, int topTracks) {
            this.minCount = minCount;
            this.topTracks = topTracks;
        }

        @ProcessElement
        public void process(@Element KV<Integer, Iterable<KV<Integer, TitleTrackRows>>> shard,
                            OutputReceiver<TitleTrackRows> out) {
            List<KV<Integer, TitleTrackRows>> parts = new ArrayList<>();
            shard.getValue().forEach(parts::add);
            parts.sort((a, b) -> Integer.compare(a.getKey(), b.getKey()));
            Sums all = new Sums();
            for (KV<Integer, TitleTrackRows> part : parts) {
                TitleTrackRows r = part.getValue();
                for (int t = 0; t < r.titleCount(); t++) {
                    all.add(r.titles()[t], r.titlePlaylists()[t], r.trackIds(), r.counts(), r.start()[t], r.start()[t + 1]);
                }
            }
            TitleTrackRows rows = all.rows(minCount, topTracks);
            if (rows.titleCount() > 0) {
                out.output(rows);
            }
        }
    }
}
