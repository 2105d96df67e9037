package dev.segue.store.hadoop;

import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.WriteOptions;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIOs;

/**
 * Child process for {@link KilledHdfsWriterTest} (and featurestore-s3's killed-writer test: the root's file IO is
 * found by scheme): commits one version of {@code user_events} to the store at
 * {@code args[0]}, then starts a second and stops just before its manifest is written (see {@link PausingFileIO}),
 * waiting for the parent's SIGKILL.
 */
public final class CrashingHdfsWriterMain {
    private CrashingHdfsWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Location root = Location.of(args[0]);
        FeatureStore store = FeatureStore.open(new PausingFileIO(StoreFileIOs.forRoot(root), 2), root);
        for (int i = 0; i < 2; i++) {
            try (FeatureSetWriter w = store.writer(HdfsStoreTest.events(), WriteOptions.producer("crash").partRows(200))) {
                w.append(HdfsStoreTest.eventBatch(1000, 100, i * 1000));
                System.out.println("committed " + w.commit());
                System.out.flush();
            }
        }
    }
}
