package dev.segue.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segue.pipelines.flink.FlinkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled jar submitted to a standalone Flink cluster of separate processes ({@link FlinkCluster}: a
 * JobManager and a TaskManager from Flink's Maven artifacts, on loopback): {@code java -cp <bundled jar>
 * dev.segue.churn.ChurnPipeline --runner=FlinkRunner --flinkMaster=localhost:PORT …}, the client side of
 * {@code flink run}, ships the jar to the cluster, which runs the churn pipeline; the store it writes holds the
 * plain-Java reference's features and labels. Run by the {@code bundle} profile (see BundledJarIT); the cluster
 * is killed afterwards whatever happens.
 */
class FlinkClusterIT {
    @TempDir
    Path dir;

    @Test
    void theBundledJarRunsChurnOnAStandaloneFlinkCluster() throws Exception {
        String jarProperty = System.getProperty("segue.bundled.jar");
        assumeTrue(jarProperty != null && !jarProperty.isBlank(), "the bundled jar is built only with -Pbundle");
        Path jar = Paths.get(jarProperty);
        assertTrue(Files.isRegularFile(jar), "-Pbundle should have built " + jar);
        Path logs = dir.resolve("logs");
        TinyLogs.write(logs, 200, 31);
        Path store = dir.resolve("store");
        Path out = dir.resolve("client.log");

        try (FlinkCluster cluster = new FlinkCluster(dir.resolve("flink"), 1, 2, "1600m")) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx512m");
            cmd.addAll(FlinkCluster.JVM_FLAGS);
            cmd.addAll(List.of("-cp", jar.toString(), ChurnPipeline.class.getName(), "--runner=FlinkRunner",
                    "--flinkMaster=" + cluster.master(), "--parallelism=2", "--logs=" + logs, "--store=" + store,
                    "--snapshots=2017-04-21,2017-04-28", "--userShards=3", "--reportDir=" + dir.resolve("report")));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().remove("CLASSPATH");
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            Process client = pb.start();
            try {
                if (!client.waitFor(5, TimeUnit.MINUTES)) {
                    throw new AssertionError("the job did not finish in 5 minutes:\n" + Files.readString(out)
                            + cluster.logs());
                }
            } finally {
                client.destroyForcibly();
            }
            assertEquals(0, client.exitValue(), "the client failed:\n" + Files.readString(out) + cluster.logs());
            assertTrue(Files.readString(out).contains("churn: "), Files.readString(out));
            // the job ran there, not on an embedded cluster of the client
            String jobs = cluster.jobsOverview();
            assertTrue(jobs.contains("\"state\":\"FINISHED\""), jobs);
        }
        ChurnReference ref = ChurnReference.compute(logs, List.of(LocalDate.of(2017, 4, 21), TinyLogs.SNAPSHOT), 30, 14);
        assertTrue(ChurnPipelineTest.assertFeaturesEqual(store, ref) > 3_000);
        ChurnPipelineTest.assertLabelsEqual(ChurnPipelineTest.readAll(store, ChurnSchemas.LABELS), ref);
    }
}
