package dev.segue.genre;

import dev.segue.churn.CsvFields;
import dev.segue.churn.DeadLetter;
import dev.segue.churn.LineRangeReader;
import dev.segue.churn.ListLogSplits;
import dev.segue.pipelines.evidence.DeadLetterFiles;
import java.io.IOException;
import java.util.Locale;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.transforms.Flatten;

/**
 * Reads study 004's audio-feature CSV in parallel line-aligned splits into {@link AudioBlock}s, one per Id
 * shard, with each Id kept once (its first line; later lines are {@code DUPLICATE_KEY} dead letters). Rows
 * with a wrong field count, an empty Id, a missing or unparsable numeric feature, or one outside its physical
 * bounds ({@link AudioBounds}, reason {@code IMPLAUSIBLE}) are dead letters too; a missing {@code top genre} is
 * kept as missing.
 */
public final class ReadAudio extends PTransform<PBegin, PCollectionTuple> {
    public static final TupleTag<AudioBlock> TRACKS = new TupleTag<>() {};
    public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
    static final TupleTag<KV<Integer, AudioBlock>> SHARDED = new TupleTag<>() {};

    private final String file;
    private final int shards;
    private final long splitBytes;
    private final DeadLetterFiles deadLetterFile;

    public ReadAudio(String file, int shards, long splitBytes) {
        this(file, shards, splitBytes, null);
    }

    /**
     * {@code deadLetterFile}: also writes the dead letters there as each split is parsed and each Id shard is
     * deduplicated, so they survive a run that fails later ({@link DeadLetterFiles}); null for none.
     */
    public ReadAudio(String file, int shards, long splitBytes, DeadLetterFiles deadLetterFile) {
        this.file = file;
        this.shards = shards;
        this.splitBytes = splitBytes;
        this.deadLetterFile = deadLetterFile;
    }

    /** A line-aligned part of the audio file. */
    record Split(String file, AudioLayout layout, long start, long end, long firstLine) implements Serializable {}

