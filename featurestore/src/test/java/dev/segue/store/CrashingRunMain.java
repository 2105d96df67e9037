package dev.segue.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Child process for {@link SnapshotTest}: writes one run of {@link RunFixtures#SETS}, announcing each commit
 * ("committed N") and the snapshot ("snapshot") on stdout and then waiting for a line on stdin, so the parent can
 * SIGKILL it right after any commit point.
 */
public final class CrashingRunMain {
    private CrashingRunMain() {
    }

    public static void main(String[] args) throws Exception {
        FeatureStore store = FeatureStore.open(Path.of(args[0]));
        float value = Float.parseFloat(args[1]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String run = FeatureStore.newRun();
        String factors = null;
        for (int i = 0; i < RunFixtures.SETS.size(); i++) {
            String name = RunFixtures.SETS.get(i);
            String v = RunFixtures.write(store, name, run, value, factors == null ? Map.of() : Map.of("factors", factors));
            if (factors == null) {
                factors = v;
            }
            System.out.println("committed " + (i + 1));
            System.out.flush();
            in.readLine();
        }
        store.commitRun(run, "crash-test", RunFixtures.SETS);
        System.out.println("snapshot");
        System.out.flush();
        in.readLine();
    }
}
