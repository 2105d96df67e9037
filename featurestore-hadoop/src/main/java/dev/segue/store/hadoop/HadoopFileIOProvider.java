package dev.segue.store.hadoop;

import dev.segue.store.StoreException;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;
import dev.segue.store.io.StoreFileIOProvider;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.Set;

/**
 * Serves {@code hdfs://}, {@code webhdfs://}, {@code viewfs://} and {@code s3a://} store roots through Hadoop's
 * {@link FileSystem}. The configuration is Hadoop's default one plus, when {@code HADOOP_CONF_DIR} is set, its
 * {@code core-site.xml} and {@code hdfs-site.xml}; an unreachable namenode fails after one connection attempt
 * (unless the configuration says otherwise) instead of Hadoop's default ten.
 */
public final class HadoopFileIOProvider implements StoreFileIOProvider {
    private static final Set<String> SCHEMES = Set.of("hdfs", "webhdfs", "viewfs", "s3a");

    @Override
    public Set<String> schemes() {
        return SCHEMES;
    }

    @Override
    public StoreFileIO open(Location root) {
        return open(root, configuration());
    }

    /** A file IO for {@code root} with a given Hadoop configuration (tests pass the mini cluster's). */
    public static StoreFileIO open(Location root, Configuration conf) {
        URI uri;
        try {
            uri = URI.create(root.toString());
        } catch (IllegalArgumentException e) {
            throw new StoreException("store " + root + ": not a valid URI (" + e.getMessage() + ")");
        }
        try {
            FileSystem fs = FileSystem.get(uri, conf);
            HadoopFileIO io = new HadoopFileIO(fs, FileContext.getFileContext(uri, conf));
            fs.exists(new org.apache.hadoop.fs.Path(uri)); // reach the namenode now, not at the first read
            return io;
        } catch (IOException | RuntimeException e) {
            throw new StoreException("store " + root + ": cannot reach the file system: " + HadoopFileIO.firstLine(e), e);
        }
    }

    static Configuration configuration() {
        Configuration conf = new Configuration();
        String dir = System.getenv("HADOOP_CONF_DIR");
        if (dir != null && !dir.isBlank()) {
            for (String f : new String[]{"core-site.xml", "hdfs-site.xml"}) {
                File file = new File(dir, f);
                if (file.isFile()) {
                    conf.addResource(new org.apache.hadoop.fs.Path(file.toURI()));
                }
            }
        }
        if (conf.get("ipc.client.connect.max.retries") == null || "10".equals(conf.get("ipc.client.connect.max.retries"))) {
            conf.setInt("ipc.client.connect.max.retries", 1);
        }
        if ("45".equals(conf.get("ipc.client.connect.max.retries.on.timeouts"))) {
            conf.setInt("ipc.client.connect.max.retries.on.timeouts", 1);
        }
        return conf;
    }
}