    @Override
    public PCollectionTuple expand(PBegin input) {
        PCollectionTuple parsed = input
                .apply("MatchAudio", FileIO.match().filepattern(file).withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
                .apply("SplitAudio", ParDo.of(new SplitFn(splitBytes)))
                .setCoder(SerializableCoder.of(Split.class))
                .apply("SpreadSplits", Reshuffle.viaRandomKey())
                .apply("ParseAudio", ParDo.of(new ParseFn(shards, deadLetterFile)).withOutputTags(SHARDED, TupleTagList.of(DEAD_LETTERS)));
        parsed.get(SHARDED).setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(AudioBlock.class)));
        parsed.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
        PCollectionTuple deduped = parsed.get(SHARDED)
                .apply("ById", GroupByKey.create())
                .apply("FirstPerId", ParDo.of(new DedupeFn(file, deadLetterFile)).withOutputTags(TRACKS, TupleTagList.of(DEAD_LETTERS)));
        deduped.get(TRACKS).setCoder(SerializableCoder.of(AudioBlock.class));
        deduped.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
        PCollection<DeadLetter> dead = PCollectionList.of(parsed.get(DEAD_LETTERS)).and(deduped.get(DEAD_LETTERS))
                .apply("AllDeadLetters", Flatten.pCollections());
        return PCollectionTuple.of(TRACKS, deduped.get(TRACKS)).and(DEAD_LETTERS, dead);
    }

    static final class SplitFn extends DoFn<MatchResult.Metadata, Split> {
        private final long splitBytes;

        SplitFn(long splitBytes) {
            this.splitBytes = splitBytes;
        }

        @ProcessElement
        public void process(@Element MatchResult.Metadata m, OutputReceiver<Split> out) throws IOException {
            String name = m.resourceId().toString();
            AudioLayout layout;
            long headerEnd;
            try (LineRangeReader r = new LineRangeReader(name, 0, m.sizeBytes(), 1)) {
                String header = r.next();
                if (header == null) {
                    throw new IllegalArgumentException(name + ": empty audio file (a header line is required)");
                }
                layout = AudioLayout.fromHeader(name, header);
                headerEnd = r.position();
            }
            for (long[] s : ListLogSplits.lineRanges(name, headerEnd, m.sizeBytes(), splitBytes)) {
                out.output(new Split(name, layout, s[0], s[1], s[2]));
            }
        }
    }

    static int shardOf(String id, int shards) {
        return Math.floorMod(id.hashCode() * 0x9E3779B1, shards);
    }

    static final class ParseFn extends DoFn<Split, KV<Integer, AudioBlock>> {
        private final int shards;
        private final DeadLetterFiles deadLetterFile;

        ParseFn(int shards, DeadLetterFiles deadLetterFile) {
            this.shards = shards;
            this.deadLetterFile = deadLetterFile;
        }

        @ProcessElement
        public void process(ProcessContext c) throws IOException {
            Split s = c.element();
            AudioLayout l = s.layout();
            CsvFields f = new CsvFields(l.fields() + 1);
            AudioBlock[] blocks = new AudioBlock[shards];
            double[] v = new double[AudioBlock.WIDTH];
            long rows = 0;
            long[] dead = new long[DeadLetter.Reason.values().length];
            try (LineRangeReader r = new LineRangeReader(s.file(), s.start(), s.end(), s.firstLine());
                 DeadLetterFiles.Writer deadOut = deadLetterFile == null ? null
                         : deadLetterFile.writer(String.format(Locale.ROOT, "1-parse-%019d", s.start()))) {
                String line;
                while ((line = r.next()) != null) {
                    String problem = null;
                    DeadLetter.Reason reason = null;
                    int n = line.isBlank() ? 0 : f.split(line);
                    if (n < 0 || n != l.fields()) {
                        reason = DeadLetter.Reason.MALFORMED_LINE;
                        problem = line.isBlank() ? "empty line" : n < 0 ? f.error()
                                : n + " fields where the header has " + l.fields();
                    } else if (f.isMissing(l.id())) {
                        reason = DeadLetter.Reason.MISSING_FIELD;
                        problem = "Id is empty";
                    } else {
                        for (int k = 0; k < v.length && problem == null; k++) {
                            String col = AudioLayout.NUMERIC.get(k);
                            try {
                                v[k] = f.number(l.numeric()[k]);
                                if (Double.isNaN(v[k])) {
                                    reason = DeadLetter.Reason.MISSING_FIELD;
                                    problem = col + " is empty";
                                } else if ((problem = AudioBounds.check(k, v[k])) != null) {
                                    reason = DeadLetter.Reason.IMPLAUSIBLE;
                                }
                            } catch (NumberFormatException e) {
                                reason = DeadLetter.Reason.BAD_NUMBER;
                                problem = col + ": " + e.getMessage();
                            }
                        }
                    }
                    if (problem != null) {
                        dead[reason.ordinal()]++;
                        DeadLetter d = new DeadLetter(s.file(), r.lineNumber(), reason, problem, line);
                        c.output(DEAD_LETTERS, d);
                        if (deadOut != null) {
                            deadOut.write(d.toCsv());
                        }
                        continue;
                    }
                    String id = f.text(l.id());
                    int shard = shardOf(id, shards);
                    if (blocks[shard] == null) {
                        blocks[shard] = new AudioBlock(256);
                    }
                    String genre = f.isMissing(l.topGenre()) ? null : f.text(l.topGenre());
                    blocks[shard].add(id, f.text(l.title()), f.text(l.artist()), genre, r.lineNumber(), v, 0);
                    rows++;
                }
                if (deadOut != null) {
                    deadOut.commit();
                }
            }
            for (int i = 0; i < shards; i++) {
                if (blocks[i] != null) {
                    c.output(KV.of(i, blocks[i]));
                }
            }
            Metrics.counter(GenrePipeline.NAMESPACE, "rows.parsed").inc(rows);
            for (DeadLetter.Reason reason : DeadLetter.Reason.values()) {
                if (dead[reason.ordinal()] > 0) {
                    Metrics.counter(GenrePipeline.NAMESPACE, reason.counterName()).inc(dead[reason.ordinal()]);
                }
            }
        }
    }

    /** Merges a shard's blocks sorted by Id; the first line of each Id wins. */
    static final class DedupeFn extends DoFn<KV<Integer, Iterable<AudioBlock>>, AudioBlock> {
        private final String file;
        private final DeadLetterFiles deadLetterFile;

        DedupeFn(String file, DeadLetterFiles deadLetterFile) {
            this.file = file;
            this.deadLetterFile = deadLetterFile;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            List<AudioBlock> blocks = new ArrayList<>();
            int total = 0;
            for (AudioBlock b : c.element().getValue()) {
                blocks.add(b);
                total += b.size;
            }
            long[][] refs = new long[total][];
            int k = 0;
            for (int bi = 0; bi < blocks.size(); bi++) {
                for (int r = 0; r < blocks.get(bi).size; r++) {
                    refs[k++] = new long[] {bi, r};
                }
            }
            Arrays.sort(refs, Comparator.<long[], String>comparing(x -> blocks.get((int) x[0]).id[(int) x[1]])
                    .thenComparingLong(x -> blocks.get((int) x[0]).line[(int) x[1]]));
            AudioBlock out = new AudioBlock(total);
            String last = null;
            long lastLine = 0;
            long duplicates = 0;
            DeadLetterFiles.Writer deadOut = deadLetterFile == null ? null
                    : deadLetterFile.writer(String.format(Locale.ROOT, "2-duplicates-%06d", c.element().getKey()));
            for (long[] ref : refs) {
                AudioBlock b = blocks.get((int) ref[0]);
                int r = (int) ref[1];
                if (b.id[r].equals(last)) {
                    duplicates++;
                    DeadLetter d = new DeadLetter(file, b.line[r], DeadLetter.Reason.DUPLICATE_KEY,
                            "Id " + b.id[r] + " already on line " + lastLine, b.id[r]);
                    c.output(DEAD_LETTERS, d);
                    if (deadOut != null) {
                        deadOut.write(d.toCsv());
                    }
                    continue;
                }
                last = b.id[r];
                lastLine = b.line[r];
                out.addRow(b, r);
            }
            if (deadOut != null) {
                deadOut.commit();
                deadOut.close();
            }
            Metrics.counter(GenrePipeline.NAMESPACE, DeadLetter.Reason.DUPLICATE_KEY.counterName()).inc(duplicates);
            Metrics.counter(GenrePipeline.NAMESPACE, "rows.unique").inc(out.size);
            c.output(out);
        }
    }
}
