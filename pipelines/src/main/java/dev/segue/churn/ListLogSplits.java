package dev.segue.churn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Finds the log files ({@code *.csv} under the logs folder), reads each header to learn its layout and cuts
 * the file into line-aligned byte ranges of about {@code splitBytes}, spread over workers. A file whose header
 * is none of study 003's layouts fails the pipeline with a message naming it.
 */
public final class ListLogSplits extends PTransform<PBegin, PCollection<LogSplit>> {
    private final String filePattern;
    private final long splitBytes;

    public ListLogSplits(String filePattern, long splitBytes) {
        this.filePattern = filePattern;
        this.splitBytes = splitBytes;
    }

    @Override
    public PCollection<LogSplit> expand(PBegin input) {
        return input
                .apply("MatchLogs", FileIO.match().filepattern(filePattern)
                        .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
                .apply("SplitFiles", ParDo.of(new SplitFn(splitBytes)))
                .setCoder(SerializableCoder.of(LogSplit.class))
                .apply("SpreadSplits", Reshuffle.viaRandomKey());
    }

    static final class SplitFn extends DoFn<MatchResult.Metadata, LogSplit> {
        private final long splitBytes;

        SplitFn(long splitBytes) {
            this.splitBytes = splitBytes;
        }

        @ProcessElement
        public void process(@Element MatchResult.Metadata file, OutputReceiver<LogSplit> out) throws IOException {
            String name = file.resourceId().toString();
            long size = file.sizeBytes();
            LogLayout layout;
            long headerEnd;
            try (LineRangeReader r = new LineRangeReader(name, 0, size, 1)) {
                String header = r.next();
                if (header == null) {
                    throw new IllegalArgumentException(name + ": empty log file (a header line is required)");
                }
                layout = LogLayout.fromHeader(name, header);
                headerEnd = r.position();
            }
            for (LogSplit s : split(name, layout, headerEnd, size, splitBytes)) {
                out.output(s);
            }
        }
    }

    /** Line-aligned ranges of [from, size) of about splitBytes each; the first line after the header is line 2. */
    static java.util.List<LogSplit> split(String name, LogLayout layout, long from, long size, long splitBytes)
            throws IOException {
        java.util.List<LogSplit> splits = new java.util.ArrayList<>();
        for (long[] r : lineRanges(name, from, size, splitBytes)) {
            splits.add(new LogSplit(name, layout, r[0], r[1], r[2]));
        }
        return splits;
    }

    /**
     * Cuts bytes [from, size) of a file (from = just after its header line) into ranges of about splitBytes
     * that start and end on line boundaries: {start, end, number of the first line} each.
     */
    public static java.util.List<long[]> lineRanges(String name, long from, long size, long splitBytes)
            throws IOException {
        java.util.List<long[]> splits = new java.util.ArrayList<>();
        if (size - from <= splitBytes) {
            if (size > from) {
                splits.add(new long[] {from, size, 2});
            }
            return splits;
        }
        long segStart = from;
        long segLine = 2;
        long line = 2;
        try (ReadableByteChannel ch = FileSystems.open(FileSystems.matchSingleFileSpec(name).resourceId())) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            long pos = 0;
            while (true) {
                b.clear();
                int r = ch.read(b);
                if (r < 0) {
                    break;
                }
                byte[] a = b.array();
                for (int i = 0; i < r; i++) {
                    if (a[i] == '\n' && pos + i >= from) {
                        long p = pos + i;
                        line++;
                        if (p + 1 - segStart >= splitBytes && p + 1 < size) {
                            splits.add(new long[] {segStart, p + 1, segLine});
                            segStart = p + 1;
                            segLine = line;
                        }
                    }
                }
                pos += r;
            }
        }
        if (segStart < size) {
            splits.add(new long[] {segStart, size, segLine});
        }
        return splits;
    }
}
