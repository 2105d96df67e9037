package dev.segue.ingest;

import dev.segue.format.FormatException;
import dev.segue.format.MalformedRecordException;
import dev.segue.format.MpdJson;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.PlaylistArrayReader;
import dev.segue.pipelines.progress.Progress;
import dev.segue.ranking.RankerHoldout;
import dev.segue.vocab.TrackPartial;
import java.io.BufferedInputStream;
import dev.segue.pipelines.evidence.DeadLetterFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Streams MPD slice files (one group of them per element) through the shared {@link PlaylistArrayReader} (never a second JSON reader)
 * and emits blocks of playlists, the blocks' track aggregates (statistics without the ranker holdout's playlists,
 * {@link MpdIngest#withRankerHoldout}), one dead letter per malformed record and
 * a per-file summary. A file that is not readable JSON of the slice shape fails the pipeline with the
 * reader's file:line:column message: its remaining records cannot be counted, so no error rate applies.
 */
final class ParseSliceFn extends DoFn<List<String>, PlaylistBlock> {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong PLAYLISTS_SO_FAR = new AtomicLong();
    private static final AtomicLong FILES_SO_FAR = new AtomicLong();

    private final int blockRows;
    /** The ranker holdout's share: those playlists count for the track ids but not in the statistics. */
    private final double rankerShare;
    private final TupleTag<PlaylistBlock> blocksTag;
    private final TupleTag<TrackPartial> tracksTag;
    private final TupleTag<DeadLetter> deadTag;
    private final TupleTag<IngestTotals> summaryTag;
    private final Counter playlistCounter = Metrics.counter("ingest", "playlists");
    private final Counter malformedCounter = Metrics.counter("ingest", "malformed");

    private final DeadLetterFiles deadLetterFile;

    /** {@code deadLetterFile}: also writes each file's dead letters there once it is read (null: none). */
    ParseSliceFn(int blockRows, double rankerShare, TupleTag<PlaylistBlock> blocksTag,
            TupleTag<TrackPartial> tracksTag, TupleTag<DeadLetter> deadTag, TupleTag<IngestTotals> summaryTag,
            DeadLetterFiles deadLetterFile) {
        this.deadLetterFile = deadLetterFile;
        this.blockRows = blockRows;
        this.rankerShare = rankerShare;
        this.blocksTag = blocksTag;
        this.tracksTag = tracksTag;
        this.deadTag = deadTag;
        this.summaryTag = summaryTag;
    }

    @ProcessElement
    public void process(@Element List<String> files, MultiOutputReceiver out) throws IOException {
        // One track aggregate for the whole group of files, not one per block: the same tracks recur in every
        // block, and each copy would be encoded, shuffled and merged downstream.
        // Blocks run on across the group's files: fewer, fuller blocks mean fewer bundles in every later step.
        GroupTracks tracks = new GroupTracks();
        BlockBuilder block = new BlockBuilder(tracks);
        for (String file : files) {
            parse(FileSystems.matchSingleFileSpec(file).resourceId(), block, out);
        }
        if (block.size() > 0) {
            block.emit(out);
        }
        if (tracks.builder.size() > 0) {
            out.get(tracksTag).output(tracks.builder.build());
        }
    }

    /** The group's track aggregate and a playlist counter unique within it. */
    private static final class GroupTracks {
        final TrackPartial.Builder builder = new TrackPartial.Builder(1 << 16);
        int playlists;
    }

    private void parse(ResourceId resource, BlockBuilder block, MultiOutputReceiver out) throws IOException {
        String path = resource.toString();
        String name = resource.getFilename();
        long playlists = 0;
        long malformed = 0;
        long entries = 0;
        DeadLetter first = null;
        try (InputStream in = new BufferedInputStream(Channels.newInputStream(FileSystems.open(resource)), 1 << 16);
                PlaylistArrayReader<MpdPlaylist> reader = PlaylistArrayReader.open(in, Path.of(path),
                        MpdJson::playlist);
                DeadLetterFiles.Writer deadOut = deadLetterFile == null ? null : deadLetterFile.writer(name)) {
            while (true) {
                MpdPlaylist p;
                try {
                    p = reader.next();
                } catch (MalformedRecordException e) {
                    DeadLetter dead = new DeadLetter(path, e.line(), e.column(), e.index(), reason(e));
                    if (first == null) {
                        first = dead;
                    }
                    malformed++;
                    malformedCounter.inc();
                    out.get(deadTag).output(dead);
                    if (deadOut != null) {
                        deadOut.write(dead.toJson());
                    }
                    continue;
                }
                if (p == null) {
                    if (deadOut != null) {
                        deadOut.commit();
                    }
                    break;
                }
                block.add(p, name);
                playlists++;
                entries += p.tracks().size();
                playlistCounter.inc();
                if (block.size() == blockRows) {
                    block.emit(out);
                }
            }
        } catch (MalformedRecordException e) {
            throw new IllegalStateException(e);
        } catch (FormatException e) {
            throw new IngestException("cannot read MPD slice " + e.getMessage(), e);
        }
        out.get(summaryTag).output(new IngestTotals(1, playlists, malformed, entries, first));
        long total = PLAYLISTS_SO_FAR.addAndGet(playlists);
        long files = FILES_SO_FAR.incrementAndGet();
        Progress.report("ingest", files, 0, total, String.format("%s: %,d playlists, %,d malformed (%,d playlists "
                + "in %,d files so far)", name, playlists, malformed, total, files));
    }

    /** The reader's message is "file:line:col: playlist #i: reason"; keep the reason. */
    private static String reason(MalformedRecordException e) {
        String m = e.getMessage();
        String marker = "playlist #" + e.index() + ": ";
        int at = m.indexOf(marker);
        return at < 0 ? m : m.substring(at + marker.length());
    }

    /**
     * Accumulates consecutive playlists of a group's files into blocks; a block is named after the file its
     * first playlist came from and the group's block counter, which keeps names unique and deterministic.
     */
    private final class BlockBuilder {
        private String source;
        private int chunk;
        private long[] pids = new long[64];
        private String[] titles = new String[64];
        private int[] rowStart = new int[65];
        private long[] hashes = new long[1024];
        private int rows;
        private int nnz;
        private final GroupTracks tracks;

        BlockBuilder(GroupTracks tracks) {
            this.tracks = tracks;
        }

        int size() {
            return rows;
        }

        void add(MpdPlaylist p, String file) {
            if (rows == 0) {
                source = file;
            }
            if (rows == pids.length) {
                pids = Arrays.copyOf(pids, rows * 2);
                titles = Arrays.copyOf(titles, rows * 2);
                rowStart = Arrays.copyOf(rowStart, rows * 2 + 1);
            }
            List<MpdTrack> ts = p.tracks();
            int len = ts.size();
            if (nnz + len > hashes.length) {
                hashes = Arrays.copyOf(hashes, Math.max(hashes.length * 2, nnz + len));
            }
            boolean firstStage = !RankerHoldout.isRankerPlaylist(p.pid(), rankerShare);
            for (int i = 0; i < len; i++) {
                double rel = len <= 1 ? 0.0 : (double) i / (len - 1);
                hashes[nnz++] = tracks.builder.addOccurrence(ts.get(i), p.pid(), i, tracks.playlists, rel, firstStage);
            }
            tracks.playlists++;
            pids[rows] = p.pid();
            titles[rows] = p.name();
            rows++;
            rowStart[rows] = nnz;
        }

        void emit(MultiOutputReceiver out) {
            out.get(blocksTag).output(new PlaylistBlock(source, chunk,
                    Arrays.copyOf(pids, rows), Arrays.copyOf(titles, rows), Arrays.copyOf(rowStart, rows + 1),
                    Arrays.copyOf(hashes, nnz)));
            chunk++;
            rows = 0;
            nnz = 0;
        }
    }
}
