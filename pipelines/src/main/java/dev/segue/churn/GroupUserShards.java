package dev.segue.churn;

import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/** Brings each user shard's event blocks together and sorts them into one {@link UserEvents} per shard. */
public final class GroupUserShards extends PTransform<PCollection<KV<Integer, EventBlock>>, PCollection<UserEvents>> {
    @Override
    public PCollection<UserEvents> expand(PCollection<KV<Integer, EventBlock>> blocks) {
        return blocks.apply("ByShard", GroupByKey.create())
                .apply("Assemble", ParDo.of(new AssembleFn()))
                .setCoder(SerializableCoder.of(UserEvents.class));
    }

    static final class AssembleFn extends DoFn<KV<Integer, Iterable<EventBlock>>, UserEvents> {
        @ProcessElement
        public void process(@Element KV<Integer, Iterable<EventBlock>> shard, OutputReceiver<UserEvents> out) {
            UserEvents ev = UserEvents.assemble(shard.getValue());
            Metrics.counter(ChurnPipeline.NAMESPACE, "users").inc(ev.userCount());
            out.output(ev);
        }
    }
}
