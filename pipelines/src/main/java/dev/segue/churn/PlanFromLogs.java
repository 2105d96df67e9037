package dev.segue.churn;

import java.io.IOException;
import java.time.DateTimeException;
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
 * The default snapshot plan when none is given: one snapshot whose label window ends on the last date found
 * in the logs (study 003's single split). Reads only the date column of each line (lines whose structure or
 * date is bad are ignored here and dead-lettered by {@link ParseLogs}).
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
                .setCoder(SerializableCoder.of(DateRange.class))
                .apply("DateRange", Combine.globally(DateRange::merge))
                .setCoder(SerializableCoder.of(DateRange.class))
                .apply("Plan", MapElements.into(TypeDescriptor.of(WindowPlan.class)).via((DateRange r) -> {
                    if (r.isEmpty()) {
                        throw new IllegalArgumentException("the logs hold no line with a valid date");
                    }
                    return WindowPlan.endingAt(r.last(), f, l);
                }))
                .setCoder(SerializableCoder.of(WindowPlan.class))
                .apply(View.asSingleton());
    }

    static final class ScanDatesFn extends DoFn<LogSplit, DateRange> {
        @ProcessElement
        public void process(@Element LogSplit split, OutputReceiver<DateRange> out) throws IOException {
            LogLayout layout = split.layout();
            CsvFields fields = new CsvFields(layout.fields() + 1);
            DateRange range = DateRange.EMPTY;
            try (LineRangeReader r = new LineRangeReader(split.file(), split.start(), split.end(), split.firstLine())) {
                String line;
                while ((line = r.next()) != null) {
                    if (fields.split(line) != layout.fields() || fields.isMissing(layout.date())) {
                        continue;
                    }
                    try {
                        range = range.with(LogDates.parse(fields.chars(layout.date())));
                    } catch (DateTimeException e) {
                        // dead-lettered with its reason by ParseLogs
                    }
                }
            }
            if (!range.isEmpty()) {
                out.output(range);
            }
        }
    }
}
