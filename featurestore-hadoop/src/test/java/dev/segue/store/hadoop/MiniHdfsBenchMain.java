package dev.segue.store.hadoop;

import dev.segue.store.cli.StoreBenchCommand;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code segue bench store} against an in-process HDFS, for the record (docs/benchmarks.md): starts the mini
 * cluster (one namenode, one datanode, both in this JVM, data under /tmp) and runs the benchmark with
 * {@code --dir hdfs://localhost:PORT/bench}, passing the remaining arguments through.
 */
public final class MiniHdfsBenchMain {
    private MiniHdfsBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--dir");
        a.add(MiniHdfs.uri() + "/bench");
        int code = new CommandLine(new StoreBenchCommand()).execute(a.toArray(String[]::new));
        System.exit(code);
    }
}
