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
 * globally and broadcast to the next. Output: the final rules as a one-element collection.
 */
public final class CleaningStatistics extends PTransform<PCollection<UserEvents>, PCollection<CleaningRules>> {
    private final PCollectionView<WindowPlan> plan;

    public CleaningStatistics(PCollectionView<WindowPlan> plan) {
        this.plan = plan;
    }

    @Override
    public PCollection<CleaningRules> expand(PCollection<UserEvents> shards) {
        PCollection<CleaningRules> bots = shards
                .apply("RecordCounts", ParDo.of(new ActivityFn(plan)).withSideInputs(plan))
                .setCoder(SerializableCoder.of(CleaningStats.Activity.class))
                .apply("MergeRecordCounts", Combine.globally(CleaningStats.Activity::merge))
                .setCoder(SerializableCoder.of(CleaningStats.Activity.class))
                .apply("BotThreshold", ParDo.of(new BotRulesFn(plan)).withSideInputs(plan))
                .setCoder(SerializableCoder.of(CleaningRules.class));
        PCollectionView<CleaningRules> botView = bots.apply("BotView", View.asSingleton());

        PCollection<CleaningRules> songLengths = shards
                .apply("SongLengths", ParDo.of(new SongLengthFn(plan, botView)).withSideInputs(plan, botView))
                .setCoder(SerializableCoder.of(CleaningStats.SongLengths.class))
                .apply("MergeSongLengths", Combine.globally(CleaningStats.SongLengths::merge))
                .setCoder(SerializableCoder.of(CleaningStats.SongLengths.class))
                .apply("SongLengthRules", ParDo.of(new SongLengthRulesFn(botView)).withSideInputs(botView))
                .setCoder(SerializableCoder.of(CleaningRules.class));
        PCollectionView<CleaningRules> songView = songLengths.apply("SongLengthView", View.asSingleton());

        return shards
                .apply("PlayTimes", ParDo.of(new PlayTimeFn(plan, songView)).withSideInputs(plan, songView))
                .setCoder(SerializableCoder.of(CleaningStats.PlayTimes.class))
                .apply("MergePlayTimes", Combine.globally(CleaningStats.PlayTimes::merge))
                .setCoder(SerializableCoder.of(CleaningStats.PlayTimes.class))
                .apply("PlayTimeRules", ParDo.of(new PlayTimeRulesFn(songView)).withSideInputs(songView))
                .setCoder(SerializableCoder.of(CleaningRules.class));
    }

    static final class ActivityFn extends DoFn<UserEvents, CleaningStats.Activity> {
        private final PCollectionView<WindowPlan> plan;

        ActivityFn(PCollectionView<WindowPlan> plan) {
            this.plan = plan;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            c.output(CleaningStats.Activity.of(c.element(), c.sideInput(plan)));
        }
    }

    static final class BotRulesFn extends DoFn<CleaningStats.Activity, CleaningRules> {
        private final PCollectionView<WindowPlan> plan;

        BotRulesFn(PCollectionView<WindowPlan> plan) {
            this.plan = plan;
        }

        /**
         * Refuses a run with nothing to clean: no plausible date at all (a plan without snapshots) or no event in
         * any feature window. This runs after every split is parsed (its input is a global merge of the parsed
         * events), so the dead letters of such logs are complete when the run stops; and the feature-set writes
         * wait for these rules ({@link ComputeChurnOutputs}), so nothing is committed.
         */
        @ProcessElement
        public void process(ProcessContext c) {
            WindowPlan p = c.sideInput(plan);
            if (p.size() == 0) {
                throw new IllegalArgumentException(p.derivation() + "; every line is a dead letter");
            }
            CleaningRules rules = CleaningRules.fromActivity(p.size(), c.element());
            long users = 0;
            for (int i = 0; i < rules.size(); i++) {
                users += rules.activeUsers(i);
            }
            if (users == 0) {
                throw new IllegalArgumentException("no usable event in any feature window (" + p.describe() + ")");
            }
            c.output(rules);
        }
    }

    static final class SongLengthFn extends DoFn<UserEvents, CleaningStats.SongLengths> {
        private final PCollectionView<WindowPlan> plan;
        private final PCollectionView<CleaningRules> rules;

        SongLengthFn(PCollectionView<WindowPlan> plan, PCollectionView<CleaningRules> rules) {
            this.plan = plan;
            this.rules = rules;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            c.output(CleaningStats.SongLengths.of(c.element(), c.sideInput(plan), c.sideInput(rules)));
        }
    }

    static final class SongLengthRulesFn extends DoFn<CleaningStats.SongLengths, CleaningRules> {
        private final PCollectionView<CleaningRules> rules;

        SongLengthRulesFn(PCollectionView<CleaningRules> rules) {
            this.rules = rules;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            c.output(c.sideInput(rules).withSongLengths(c.element()));
        }
    }

    static final class PlayTimeFn extends DoFn<UserEvents, CleaningStats.PlayTimes> {
        private final PCollectionView<WindowPlan> plan;
        private final PCollectionView<CleaningRules> rules;

        PlayTimeFn(PCollectionView<WindowPlan> plan, PCollectionView<CleaningRules> rules) {
            this.plan = plan;
            this.rules = rules;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            c.output(CleaningStats.PlayTimes.of(c.element(), c.sideInput(plan), c.sideInput(rules)));
        }
    }

    static final class PlayTimeRulesFn extends DoFn<CleaningStats.PlayTimes, CleaningRules> {
        private final PCollectionView<CleaningRules> rules;

        PlayTimeRulesFn(PCollectionView<CleaningRules> rules) {
            this.rules = rules;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            c.output(c.sideInput(rules).withPlayTimes(c.element()));
        }
    }
}
