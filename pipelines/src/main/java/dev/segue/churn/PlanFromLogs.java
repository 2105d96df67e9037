package dev.segue.churn;

import java.io.IOException;
import java.time.DateTimeException;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The default snapshot plan when none is given (study 003's single split): one snapshot whose label window
 * ends on the last <em>busy</em> log date, {@link WindowPlan#fromLogs}: the last date holding at least
 * {@link DailyCounts#BUSY_SHARE} of the typical daily line count, so a stray far-future date cannot move the
 * window (its lines become {@code AFTER_LAST_WINDOW} dead letters). Reads only the date column of each line and
 * counts lines per date (lines whose structure or date is bad, or whose date is implausible, are ignored here and
 * dead-lettered by {@link ParseLogs}). Logs without any such date give a plan with no snapshot
 * ({@link WindowPlan#none}): every line is then a dead letter, and the cleaning statistics stop the run after
 * parsing, so the dead letters are written first.
 */
public final class PlanFromLogs extends PTransform<PCollection<LogSplit>, PCollectionView<WindowPlan>> {
    private final int featureDays;
    private final int labelDays;

    public PlanFromLogs(int featureDays, int labelDays) {
        this.featureDays = featureDays;
        this.labelDays = labelDays;
    }

    @Override
    public PCollectionView<WindowPlan> expand(PCollection<LogSplit> splits) {
        int f = featureDays;
        int l = labelDays;
        return splits
                .apply("ScanDates", ParDo.of(new ScanDatesFn()))
                .setCoder(SerializableCoder.of(DailyCounts.class))
                .apply("DailyCounts", Combine.globally(DailyCounts::merge))
                .setCoder(SerializableCoder.of(DailyCounts.class))
                .apply("Plan", MapElements.into(TypeDescriptor.of(WindowPlan.class))
                        .via((DailyCounts lines) -> WindowPlan.fromLogs(lines, f, l)))
                .setCoder(SerializableCoder.of(WindowPlan.class))
                .apply(View.asSingleton());
    }

    static final class ScanDatesFn extends DoFn<LogSplit, DailyCounts> {
        @ProcessElement
        public void process(@Element LogSplit split, OutputReceiver<DailyCounts> out) throws IOException {
            LogLayout layout = split.layout();
            CsvFields fields = new CsvFields(layout.fields() + 1);
            Map<Integer, Long> perDay = new HashMap<>();
            try (LineRangeReader r = new LineRangeReader(split.file(), split.start(), split.end(), split.firstLine())) {
                String line;
                while ((line = r.next()) != null) {
                    if (fields.split(line) != layout.fields() || fields.isMissing(layout.date())) {
                        continue;
                    }
                    try {
                        int day = LogDates.parse(fields.chars(layout.date()));
                        if (Plausibility.plausibleDate(day)) { // else an IMPLAUSIBLE dead letter of ParseLogs
                            perDay.merge(day, 1L, Long::sum);
                        }
                    } catch (DateTimeException e) {
                        // dead-lettered with its reason by ParseLogs
                    }
                }
            }
            if (!perDay.isEmpty()) {
                out.output(DailyCounts.of(perDay));
            }
        }
    }
}
