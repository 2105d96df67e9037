package dev.segue.ingest;

import dev.segue.pipelines.progress.Progress;
import dev.segue.vocab.TrackPartial;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import dev.segue.pipelines.evidence.DeadLetterFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Streaming ingest of MPD slice files: playlists in blocks, one track aggregate per group of files, dead letters for
 * malformed records, and the totals. {@link Result#checkedTotals()} is a singleton view that only
 * materialises when the malformed-record rate is at most {@code maxErrorRate}; otherwise the pipeline fails
 * with a message giving the counts and the first bad record. Downstream writes take it as a side input, so a
 * rejected input never produces output.
 */
public final class MpdIngest extends PTransform<PBegin, MpdIngest.Result> {
    private static final long serialVersionUID = 1L;

    private final String filepattern;
    private final int blockRows;
    private final double maxErrorRate;
    private final int shards;
    private final DeadLetterFiles deadLetterFile;
    private final double rankerShare;

    private MpdIngest(String filepattern, int blockRows, double maxErrorRate, int shards,
                      DeadLetterFiles deadLetterFile, double rankerShare) {
        this.deadLetterFile = deadLetterFile;
        this.filepattern = filepattern;
        this.blockRows = blockRows;
        this.maxErrorRate = maxErrorRate;
        this.shards = shards;
        this.rankerShare = rankerShare;
    }

    /**
     * Reads {@code mpd}: a folder (its {@code mpd.slice.*.json} files) or a file pattern. Defaults: blocks of
     * 1,000 playlists, at most 1% malformed records.
     */
    public static MpdIngest from(String mpd) {
        return new MpdIngest(filepattern(mpd), 1000, 0.01, 16, null, 0);
    }

    /** The file pattern for a folder or pattern argument. */
    public static String filepattern(String mpd) {
        if (mpd.contains("*") || mpd.contains("?") || mpd.endsWith(".json")) {
            return mpd;
        }
        return (mpd.endsWith("/") ? mpd : mpd + "/") + "mpd.slice.*.json";
    }

    public MpdIngest withBlockRows(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("block rows must be positive, got " + rows);
        }
        return new MpdIngest(filepattern, rows, maxErrorRate, shards, deadLetterFile, rankerShare);
    }

    public MpdIngest withMaxErrorRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("max error rate must be in [0, 1], got " + rate);
        }
        return new MpdIngest(filepattern, blockRows, rate, shards, deadLetterFile, rankerShare);
    }

    /**
     * The matching files in name order, dealt round-robin into at most {@code shards} groups. Listing happens
     * when the pipeline is built, so a pattern without files fails at once; grouping keeps the number of
     * elements (and, on the DirectRunner, of bundles and of state copies in every later grouping) small.
     */
    static List<List<String>> fileGroups(String filepattern, int shards) {
        List<String> files = new ArrayList<>();
        for (MatchResult.Metadata m : dev.segue.pipelines.InputPaths.match("--mpd", filepattern)) {
            files.add(m.resourceId().toString());
        }
        if (files.isEmpty()) {
            throw new IngestException("no MPD slice files match " + filepattern);
        }
        Collections.sort(files);
        List<List<String>> groups = new ArrayList<>();
        for (int i = 0; i < Math.min(shards, files.size()); i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < files.size(); i++) {
            groups.get(i % groups.size()).add(files.get(i));
        }
        return groups;
    }

    /** Files are read in at most this many parallel groups (default 16). */
    public MpdIngest withShards(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("ingest shards must be positive, got " + n);
        }
        return new MpdIngest(filepattern, blockRows, maxErrorRate, n, deadLetterFile, rankerShare);
    }

    /**
     * Also writes the dead letters (JSON lines) into this file as each slice file is read, so they survive a run
     * that the error-rate check stops ({@link DeadLetterFiles}; the driver calls its {@code finish}).
     */
    public MpdIngest withDeadLetterFile(DeadLetterFiles file) {
        return new MpdIngest(filepattern, blockRows, maxErrorRate, shards, file, rankerShare);
    }

    /**
     * The track aggregates' statistics leave out the ranker's playlists
     * ({@link dev.segue.ranking.RankerHoldout#isRankerPlaylist}{@code (pid, share)}); their occurrences still count
     * for the ids ({@link TrackPartial}). The blocks hold every playlist either way. Default 0: none left out.
     */
    public MpdIngest withRankerHoldout(double share) {
        dev.segue.ranking.RankerHoldout.checkShare("--rankerHoldout", share);
        return new MpdIngest(filepattern, blockRows, maxErrorRate, shards, deadLetterFile, share);
    }

    @Override
    public Result expand(PBegin input) {
        TupleTag<PlaylistBlock> blocks = new TupleTag<>() {};
        TupleTag<TrackPartial> tracks = new TupleTag<>() {};
        TupleTag<DeadLetter> dead = new TupleTag<>() {};
        TupleTag<IngestTotals> summary = new TupleTag<>() {};
        List<List<String>> groups = fileGroups(filepattern, shards);
        PCollectionTuple parsed = input
                .apply("SliceGroups", Create.of(groups).withCoder(ListCoder.of(StringUtf8Coder.of())))
                .apply("ParseSlices", ParDo.of(new ParseSliceFn(blockRows, rankerShare, blocks, tracks, dead, summary,
                        deadLetterFile))
                        .withOutputTags(blocks, TupleTagList.of(tracks).and(dead).and(summary)));
        PCollection<PlaylistBlock> blockOut = parsed.get(blocks).setCoder(PlaylistBlock.Coder.of());
        PCollection<TrackPartial> trackOut = parsed.get(tracks).setCoder(TrackPartial.Coder.of());
        PCollection<DeadLetter> deadOut = parsed.get(dead).setCoder(SerializableCoder.of(DeadLetter.class));
        PCollection<IngestTotals> totals = parsed.get(summary).setCoder(SerializableCoder.of(IngestTotals.class))
                .apply("SumTotals", Combine.globally(new SumTotals()))
                .setCoder(SerializableCoder.of(IngestTotals.class));
        PCollectionView<IngestTotals> checked = totals
                .apply("CheckErrorRate", ParDo.of(new CheckErrorRate(maxErrorRate, filepattern)))
                .setCoder(SerializableCoder.of(IngestTotals.class))
                .apply("CheckedTotals", View.asSingleton());
        return new Result(input.getPipeline(), blockOut, trackOut, deadOut, totals, checked);
    }

    /** The outputs of the ingest. */
    public static final class Result implements POutput {
        private final Pipeline pipeline;
        private final PCollection<PlaylistBlock> blocks;
        private final PCollection<TrackPartial> tracks;
        private final PCollection<DeadLetter> deadLetters;
        private final PCollection<IngestTotals> totals;
        private final PCollectionView<IngestTotals> checkedTotals;

        Result(Pipeline pipeline, PCollection<PlaylistBlock> blocks, PCollection<TrackPartial> tracks,
                PCollection<DeadLetter> deadLetters, PCollection<IngestTotals> totals,
                PCollectionView<IngestTotals> checkedTotals) {
            this.pipeline = pipeline;
            this.blocks = blocks;
            this.tracks = tracks;
            this.deadLetters = deadLetters;
            this.totals = totals;
            this.checkedTotals = checkedTotals;
        }

        public PCollection<PlaylistBlock> blocks() {
            return blocks;
        }

        public PCollection<TrackPartial> tracks() {
            return tracks;
        }

        public PCollection<DeadLetter> deadLetters() {
            return deadLetters;
        }

        /** Totals before the error-rate check (for inspection). */
        public PCollection<IngestTotals> totals() {
            return totals;
        }

        /** Totals that passed the error-rate check; side-input it to gate outputs. */
        public PCollectionView<IngestTotals> checkedTotals() {
            return checkedTotals;
        }

        @Override
        public Pipeline getPipeline() {
            return pipeline;
        }

        @Override
        public Map<TupleTag<?>, PValue> expand() {
            return Map.of(new TupleTag<PlaylistBlock>("blocks"), blocks, new TupleTag<TrackPartial>("tracks"), tracks,
                    new TupleTag<DeadLetter>("deadLetters"), deadLetters, new TupleTag<IngestTotals>("totals"), totals);
        }

        @Override
        public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {
        }
    }

    static final class SumTotals extends Combine.BinaryCombineFn<IngestTotals> {
        private static final long serialVersionUID = 1L;

        @Override
        public IngestTotals apply(IngestTotals left, IngestTotals right) {
            return left.plus(right);
        }

        @Override
        public IngestTotals identity() {
            return IngestTotals.ZERO;
        }
    }

    /** Passes the totals on, or fails the pipeline with a message a user can act on. */
    static final class CheckErrorRate extends DoFn<IngestTotals, IngestTotals> {
        private static final long serialVersionUID = 1L;
        private final double maxErrorRate;
        private final String filepattern;

        CheckErrorRate(double maxErrorRate, String filepattern) {
            this.maxErrorRate = maxErrorRate;
            this.filepattern = filepattern;
        }

        @ProcessElement
        public void process(@Element IngestTotals t, OutputReceiver<IngestTotals> out) {
            check(t, maxErrorRate, filepattern);
            Progress.report("ingest-done", t.playlists(), t.malformed(), t.trackEntries(), String.format(
                    "done: %,d playlists with %,d track entries from %,d files; %,d malformed records skipped",
                    t.playlists(), t.trackEntries(), t.files(), t.malformed()));
            out.output(t);
        }
    }

    /** Throws {@link IngestException} when there are no playlists or too many malformed records. */
    public static void check(IngestTotals t, double maxErrorRate, String filepattern) {
        if (t.playlists() == 0) {
            throw new IngestException("no playlists in " + filepattern + " (" + t.files() + " files, "
                    + t.malformed() + " malformed records" + (t.firstError() == null ? "" : "; first: " + t.firstError())
                    + ")");
        }
        if (t.errorRate() > maxErrorRate) {
            throw new IngestException(String.format(
                    "%,d of %,d playlist records (%.2f%%) are malformed, more than the allowed --maxErrorRate=%s "
                            + "(%.2f%%); first: %s", t.malformed(), t.records(), 100 * t.errorRate(),
                    maxErrorRate, 100 * maxErrorRate, t.firstError()));
        }
    }
}
