package dev.segue.store.beam;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The run a pipeline's feature-set versions belong to. A pipeline's {@code run} method sets a fresh id when none is
 * given, tags every version it writes with it ({@link dev.segue.store.WriteOptions#run}) and, once all are
 * committed, writes the store snapshot that makes them visible together. A caller that chains pipelines into one
 * run (churn, then ratings factors) passes its own id and writes the snapshot itself.
 */
public interface StoreRunOptions extends PipelineOptions {
    @Description("Feature-store run id the written versions belong to (default: a new run whose snapshot this "
            + "pipeline writes when it finishes; given: the caller writes the snapshot)")
    @Default.String("")
    String getStoreRun();

    void setStoreRun(String value);

    /**
     * Starts the run if the caller did not: sets a fresh id and returns true when this pipeline owns the run (and
     * so writes its snapshot).
     */
    static boolean begin(StoreRunOptions o) {
        if (o.getStoreRun() == null || o.getStoreRun().isBlank()) {
            o.setStoreRun(dev.segue.store.FeatureStore.newRun());
            return true;
        }
        return false;
    }

    /** Tags {@code options} with the run, when one is set (a pipeline built without a run writes plain versions). */
    static dev.segue.store.WriteOptions tag(StoreRunOptions o, dev.segue.store.WriteOptions options) {
        return o.getStoreRun() == null || o.getStoreRun().isBlank() ? options : options.run(o.getStoreRun());
    }
}
