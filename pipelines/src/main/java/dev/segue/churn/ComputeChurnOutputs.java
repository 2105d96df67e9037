package dev.segue.churn;

import dev.segue.store.Batch;
import dev.segue.store.beam.BatchCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Applies the cleaning rules and computes, per user shard, the feature rows of every snapshot, the labels of
 * every snapshot whose label window ends on or before the last log date, and the ratings of the last
 * snapshot ({@link ShardFeatures}). Each rule's effect is counted per snapshot as {@code clean.*@DATE}.
 */
public final class ComputeChurnOutputs extends PTransform<PCollection<UserEvents>, PCollectionTuple> {
    public static final TupleTag<Batch> FEATURES = new TupleTag<>() {};
    public static final TupleTag<Batch> LABELS = new TupleTag<>() {};
    public static final TupleTag<Batch> RATINGS = new TupleTag<>() {};

    private final PCollectionView<WindowPlan> plan;
    private final PCollectionView<CleaningRules> rules;
    private final PCollectionView<DateRange> dates;

    public ComputeChurnOutputs(PCollectionView<WindowPlan> plan, PCollectionView<CleaningRules> rules,
                               PCollectionView<DateRange> dates) {
        this.plan = plan;
        this.rules = rules;
        this.dates = dates;
    }

    @Override
    public PCollectionTuple expand(PCollection<UserEvents> shards) {
        PCollectionTuple out = shards.apply("Features", ParDo.of(new FeaturesFn(plan, rules, dates))
                .withSideInputs(plan, rules, dates)
                .withOutputTags(FEATURES, TupleTagList.of(LABELS).and(RATINGS)));
        out.get(FEATURES).setCoder(BatchCoder.of());
        out.get(LABELS).setCoder(BatchCoder.of());
        out.get(RATINGS).setCoder(BatchCoder.of());
        return out;
    }

    static final class FeaturesFn extends DoFn<UserEvents, Batch> {
        private final PCollectionView<WindowPlan> planView;
        private final PCollectionView<CleaningRules> rulesView;
        private final PCollectionView<DateRange> datesView;

        FeaturesFn(PCollectionView<WindowPlan> planView, PCollectionView<CleaningRules> rulesView,
                   PCollectionView<DateRange> datesView) {
            this.planView = planView;
            this.rulesView = rulesView;
            this.datesView = datesView;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            WindowPlan plan = c.sideInput(planView);
            CleaningRules rules = c.sideInput(rulesView);
            DateRange dates = c.sideInput(datesView);
            ShardFeatures.Result r = ShardFeatures.compute(c.element(), plan, rules, dates.last());
            for (int i = 0; i < plan.size(); i++) {
                String at = "@" + LogDates.format(plan.snapshot(i));
                if (r.features()[i].rows() > 0) {
                    c.output(r.features()[i]);
                }
                Metrics.counter(ChurnPipeline.NAMESPACE, "rows.features" + at).inc(r.features()[i].rows());
                if (r.labels()[i] != null) {
                    if (r.labels()[i].rows() > 0) {
                        c.output(LABELS, r.labels()[i]);
                    }
                    Metrics.counter(ChurnPipeline.NAMESPACE, "rows.labels" + at).inc(r.labels()[i].rows());
                    long churned = 0;
                    for (int v : r.labels()[i].ints(ChurnSchemas.CHURN)) {
                        churned += v;
                    }
                    Metrics.counter(ChurnPipeline.NAMESPACE, "labels.churn" + at).inc(churned);
                } else {
                    Metrics.counter(ChurnPipeline.NAMESPACE, "labels.skipped_incomplete_window" + at)
                            .inc(r.features()[i].rows());
                }
                for (int k = 0; k < CleaningTally.WIDTH; k++) {
                    if (r.tally()[i][k] > 0) {
                        Metrics.counter(ChurnPipeline.NAMESPACE, CleaningTally.NAMES.get(k) + at).inc(r.tally()[i][k]);
                    }
                }
            }
            if (r.ratings().rows() > 0) {
                c.output(RATINGS, r.ratings());
            }
            Metrics.counter(ChurnPipeline.NAMESPACE, "rows.ratings").inc(r.ratings().rows());
            Metrics.counter(ChurnPipeline.NAMESPACE, "ratings.plays_without_song_id").inc(r.ratingPlaysWithoutSong());
        }
    }
}
