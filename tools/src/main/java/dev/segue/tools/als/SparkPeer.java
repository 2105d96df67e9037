package dev.segue.tools.als;

import dev.segue.bench.spark.AlsExchange;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Spark MLlib's ALS in a child JVM on the {@code bench-spark} module's class path (Spark never joins the
 * command's own class path): the matrix goes over in an {@link AlsExchange} file, the factors come back in
 * another. {@link #locate} finds the class path or says why there is none.
 */
final class SparkPeer {
    /** Overrides where the peer's class path comes from (a full class path string). */
    static final String CLASSPATH_PROPERTY = "segue.benchSpark.classpath";

    /** The JVM flags Spark 3.5 needs on Java 17 (as {@code spark-submit} passes them). */
    private static final List<String> OPENS = List.of("java.lang", "java.lang.invoke", "java.io", "java.net",
            "java.nio", "java.util", "java.util.concurrent", "sun.nio.ch", "sun.nio.cs", "sun.security.action",
            "sun.util.calendar");

    private final String classpath;

    private SparkPeer(String classpath) {
        this.classpath = classpath;
    }

    /** Where the peer's class path was looked for and, if found, the peer. */
    record Located(SparkPeer peer, String whyNot) {}

    static Located locate() {
        String explicit = System.getProperty(CLASSPATH_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return new Located(new SparkPeer(explicit), null);
        }
        String home = System.getProperty("segue.home");
        if (home == null) {
            return new Located(null, "the Spark MLlib peer is not on this installation (no segue.home; run through bin/segue)");
        }
        Path module = Path.of(home, "bench-spark", "target");
        Path cpFile = module.resolve("bench-spark.classpath");
        Path classes = module.resolve("classes");
        if (!Files.isRegularFile(cpFile) || !Files.isDirectory(classes)) {
            return new Located(null, "the Spark MLlib peer is not built (no " + cpFile + "; build it with: mvn -B -pl "
                    + "bench-spark -am install -DskipTests)");
        }
        try {
            String deps = Files.readString(cpFile, StandardCharsets.UTF_8).trim();
            return new Located(new SparkPeer(classes + File.pathSeparator + deps), null);
        } catch (IOException e) {
            return new Located(null, "cannot read " + cpFile + ": " + e.getMessage());
        }
    }

    /** Runs the peer on {@code in}; its console output goes to {@code work/spark.log}. */
    AlsExchange.Output run(AlsExchange.Input in, Path work, long heapBytes) throws IOException, InterruptedException {
        Path input = work.resolve("spark-input.bin");
        Path output = work.resolve("spark-output.bin");
        Path log = work.resolve("spark.log");
        Files.deleteIfExists(output);
        AlsExchange.writeInput(input, in);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + Math.max(256, heapBytes >> 20) + "m");
        for (String p : OPENS) {
            cmd.add("--add-opens=java.base/" + p + "=ALL-UNNAMED");
        }
        // Spark's BLAS (dev.ludovic.netlib) uses the Vector API when the module is present, as Segue's kernels do.
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add("dev.segue.bench.spark.SparkAlsPeer");
        cmd.add(input.toString());
        cmd.add(output.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        Files.deleteIfExists(input);
        if (code != 0 || !Files.isRegularFile(output)) {
            throw new IllegalStateException("the Spark MLlib peer failed (exit " + code + "); its log: " + log
                    + lastLines(log));
        }
        AlsExchange.Output out = AlsExchange.readOutput(output);
        Files.deleteIfExists(output);
        return out;
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i).trim();
                if (l.startsWith("Exception") || l.contains("Error") || l.contains("Exception:")) {
                    return " (" + l + ")";
                }
            }
            return "";
        } catch (IOException e) {
            return "";
        }
    }
}
