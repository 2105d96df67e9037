package dev.segue.churn;

import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Computes the {@link CleaningRules} of every snapshot in three exact passes over the user shards (bot
 * threshold, then song-length percentile and mean, then play-time percentile and mean), each merged
 * globally and broadcast to the next. Output: the rules as a singleton (also as a collection for reports).
 */
public final class CleaningStatistics extends PTransform<PCollection<UserEvents>, PCollection<CleaningRules>> {
    private final PCollectionView<WindowPlan> plan;

    public CleaningStatistics(PCollectionView<WindowPlan> plan) {
        this.plan = plan;
    }

    @Override
    public PCollection<CleaningRules> expand(PCollection<UserEvents> shards) {
        PCollectionView<WindowPlan> planView = plan;
        PCollection<CleaningStats.Activity> activity = shards
                .apply("RecordCounts", ParDo.of(new DoFn<UserEvents, CleaningStats.Activity>() {
                    @ProcessElement
                    public void process(ProcessContext c) {
                        c.output(CleaningStats.Activity.of(c.element(), c.sideInput(planView)));
                    }
                }).withSideInputs(planView))
                .setCoder(SerializableCoder.of(CleaningStats.Activity.class))
                .apply("MergeRecordCounts", Combine.globally(CleaningStats.Activity::merge))
                .setCoder(SerializableCoder.of(CleaningStats.Activity.class));
        PCollection<CleaningRules> bots = activity
                .apply("BotThreshold", ParDo.of(new DoFn<CleaningStats.Activity, CleaningRules>() {
                    @ProcessElement
                    public void process(ProcessContext c) {
                        c.output(CleaningRules.fromActivity(c.sideInput(planView).size(), c.element()));
                    }
                }).withSideInputs(planView))
                .setCoder(SerializableCoder.of(CleaningRules.class));
        PCollectionView<CleaningRules> botView = bots.apply("BotView", View.asSingleton());

        PCollection<CleaningRules> songLengths = shards
                .apply("SongLengths", ParDo.of(new DoFn<UserEvents, CleaningStats.SongLengths>() {
                    @ProcessElement
                    public void process(ProcessContext c) {
                        c.output(CleaningStats.SongLengths.of(c.element(), c.sideInput(planView), c.sideInput(botView)));
                    }
                }).withSideInputs(planView, botView))
                .setCoder(SerializableCoder.of(CleaningStats.SongLengths.class))
                .apply("MergeSongLengths", Combine.globally(CleaningStats.SongLengths::merge))
                .setCoder(SerializableCoder.of(CleaningStats.SongLengths.class))
                .apply("SongLengthRules", ParDo.of(new DoFn<CleaningStats.SongLengths, CleaningRules>() {
                    @ProcessElement
                    public void process(ProcessContext c) {
                        c.output(c.sideInput(botView).withSongLengths(c.element()));
                    }
                }).withSideInputs(botView))
                .setCoder(SerializableCoder.of(CleaningRules.class));
        PCollectionView<CleaningRules> songView = songLengths.apply("SongLengthView", View.asSingleton());

        return shards
                .apply("PlayTimes", ParDo.of(new DoFn<UserEvents, CleaningStats.PlayTimes>() {
                    @ProcessElement
                    public void process(ProcessContext c) {
                        c.output(CleaningStats.PlayTimes.of(c.element(), c.sideInput(planView), c.sideInput(songView)));
                    }
                }).withSideInputs(planView, songView))
                .setCoder(SerializableCoder.of(CleaningStats.PlayTimes.class))
                .apply("MergePlayTimes", Combine.globally(CleaningStats.PlayTimes::merge))
                .setCoder(SerializableCoder.of(CleaningStats.PlayTimes.class))
                .apply("PlayTimeRules", ParDo.of(new DoFn<CleaningStats.PlayTimes, CleaningRules>() {
                    @ProcessElement
                    public void process(ProcessContext c) {
                        c.output(c.sideInput(songView).withPlayTimes(c.element()));
                    }
                }).withSideInputs(songView))
                .setCoder(SerializableCoder.of(CleaningRules.class));
    }
}
