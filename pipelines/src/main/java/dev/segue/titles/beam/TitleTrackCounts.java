package dev.segue.titles.beam;

import dev.segue.format.TitleNormalizer;
import dev.segue.util.IntList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /** Accumulates per-title playlist counts and track counts. */
    static final class Sums {
        final Map<String, long[]> playlists = new HashMap<>();
        final Map<String, Map<Integer, long[]>> tracks = new HashMap<>();

        void add(String title, long playlistCount, int[] ids, long[] counts, int from, int to) {
            playlists.computeIfAbsent(title, t -> new long[1])[0] += playlistCount;
            Map<Integer, long[]> m = tracks.computeIfAbsent(title, t -> new HashMap<>());
            for (int i = from; i < to; i++) {
                m.computeIfAbsent(ids[i], x -> new long[1])[0] += counts == null ? 1 : counts[i];
            }
        }

        /** Titles in order, tracks by descending count then id, at most {@code limit} per title (all when 0). */
        TitleTrackRows rows(int minCount, int limit) {
            List<String> titles = new ArrayList<>(new TreeMap<>(playlists).keySet());
            titles.removeIf(t -> playlists.get(t)[0] < minCount);
            String[] outTitles = titles.toArray(new String[0]);
            long[] n = new long[outTitles.length];
            int[] start = new int[outTitles.length + 1];
            IntList ids = new IntList(1024);
            List<Long> counts = new ArrayList<>();
            for (int t = 0; t < outTitles.length; t++) {
                n[t] = playlists.get(outTitles[t])[0];
                Map<Integer, long[]> m = tracks.get(outTitles[t]);
                int[] order = m.keySet().stream().mapToInt(Integer::intValue).toArray();
                Integer[] boxed = Arrays.stream(order).boxed().toArray(Integer[]::new);
                Arrays.sort(boxed, (a, b) -> {
                    long ca = m.get(a)[0];
                    long cb = m.get(b)[0];
                    return ca != cb ? Long.compare(cb, ca) : Integer.compare(a, b);
                });
                int keep = limit > 0 ? Math.min(limit, boxed.length) : boxed.length;
                for (int i = 0; i < keep; i++) {
                    ids.add(boxed[i]);
                    counts.add(m.get(boxed[i])[0]);
                }
                start[t + 1] = ids.size();
            }
            return new TitleTrackRows(outTitles, n, start, ids.toArray(),
                    counts.stream().mapToLong(Long::longValue).toArray());
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
                if (!byShard[s].playlists.isEmpty()) {
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
