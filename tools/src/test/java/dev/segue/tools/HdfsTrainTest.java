package dev.segue.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segue train churn} and {@code segue train genre} on a store on HDFS (MiniDFSCluster in this JVM), read
 * through the store's file IO as {@code segue serve} and {@code segue store} do: the churn and genre pipelines write
 * a local store, which is copied to HDFS as it is; training on either copy prints the same models and metrics. A
 * missing HDFS store is one line, exit 2.
 */
class HdfsTrainTest {
    @TempDir
    Path tmp;

    @Test
    void trainChurnAndGenreReadAStoreOnHdfs() throws Exception {
        Path local = tmp.resolve("store");
        Segue.ok("pipeline", "churn", "--logs", TinyWorld.path("logs"), "--store", local.toString(), "--user-shards", "1");
        Segue.ok("pipeline", "genre", "--audio", TinyWorld.path("audio/tracks.csv"), "--store", local.toString());

        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            cluster.getFileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()),
                    new org.apache.hadoop.fs.Path("/stores/trained"));
            String remote = cluster.getURI() + "/stores/trained";

            String churnLocal = Segue.ok("train", "churn", "--store", local.toString(), "--as-of", "2030-01-01",
                    "--trees", "5", "--boost-rounds", "5", "--out", tmp.resolve("churn-local").toString());
            String churnRemote = Segue.ok("train", "churn", "--store", remote, "--as-of", "2030-01-01",
                    "--trees", "5", "--boost-rounds", "5", "--out", tmp.resolve("churn-hdfs").toString());
            assertTrue(churnRemote.contains("gradient_boosted_trees") && churnRemote.contains("AUROC"), churnRemote);
            assertEquals(withoutReportLine(churnLocal), withoutReportLine(churnRemote));

            String genreLocal = Segue.ok("train", "genre", "--store", local.toString(), "--trees", "10",
                    "--out", tmp.resolve("genre-local").toString());
            String genreRemote = Segue.ok("train", "genre", "--store", remote, "--trees", "10",
                    "--out", tmp.resolve("genre-hdfs").toString());
            assertTrue(genreRemote.startsWith("genre: ") && genreRemote.contains("macro F1"), genreRemote);
            assertEquals(withoutReportLine(genreLocal), withoutReportLine(genreRemote));

            String missing = cluster.getURI() + "/stores/nowhere";
            for (String what : new String[] {"churn", "genre"}) {
                Segue.Result r = what.equals("churn")
                        ? Segue.run("train", "churn", "--store", missing, "--as-of", "2030-01-01")
                        : Segue.run("train", "genre", "--store", missing);
                assertEquals(2, r.code(), r.err());
                assertEquals("segue train " + what + ": --store " + missing + " is not a folder (no store there)",
                        r.err().strip());
            }
            assertTrue(!cluster.getFileSystem().exists(new org.apache.hadoop.fs.Path("/stores/nowhere")),
                    "a missing store is not created by the check");
        } finally {
            cluster.shutdown(true);
        }
    }

    /** The output without its last line, which names the (different) report folders. */
    private static String withoutReportLine(String out) {
        return Arrays.stream(out.split("\n")).filter(l -> !l.startsWith("report: ")).collect(Collectors.joining("\n"));
    }
}
