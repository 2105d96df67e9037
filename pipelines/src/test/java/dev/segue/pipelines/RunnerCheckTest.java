package dev.segue.pipelines;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** What a pipeline says before it begins a run its runner cannot start. (This module has no Spark classes.) */
class RunnerCheckTest {
    @Test
    void sparkRunnerWithoutSparkClassesSaysWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunnerCheck.check(
                PipelineOptionsFactory.fromArgs("--runner=SparkRunner", "--sparkMaster=local[2]").create()));
        assertTrue(e.getMessage().startsWith("the Spark runner needs Spark's classes"), e.getMessage());
        assertTrue(e.getMessage().contains("SEGUE_EXTRA_CLASSPATH") && e.getMessage().contains("spark-submit"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void otherRunnersAreNotChecked() {
        assertDoesNotThrow(() -> RunnerCheck.check(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create()));
        assertDoesNotThrow(() -> RunnerCheck.check(PipelineOptionsFactory.fromArgs("--runner=FlinkRunner").create()));
    }

    @Test
    void anUnreachableStandaloneMasterIsNamed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again below: nothing listens there
        }
        String master = "spark://127.0.0.1:" + port;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunnerCheck.checkReachable(master));
        assertTrue(e.getMessage().startsWith("cannot reach the Spark master at " + master + " (127.0.0.1:" + port + " "),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RunnerCheck.checkReachable("spark://127.0.0.1:x"));
        assertEquals("Spark master spark://127.0.0.1:x: '127.0.0.1:x' is not host:port", bad.getMessage());
        // a listening master, or the second of an HA pair, is enough; local and cluster managers are Spark's business
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertDoesNotThrow(() -> RunnerCheck.checkReachable(master + ",127.0.0.1:" + s.getLocalPort()));
        }
        assertDoesNotThrow(() -> RunnerCheck.checkReachable("local[2]"));
        assertDoesNotThrow(() -> RunnerCheck.checkReachable("yarn"));
    }

    @Test
    void anUnreachableFlinkMasterIsNamedAndEmbeddedModesAreNotChecked() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String master = "127.0.0.1:" + port;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunnerCheck.check(
                PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkMaster=" + master).create()));
        assertTrue(e.getMessage().startsWith("--flinkMaster " + master + ": no Flink JobManager answers at " + master),
                e.getMessage());
        assertEquals(8081, RunnerCheck.flinkAddress("jobmanager").getPort());
        assertEquals("jm", RunnerCheck.flinkAddress("http://jm:9000").getHostString());
        assertEquals(null, RunnerCheck.flinkAddress("[local]"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> RunnerCheck.flinkAddress("http://"));
        assertTrue(bad.getMessage().startsWith("--flinkMaster http://"), bad.getMessage());
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertDoesNotThrow(() -> RunnerCheck.checkFlinkReachable("127.0.0.1:" + s.getLocalPort()));
        }
    }
}
