package dev.segue.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input paths on Beam's file systems: schemes, globs, the registered file systems and the one-line errors. */
class InputPathsTest {
    @TempDir
    Path dir;

    @Test
    void schemesAndGlobs() {
        assertEquals("hdfs", InputPaths.scheme("hdfs://nn:8020/logs"));
        assertEquals("s3", InputPaths.scheme("S3://bucket/x"));
        assertNull(InputPaths.scheme("/data/logs"));
        assertNull(InputPaths.scheme("relative/gs:/x"));
        assertEquals("gs://b/logs", InputPaths.absolute("gs://b/logs"));
        assertEquals(Path.of("x").toAbsolutePath().toString(), InputPaths.absolute("x"));
        assertTrue(InputPaths.isGlob("hdfs://nn/logs/2017-*.csv"));
        assertTrue(InputPaths.isGlob("/a/{x,y}.csv"));
        assertFalse(InputPaths.isGlob("/a/b.csv"));
        assertEquals("hdfs://nn/logs/*.csv", InputPaths.child("hdfs://nn/logs/", "*.csv"));
        assertEquals("hdfs://nn/logs/*.csv", InputPaths.child("hdfs://nn/logs", "*.csv"));
    }

    @Test
    void s3AndGcsAreOnTheClassPath() {
        FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.fromArgs("--awsRegion=eu-west-1").create());
        // resolving a resource needs the scheme's file system, not the network
        assertEquals("s3://bucket/logs/a.csv", FileSystems.matchNewResource("s3://bucket/logs/a.csv", false).toString());
        assertEquals("gs://bucket/logs/a.csv", FileSystems.matchNewResource("gs://bucket/logs/a.csv", false).toString());
    }

    @Test
    void localGlobsMatchAndUnknownSchemesAreOneLine() throws Exception {
        Files.writeString(dir.resolve("a.csv"), "x\n");
        Files.writeString(dir.resolve("b.csv"), "y\n");
        Files.writeString(dir.resolve("c.txt"), "z\n");
        assertEquals(2, InputPaths.match("--logs", dir + "/*.csv", PipelineOptionsFactory.create()).size());
        assertEquals(0, InputPaths.match("--logs", dir + "/none-*.csv", PipelineOptionsFactory.create()).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputPaths.match("--audio", "foo://x/tracks.csv", PipelineOptionsFactory.create()));
        assertEquals("--audio foo://x/tracks.csv: no file system is registered for foo:// (the pipelines read local "
                + "paths, file://, hdfs://, s3:// and gs://)", e.getMessage());
    }
}
