package dev.segue.churn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * One churn pipeline run with the default plan (no --snapshots) over {@code TinyLogs(300 users, seed 11)},
 * shared by the test classes of a JVM so the DirectRunner pays for it once: {@link ChurnPipelineTest} checks
 * the default window and dead letters, {@link RatingsAlsTest} factorises its ratings (adding factor sets to the
 * store, which the other checks do not read). The folder is deleted when the JVM exits.
 */
final class DefaultPlanRun {
    final Path logs;
    final Path store;
    final Path report;
    final ChurnRunReport result;

    private static DefaultPlanRun shared;

    private DefaultPlanRun(Path dir) throws IOException {
        logs = dir.resolve("logs");
        store = dir.resolve("store");
        report = dir.resolve("report");
        TinyLogs.write(logs, 300, 11);
        result = ChurnPipeline.run(PipelineOptionsFactory.fromArgs(ChurnPipelineTest.args("--logs=" + logs,
                "--store=" + store, "--userShards=3", "--reportDir=" + report)).as(ChurnOptions.class));
    }

    static synchronized DefaultPlanRun get() throws IOException {
        if (shared == null) {
            Path dir = Files.createTempDirectory("churn-default-plan");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            shared = new DefaultPlanRun(dir);
        }
        return shared;
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort at exit
        }
    }
}
