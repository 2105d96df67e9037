package dev.segue.pipelines.continuation;

import dev.segue.ingest.PlaylistBlock;
import dev.segue.ranking.RankerHoldout;
import java.util.Arrays;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Drops the ranker's playlists ({@link RankerHoldout#isRankerPlaylist}, {@code --rankerHoldout} of them by pid)
 * from the blocks the first stage learns from (ALS, titles), so the ranker pipeline can hold out their tails
 * without the first stage having seen them. A share of 0 passes every block through.
 */
final class LeaveOutRankerPlaylists extends PTransform<PCollection<PlaylistBlock>, PCollection<PlaylistBlock>> {
    private static final long serialVersionUID = 1L;
    private final double share;

    LeaveOutRankerPlaylists(double share) {
        this.share = RankerHoldout.checkShare("--rankerHoldout", share);
    }

    @Override
    public PCollection<PlaylistBlock> expand(PCollection<PlaylistBlock> blocks) {
        if (share == 0) {
            return blocks;
        }
        return blocks.apply("DropRankerPlaylists", ParDo.of(new DropFn(share))).setCoder(PlaylistBlock.Coder.of());
    }

    static final class DropFn extends DoFn<PlaylistBlock, PlaylistBlock> {
        private static final long serialVersionUID = 1L;
        private final double share;

        DropFn(double share) {
            this.share = share;
        }

        @ProcessElement
        public void process(@Element PlaylistBlock b, OutputReceiver<PlaylistBlock> out) {
            PlaylistBlock kept = keep(b, share);
            if (kept.playlists() > 0) {
                out.output(kept);
            }
        }
    }

    /** The block without its ranker playlists (the same block when it has none). */
    static PlaylistBlock keep(PlaylistBlock b, double share) {
        int n = b.playlists();
        long[] pids = new long[n];
        String[] titles = new String[n];
        int[] rowStart = new int[n + 1];
        long[] hashes = new long[b.trackHashes().length];
        int m = 0;
        int nnz = 0;
        for (int p = 0; p < n; p++) {
            if (RankerHoldout.isRankerPlaylist(b.pids()[p], share)) {
                continue;
            }
            int from = b.rowStart()[p];
            int to = b.rowStart()[p + 1];
            System.arraycopy(b.trackHashes(), from, hashes, nnz, to - from);
            nnz += to - from;
            pids[m] = b.pids()[p];
            titles[m] = b.titles()[p];
            rowStart[++m] = nnz;
        }
        if (m == n) {
            return b;
        }
        return new PlaylistBlock(b.source(), b.chunk(), Arrays.copyOf(pids, m), Arrays.copyOf(titles, m),
                Arrays.copyOf(rowStart, m + 1), Arrays.copyOf(hashes, nnz));
    }
}
