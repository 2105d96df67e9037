package dev.segue.pipelines.continuation;

import dev.segue.ingest.PlaylistBlock;
import dev.segue.ranking.RankerHoldout;
import dev.segue.vocab.TrackPartial;
import dev.segue.vocab.TrackRows;
import dev.segue.vocab.UriHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * {@code track_stats} without the ranker's playlists ({@link RankerHoldout#isRankerPlaylist}): the track table is
 * built from every training playlist (its ids, the vocabulary, stay as they are), so this takes the ranker
 * playlists' own counts — occurrences, playlists, Σ relative position, in the track table's fixed point — out of
 * each row. The ranker's popularity features and its {@code popular} source read {@code playlists} from here, so
 * they never count the playlists whose held-out tracks are its labels (as ALS, titles and neighbours already do
 * not). A track seen only in ranker playlists keeps its row with 0 occurrences, 0 playlists and mean relative
 * position 0. {@code popularity_rank} stays the vocabulary's order. A share of 0 passes the rows through.
 *
 * <p>Input: the track table's rows; the blocks of every playlist are given at construction.
 */
final class LeaveRankerPlaylistsOutOfStats extends PTransform<PCollection<TrackRows>, PCollection<TrackRows>> {
    private static final long serialVersionUID = 1L;
    /** Per track hash: {occurrences, playlists, Σ relative position in fixed point}. */
    private static final int OCCURRENCES = 0;
    private static final int PLAYLISTS = 1;
    private static final int POSITION_SUM = 2;

    private final transient PCollection<PlaylistBlock> blocks;
    private final double share;

    LeaveRankerPlaylistsOutOfStats(PCollection<PlaylistBlock> blocks, double share) {
        this.blocks = blocks;
        this.share = RankerHoldout.checkShare("--rankerHoldout", share);
    }

    @Override
    public PCollection<TrackRows> expand(PCollection<TrackRows> rows) {
        if (share == 0) {
            return rows;
        }
        PCollectionView<Map<Long, List<Long>>> counts = blocks
                .apply("CountRankerPlaylists", ParDo.of(new CountFn(share)))
                .setCoder(KvCoder.of(VarLongCoder.of(), ListCoder.of(VarLongCoder.of())))
                .apply("SumPerTrack", Combine.perKey(new Sum()))
                .apply("AsMap", View.asMap());
        return rows.apply("Subtract", ParDo.of(new SubtractFn(counts)).withSideInputs(counts))
                .setCoder(TrackRows.Coder.of());
    }

    /** The ranker playlists' counts per track of one block, as the ingest counts them. */
    static Map<Long, long[]> counts(PlaylistBlock b, double share) {
        Map<Long, long[]> out = new HashMap<>();
        for (int p = 0; p < b.playlists(); p++) {
            if (!RankerHoldout.isRankerPlaylist(b.pids()[p], share)) {
                continue;
            }
            int from = b.rowStart()[p];
            int len = b.rowStart()[p + 1] - from;
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < len; i++) {
                long h = b.trackHashes()[from + i];
                double rel = len <= 1 ? 0.0 : (double) i / (len - 1);
                long[] c = out.computeIfAbsent(h, k -> new long[3]);
                c[OCCURRENCES]++;
                c[POSITION_SUM] += Math.round(rel * TrackPartial.POSITION_SCALE);
                if (seen.add(h)) {
                    c[PLAYLISTS]++;
                }
            }
        }
        return out;
    }

    /** Row {@code i} of {@code r} without {@code c} ({occurrences, playlists, Σ relative position}). */
    static void subtract(TrackRows r, int i, long[] c) {
        long occurrences = r.occurrences()[i];
        long left = occurrences - c[OCCURRENCES];
        long playlists = r.playlists()[i] - c[PLAYLISTS];
        if (left < 0 || playlists < 0) {
            throw new IllegalStateException("track " + r.uri()[i] + ": the ranker playlists hold it " + c[OCCURRENCES]
                    + " times in " + c[PLAYLISTS] + " playlists, more than all playlists (" + occurrences + " in "
                    + r.playlists()[i] + ")");
        }
        double sum = r.meanRelativePosition()[i] * occurrences - c[POSITION_SUM] / TrackPartial.POSITION_SCALE;
        r.occurrences()[i] = left;
        r.playlists()[i] = playlists;
        r.meanRelativePosition()[i] = left == 0 ? 0 : Math.min(1, Math.max(0, sum / left));
    }

    static final class CountFn extends DoFn<PlaylistBlock, KV<Long, List<Long>>> {
        private static final long serialVersionUID = 1L;
        private final double share;

        CountFn(double share) {
            this.share = share;
        }

        @ProcessElement
        public void process(@Element PlaylistBlock b, OutputReceiver<KV<Long, List<Long>>> out) {
            counts(b, share).forEach((h, c) -> out.output(KV.of(h, List.of(c[0], c[1], c[2]))));
        }
    }

    static final class Sum implements SerializableFunction<Iterable<List<Long>>, List<Long>> {
        private static final long serialVersionUID = 1L;

        @Override
        public List<Long> apply(Iterable<List<Long>> parts) {
            long[] s = new long[3];
            for (List<Long> p : parts) {
                for (int j = 0; j < 3; j++) {
                    s[j] += p.get(j);
                }
            }
            List<Long> out = new ArrayList<>(3);
            for (long v : s) {
                out.add(v);
            }
            return out;
        }
    }

    static final class SubtractFn extends DoFn<TrackRows, TrackRows> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<Map<Long, List<Long>>> counts;

        SubtractFn(PCollectionView<Map<Long, List<Long>>> counts) {
            this.counts = counts;
        }

        @ProcessElement
        public void process(ProcessContext ctx) {
            TrackRows in = ctx.element();
            Map<Long, List<Long>> ranker = ctx.sideInput(counts);
            // a copy of the columns this changes: elements are immutable in Beam
            TrackRows r = new TrackRows(in.ids(), in.uri(), in.trackName(), in.artistUri(), in.artistName(),
                    in.albumUri(), in.albumName(), in.durationMs(), in.occurrences().clone(), in.playlists().clone(),
                    in.meanRelativePosition().clone());
            for (int i = 0; i < r.size(); i++) {
                List<Long> c = ranker.get(UriHash.of(r.uri()[i]));
                if (c != null) {
                    subtract(r, i, new long[] {c.get(0), c.get(1), c.get(2)});
                }
            }
            ctx.output(r);
        }
    }
}
