package dev.segue.pipelines.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS (one namenode, one datanode) in this JVM, on loopback ports, its blocks under a temporary folder:
 * Hadoop's {@code MiniDFSCluster} from {@code hadoop-client-minicluster}. Pipelines reach it as
 * {@code hdfs://localhost:PORT/…} with {@link #beamOption()}.
 */
public final class MiniHdfs implements AutoCloseable {
    private final MiniDFSCluster cluster;

    public MiniHdfs(Path baseDir) throws IOException {
        this(baseDir, false);
    }

    /**
     * With {@code permissions}, HDFS checks them: this JVM's user started the namenode and is its superuser (allowed
     * everything); run code as another user with {@code UserGroupInformation.createRemoteUser(name).doAs(…)}.
     */
    public MiniHdfs(Path baseDir, boolean permissions) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toAbsolutePath().toString());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.setBoolean("dfs.permissions.enabled", permissions);
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
    }

    /** {@code hdfs://localhost:PORT}, the namenode. */
    public URI uri() {
        return cluster.getURI();
    }

    /** {@code hdfs://localhost:PORT/path}. */
    public String path(String absolute) {
        return uri() + absolute;
    }

    public FileSystem fileSystem() throws IOException {
        return cluster.getFileSystem();
    }

    /** Copies a local file or folder to {@code target} (an absolute HDFS path); returns its hdfs:// URI. */
    public String copy(Path local, String target) throws IOException {
        fileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toAbsolutePath().toUri()),
                new org.apache.hadoop.fs.Path(target));
        return path(target);
    }

    /** The Beam option that tells its Hadoop file system where the namenode is. */
    public String beamOption() {
        return "--hdfsConfiguration=[{\"fs.defaultFS\":\"" + uri() + "\"}]";
    }

    @Override
    public void close() {
        cluster.shutdown(true);
    }
}
