package dev.segue.pipelines.spark;

import java.util.List;

/** What the tests of this module pass to run a pipeline on Spark in the test JVM. */
public final class SparkTesting {
    private SparkTesting() {}

    /**
     * Beam arguments for the SparkRunner on {@code local[2]} (two worker threads in this JVM). The web UI is off and
     * the driver binds to loopback through system properties of the test JVM (this module's pom).
     */
    public static List<String> local() {
        return List.of("--runner=SparkRunner", "--sparkMaster=local[2]");
    }
}
