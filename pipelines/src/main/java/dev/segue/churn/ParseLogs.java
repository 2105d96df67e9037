package dev.segue.churn;

import dev.segue.pipelines.evidence.DeadLetterFiles;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.Locale;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Parses log splits into event blocks partitioned by user shard ({@link #EVENTS}), dead letters with reasons
 * ({@link #DEAD_LETTERS}) and the date range the logs cover ({@link #DATES}, a singleton). Every line read
 * is counted: {@code lines.read} = {@code events.P + events.D + events.S} + the {@code deadletter.*} counters.
 */
public final class ParseLogs extends PTransform<PCollection<LogSplit>, PCollectionTuple> {
    public static final TupleTag<KV<Integer, EventBlock>> EVENTS = new TupleTag<>() {};
    public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
    public static final TupleTag<DateRange> RANGES = new TupleTag<>() {};
    public static final TupleTag<DateRange> DATES = new TupleTag<>() {};

    private final PCollectionView<WindowPlan> plan;
    private final int shards;
    private final int blockEvents;
    private final DeadLetterFiles deadLetterFile;

    public ParseLogs(PCollectionView<WindowPlan> plan, int shards, int blockEvents) {
        this(plan, shards, blockEvents, null);
    }

    /**
     * {@code deadLetterFile}: also writes each split's dead letters there as soon as the split is parsed, so they
     * survive a run that fails later (see {@link DeadLetterFiles}); null for none.
     */
    public ParseLogs(PCollectionView<WindowPlan> plan, int shards, int blockEvents, DeadLetterFiles deadLetterFile) {
        this.plan = plan;
        this.shards = shards;
        this.blockEvents = blockEvents;
        this.deadLetterFile = deadLetterFile;
    }

    /** The shard of a user: stable across runs and runners (String.hashCode is specified). */
    public static int shardOf(String uid, int shards) {
        return Math.floorMod(uid.hashCode() * 0x9E3779B1, shards);
    }

    @Override
    public PCollectionTuple expand(PCollection<LogSplit> splits) {
        PCollectionTuple parsed = splits.apply("ParseSplits", ParDo.of(new ParseFn(plan, shards, blockEvents, deadLetterFile))
                .withSideInputs(plan)
                .withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS).and(RANGES)));
        parsed.get(EVENTS).setCoder(KvCoder.of(VarIntCoder.of(), EventBlockCoder.of()));
        parsed.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
        PCollection<DateRange> dates = parsed.get(RANGES).setCoder(SerializableCoder.of(DateRange.class))
                .apply("LogDateRange", Combine.globally(DateRange::merge))
                .setCoder(SerializableCoder.of(DateRange.class));
        return PCollectionTuple.of(EVENTS, parsed.get(EVENTS)).and(DEAD_LETTERS, parsed.get(DEAD_LETTERS))
                .and(DATES, dates);
    }

    static final class ParseFn extends DoFn<LogSplit, KV<Integer, EventBlock>> {
        private final PCollectionView<WindowPlan> planView;
        private final int shards;
        private final int blockEvents;
        private final DeadLetterFiles deadLetterFile;

        ParseFn(PCollectionView<WindowPlan> planView, int shards, int blockEvents, DeadLetterFiles deadLetterFile) {
            this.planView = planView;
            this.shards = shards;
            this.blockEvents = blockEvents;
            this.deadLetterFile = deadLetterFile;
        }

        @ProcessElement
        public void process(ProcessContext c) throws IOException {
            LogSplit split = c.element();
            WindowPlan plan = c.sideInput(planView);
            LogLineParser parser = new LogLineParser(split.layout(), plan);
            EventBlock.Builder[] blocks = new EventBlock.Builder[shards];
            long[] dead = new long[DeadLetter.Reason.values().length];
            long events = 0;
            long lines = 0;
            DateRange range = DateRange.EMPTY;
            LogKind kind = split.layout().kind();
            try (LineRangeReader r = new LineRangeReader(split.file(), split.start(), split.end(), split.firstLine());
                 DeadLetterFiles.Writer deadOut = deadLetterFile == null ? null : deadLetterFile.writer(
                         Paths.get(split.file()).getFileName() + "-" + String.format(Locale.ROOT, "%019d", split.start()))) {
                String line;
                while ((line = r.next()) != null) {
                    lines++;
                    LogLineParser.Rejection rejection = parser.parse(line);
                    if (parser.dateValid && (rejection == null
                            || rejection.reason() == DeadLetter.Reason.OUTSIDE_WINDOWS
                            || rejection.reason() == DeadLetter.Reason.AFTER_LAST_WINDOW)) {
                        range = range.with(parser.day);
                    }
                    if (rejection != null) {
                        dead[rejection.reason().ordinal()]++;
                        DeadLetter d = new DeadLetter(split.file(), r.lineNumber(), rejection.reason(),
                                rejection.detail(), line);
                        c.output(DEAD_LETTERS, d);
                        if (deadOut != null) {
                            deadOut.write(d.toCsv());
                        }
                        continue;
                    }
                    int s = shardOf(parser.uid, shards);
                    EventBlock.Builder b = blocks[s];
                    if (b == null) {
                        b = blocks[s] = EventBlock.builder();
                    }
                    b.add(parser.uid, kind, parser.device, parser.songId, parser.day, parser.playTime,
                            parser.songLength);
                    events++;
                    if (b.size() >= blockEvents) {
                        c.output(KV.of(s, b.build()));
                        b.clear();
                    }
                }
                if (deadOut != null) {
                    deadOut.commit();
                }
            }
            for (int s = 0; s < shards; s++) {
                if (blocks[s] != null && blocks[s].size() > 0) {
                    c.output(KV.of(s, blocks[s].build()));
                }
            }
            if (!range.isEmpty()) {
                c.output(RANGES, range);
            }
            Metrics.counter(ChurnPipeline.NAMESPACE, "lines.read").inc(lines);
            Metrics.counter(ChurnPipeline.NAMESPACE, "events." + kind.code()).inc(events);
            for (DeadLetter.Reason reason : DeadLetter.Reason.values()) {
                if (dead[reason.ordinal()] > 0) {
                    Metrics.counter(ChurnPipeline.NAMESPACE, reason.counterName()).inc(dead[reason.ordinal()]);
                }
            }
        }
    }
}
