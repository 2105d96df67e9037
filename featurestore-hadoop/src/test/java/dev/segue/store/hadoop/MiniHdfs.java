package dev.segue.store.hadoop;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

/** One in-process HDFS (a namenode and one datanode) shared by the tests of this module. */
final class MiniHdfs {
    private static MiniDFSCluster cluster;

    private MiniHdfs() {
    }

    /** The cluster's URI, {@code hdfs://localhost:PORT}; started on first use, stopped when the JVM exits. */
    static synchronized String uri() throws IOException {
        if (cluster == null) {
            File base = Files.createTempDirectory("segue-minidfs").toFile();
            Configuration conf = new Configuration();
            conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
            conf.setInt("dfs.replication", 1);
            conf.setBoolean("dfs.permissions.enabled", true);
            cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
            cluster.waitActive();
            MiniDFSCluster c = cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                c.shutdown(true);
            }));
        }
        return "hdfs://localhost:" + cluster.getNameNodePort();
    }

    static MiniDFSCluster cluster() throws IOException {
        uri();
        return cluster;
    }
}
