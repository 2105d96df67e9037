package dev.segue.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.churn.cli.ChurnPipelineCommand;
import dev.segue.cli.CliConvention;
import dev.segue.pipelines.testing.MiniHdfs;
import dev.segue.store.FeatureStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code segue pipeline churn --logs hdfs://…}: the logs on a real HDFS started in this JVM (MiniDFSCluster), the
 * store on local disk. The run reads them through Beam's Hadoop file system, in byte-range splits small enough
 * that most start mid-file (seeks on HDFS), and writes exactly the plain-Java reference's features, labels and
 * ratings. Inputs a file system cannot serve stop the command with one line naming the path and leave the
 * store empty.
 */
class ChurnInputsTest {
    static final List<LocalDate> SNAPSHOTS = List.of(LocalDate.of(2017, 4, 21), TinyLogs.SNAPSHOT);

    @TempDir
    static Path dir;
    static MiniHdfs hdfs;
    static Path localLogs;

    @BeforeAll
    static void startHdfs() throws Exception {
        hdfs = new MiniHdfs(dir.resolve("hdfs"));
        localLogs = dir.resolve("logs");
        TinyLogs.write(localLogs, 300, 11);
        hdfs.copy(localLogs, "/data/logs");
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    record Run(int code, String out, String err) {}

    static Run churn(String... args) {
        return command(new ChurnPipelineCommand(), "segue pipeline churn", args);
    }

    /** Runs a pipeline command as {@code segue} does (its error convention installed), capturing what it prints. */
    static Run command(Object command, String name, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = CliConvention.install(new CommandLine(command));
        cmd.setCommandName(name);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void readsItsLogsFromHdfsAndWritesTheReferenceFeatures() throws Exception {
        Path store = dir.resolve("store-hdfs");
        Run r = churn("--logs", hdfs.path("/data/logs"), "--store", store.toString(), "--snapshots",
                "2017-04-21,2017-04-28", "--user-shards", "3", "--report-dir", dir.resolve("report-hdfs").toString(),
                "--splitBytes=16384", hdfs.beamOption());
        assertEquals(0, r.code(), r.err());
        ChurnReference ref = ChurnReference.compute(localLogs, SNAPSHOTS, 30, 14);
        assertTrue(ChurnPipelineTest.assertFeaturesEqual(store, ref) > 5_000);
        ChurnPipelineTest.assertLabelsEqual(ChurnPipelineTest.readAll(store, ChurnSchemas.LABELS), ref);
        try (var reader = FeatureStore.open(store).read(ChurnSchemas.FEATURES)) {
            assertEquals(hdfs.path("/data/logs"), reader.manifest().parameters().get("logs"));
        }
        // a glob on HDFS matches the same files: the same rows
        Run glob = churn("--logs", hdfs.path("/data/logs/*.csv"), "--store", dir.resolve("store-glob").toString(),
                "--snapshots", "2017-04-21,2017-04-28", "--user-shards", "3", "--report-dir",
                dir.resolve("report-glob").toString(), hdfs.beamOption());
        assertEquals(0, glob.code(), glob.err());
        assertEquals(ChurnPipelineTest.readAll(store, ChurnSchemas.FEATURES).rows(),
                ChurnPipelineTest.readAll(dir.resolve("store-glob"), ChurnSchemas.FEATURES).rows());
    }

    @Test
    void aSchemeWithoutAFileSystemIsOneLineAndWritesNothing() throws Exception {
        Path store = dir.resolve("store-foo");
        Run r = churn("--logs", "foo://bucket/logs", "--store", store.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("segue pipeline churn: --logs foo://bucket/logs/*.csv: no file system is registered for "
                + "foo:// (the pipelines read local paths, file://, hdfs://, s3:// and gs://)"), lines(r.err()));
        assertNoVersions(store);

        // hdfs:// without the namenode's configuration: what to give
        Run noConf = churn("--logs", hdfs.path("/data/logs"), "--store", store.toString());
        assertEquals(2, noConf.code(), noConf.err());
        assertEquals(1, lines(noConf.err()).size(), noConf.err());
        assertTrue(noConf.err().contains("--logs " + hdfs.path("/data/logs") + "/*.csv: no file system is registered for "
                + "hdfs://: give the namenode with --hdfsConfiguration"), noConf.err());
        assertNoVersions(store);

        // a folder on HDFS without logs
        hdfs.fileSystem().mkdirs(new org.apache.hadoop.fs.Path("/data/empty"));
        Run empty = churn("--logs", hdfs.path("/data/empty"), "--store", store.toString(), hdfs.beamOption());
        assertEquals(2, empty.code(), empty.err());
        assertEquals(List.of("segue pipeline churn: --logs " + hdfs.path("/data/empty") + ": no *.csv files"),
                lines(empty.err()));
        assertNoVersions(store);
    }

    @Test
    void theMainClassNamesAnUnknownSchemeToo() throws Exception {
        Path store = dir.resolve("store-main");
        ChurnOptions o = org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs("--logs=foo://x/logs",
                "--store=" + store, "--reportDir=" + dir.resolve("report-main")).as(ChurnOptions.class);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ChurnPipeline.run(o));
        assertTrue(e.getMessage().startsWith("--logs foo://x/logs/*.csv: no file system is registered for foo://"),
                e.getMessage());
        assertNoVersions(store);
    }

    @Test
    void anUnreachableFlinkMasterIsOneLineAndWritesNothing() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Path store = dir.resolve("store-unreachable");
        Run r = churn("--logs", localLogs.toString(), "--store", store.toString(), "--runner=FlinkRunner",
                "--flinkMaster=127.0.0.1:" + port);
        assertEquals(1, r.code(), r.err());
        assertEquals(1, lines(r.err()).size(), r.err());
        assertTrue(r.err().startsWith("segue pipeline churn: --flinkMaster 127.0.0.1:" + port
                + ": no Flink JobManager answers at 127.0.0.1:" + port + " ("), r.err());
        assertNoVersions(store);
        assertEquals(List.of("segue pipeline churn: --flinkMaster nohost.invalid:8081: unknown host nohost.invalid"),
                lines(churn("--logs", localLogs.toString(), "--store", store.toString(), "--runner=FlinkRunner",
                        "--flinkMaster=nohost.invalid:8081").err()));
        assertNoVersions(store);
    }

    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

    static void assertNoVersions(Path store) throws Exception {
        if (Files.isDirectory(store)) {
            assertEquals(List.of(), FeatureStore.open(store).list(), "a failed run left feature sets in " + store);
        } else {
            assertFalse(Files.exists(store));
        }
    }
}
