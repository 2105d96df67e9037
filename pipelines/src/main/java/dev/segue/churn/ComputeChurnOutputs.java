package dev.segue.churn;

import dev.segue.store.Batch;
import dev.segue.store.beam.BatchCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import java.util.List;
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
    private final PCollection<CleaningRules> rules;
    private final PCollectionView<DateRange> dates;

    /** {@code rules}: the one-element output of {@link CleaningStatistics}. */
    public ComputeChurnOutputs(PCollectionView<WindowPlan> plan, PCollection<CleaningRules> rules,
                               PCollectionView<DateRange> dates) {
        this.plan = plan;
        this.rules = rules;
        this.dates = dates;
    }

    /**
     * Each output also waits for the rules: it is flattened with an empty collection derived from them. Without
     * this, shards with no event (all-garbage logs) would leave the outputs empty and complete at once, and the
     * feature sets would be committed empty before {@link CleaningStatistics} refuses the run.
     */
    @Override
    public PCollectionTuple expand(PCollection<UserEvents> shards) {
        PCollectionView<CleaningRules> rulesView = rules.apply("RulesView", View.asSingleton());
        PCollectionTuple out = shards.apply("Features", ParDo.of(new FeaturesFn(plan, rulesView, dates))
                .withSideInputs(plan, rulesView, dates)
                .withOutputTags(FEATURES, TupleTagList.of(LABELS).and(RATINGS)));
        PCollection<Batch> none = rules.apply("AfterRules", FlatMapElements.into(TypeDescriptor.of(Batch.class))
                .via((CleaningRules r) -> List.<Batch>of())).setCoder(BatchCoder.of());
        PCollectionTuple gated = PCollectionTuple.empty(shards.getPipeline());
        List<TupleTag<Batch>> tags = List.of(FEATURES, LABELS, RATINGS);
        List<String> names = List.of("GateFeatures", "GateLabels", "GateRatings");
        for (int i = 0; i < tags.size(); i++) {
            out.get(tags.get(i)).setCoder(BatchCoder.of());
            gated = gated.and(tags.get(i), PCollectionList.of(out.get(tags.get(i))).and(none)
                    .apply(names.get(i), Flatten.pCollections()).setCoder(BatchCoder.of()));
        }
        return gated;
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
