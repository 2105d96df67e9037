package dev.segue.store.hadoop;

/**
 * Starts the in-process HDFS of the tests as a stand-alone process and prints its URI, so the command line can be
 * tried against it ({@code bin/segue store list --store hdfs://localhost:PORT/store}); stops when stdin closes.
 */
public final class MiniHdfsMain {
    private MiniHdfsMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(MiniHdfs.uri());
        System.out.flush();
        while (System.in.read() >= 0) {
            // keep serving until the parent closes our stdin
        }
        System.exit(0);
    }
}
