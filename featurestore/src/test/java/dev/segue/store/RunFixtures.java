package dev.segue.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tiny three-set "run" (factors, then titles and stats built from them) for the snapshot tests. */
final class RunFixtures {
    static final List<String> SETS = List.of("factors", "titles", "stats");

    private RunFixtures() {
    }

    static FeatureSetSchema schema(String name) {
        return FeatureSetSchema.builder(name)
                .entityKey("id", FeatureType.INT32)
                .column("value", FeatureType.FLOAT32, "a value")
                .build();
    }

    static String write(FeatureStore store, String name, String run, float value, Map<String, String> inputs) {
        WriteOptions o = WriteOptions.producer("test").compression(false);
        if (run != null) {
            o.run(run);
        }
        inputs.forEach(o::input);
        try (FeatureSetWriter w = store.writer(schema(name), o)) {
            w.append(Batch.builder(3).ints("id", new int[] {1, 2, 3})
                    .floats("value", new float[] {value, value, value}).build());
            return w.commit();
        }
    }

    /**
     * Writes the run's sets in order, stopping ("crashing") after {@code commits} commits; writes the snapshot
     * only when all three committed and {@code snapshot} is true. Returns the versions committed.
     */
    static Map<String, String> run(FeatureStore store, String run, float value, int commits, boolean snapshot) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> order = new ArrayList<>(SETS);
        for (int i = 0; i < Math.min(commits, order.size()); i++) {
            String name = order.get(i);
            Map<String, String> inputs = name.equals("factors") ? Map.of() : Map.of("factors", out.get("factors"));
            out.put(name, write(store, name, run, value, inputs));
        }
        if (snapshot && commits >= SETS.size()) {
            store.commitRun(run, "test", SETS);
        }
        return out;
    }

    /** Latest version of each run set, as readers resolve it. */
    static Map<String, String> latest(FeatureStore store) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : SETS) {
            out.put(s, store.latest(s).version());
        }
        return out;
    }

    /** A run id whose process is certainly gone (a finished child's pid). */
    static String deadRun() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid() + "-" + java.util.UUID.randomUUID();
    }
}
