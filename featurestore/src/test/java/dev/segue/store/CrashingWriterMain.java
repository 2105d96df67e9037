package dev.segue.store;

import java.nio.file.Path;

/**
 * Child process for {@link KilledWriterTest}: commits versions in a loop, announcing each commit on stdout,
 * until the parent kills it with SIGKILL.
 */
public final class CrashingWriterMain {
    private CrashingWriterMain() {
    }

    public static void main(String[] args) {
        FeatureStore store = FeatureStore.open(Path.of(args[0]));
        int n = 40_000;
        for (int i = 0; ; i++) {
            try (FeatureSetWriter w = store.writer(TestData.trackFactors(), WriteOptions.producer("crash").compression(true))) {
                w.append(TestData.trackBatch(0, n, i));
                System.out.println("commit-start " + i);
                System.out.flush();
                String v = w.commit();
                System.out.println("commit-end " + v);
                System.out.flush();
            }
        }
    }
}
