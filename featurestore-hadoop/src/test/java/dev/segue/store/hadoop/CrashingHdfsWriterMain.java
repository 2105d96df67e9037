package dev.segue.store.hadoop;

import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.WriteOptions;
import dev.segue.store.io.Location;

/**
 * Child process for {@link KilledHdfsWriterTest}: commits one version of {@code user_events} to the store at
 * {@code args[0]}, then starts a second and stops just before its manifest is written (see {@link PausingFileIO}),
 * waiting for the parent's SIGKILL.
 */
public final class CrashingHdfsWriterMain {
    private CrashingHdfsWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Location root = Location.of(args[0]);
        FeatureStore store = FeatureStore.open(new PausingFileIO(new HadoopFileIOProvider().open(root), 2), root);
        for (int i = 0; i < 2; i++) {
            try (FeatureSetWriter w = store.writer(HdfsStoreTest.events(), WriteOptions.producer("crash").partRows(200))) {
                w.append(HdfsStoreTest.eventBatch(1000, 100, i * 1000));
                System.out.println("committed " + w.commit());
                System.out.flush();
            }
        }
    }
}
