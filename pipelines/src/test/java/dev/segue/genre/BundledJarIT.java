package dev.segue.genre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled jar ({@code mvn -pl pipelines verify -Pbundle}) is all a submit command needs: a child JVM whose
 * class path is that jar alone runs {@link GenrePipeline} on Flink's embedded local cluster, as {@code flink run}
 * runs the main class, and writes the feature set. Run by the {@code bundle} profile after {@code package}, which
 * passes the jar's path as {@code segue.bundled.jar}; without it (no profile) the test is skipped.
 */
class BundledJarIT {
    /** The JVM flags bin/segue passes and the README asks of Flink/Spark workers (Arrow's buffer access). */
    private static final List<String> JVM_FLAGS = List.of("--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED");
    private static final int TRACKS = 120;

    @TempDir
    Path dir;

    private static Path bundledJar() {
        String jar = System.getProperty("segue.bundled.jar");
        assumeTrue(jar != null && !jar.isBlank(), "the bundled jar is built only with -Pbundle "
                + "(mvn -B -pl pipelines verify -Pbundle builds it and runs this test)");
        Path p = Paths.get(jar);
        assertTrue(Files.isRegularFile(p), "-Pbundle should have built " + p);
        return p;
    }

    @Test
    void holdsTheRunnersRegistrarsAndNoSparkClasses() throws IOException {
        try (ZipFile zip = new ZipFile(bundledJar().toFile())) {
            ZipEntry services = zip.getEntry("META-INF/services/org.apache.beam.sdk.runners.PipelineRunnerRegistrar");
            assertTrue(services != null, "no runner registrars in the jar");
            String registrars = new String(zip.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
            // one merged services file: without the shade plugin's ServicesResourceTransformer only one would be left
            for (String r : List.of("DirectRegistrar$Runner", "FlinkRunnerRegistrar$Runner", "SparkRunnerRegistrar$Runner")) {
                assertTrue(registrars.contains(r), r + " missing from the registrars:\n" + registrars);
            }
            for (String main : List.of(GenrePipeline.class, dev.segue.churn.ChurnPipeline.class,
                    dev.segue.churn.RatingsAls.class, dev.segue.pipelines.continuation.ContinuationPipeline.class)
                    .stream().map(c -> c.getName().replace('.', '/') + ".class").toList()) {
                assertTrue(zip.getEntry(main) != null, "no " + main);
            }
            assertTrue(zip.getEntry("org/apache/beam/runners/spark/SparkRunner.class") != null, "no Spark runner");
            // Spark's own classes come from spark-submit; two copies of them would clash
            assertFalse(zip.stream().anyMatch(e -> e.getName().startsWith("org/apache/spark/")),
                    "Spark's own classes were bundled");
            assertFalse(zip.stream().anyMatch(e -> e.getName().matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)")),
                    "a dependency's signature was copied: the merged jar would fail its verification");
        }
    }

    @Test
    void runsTheGenrePipelineOnFlinkFromTheJarAlone() throws Exception {
        Path jar = bundledJar();
        Path audio = dir.resolve("tracks.csv");
        Set<String> ids = writeAudio(audio);
        Path store = dir.resolve("store");
        Path log = dir.resolve("child.log");

        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(Arrays.asList("-cp", jar.toString(), GenrePipeline.class.getName(), "--audio=" + audio,
                "--store=" + store, "--reportDir=" + dir.resolve("report"), "--runner=FlinkRunner",
                "--parallelism=1"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("CLASSPATH"); // the jar alone
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process child = pb.start();
        if (!child.waitFor(3, TimeUnit.MINUTES)) {
            child.destroyForcibly().waitFor();
            throw new AssertionError("the bundled jar's pipeline did not finish in 3 minutes:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(0, child.exitValue(), "java -cp " + jar.getFileName() + " failed:\n" + out);
        assertTrue(out.contains("genre: " + TRACKS + " tracks -> " + GenreSchemas.NAME), out);

        try (FeatureSetReader reader = FeatureStore.open(store).read(GenreSchemas.NAME)) {
            Table t = reader.readAll(List.of());
            assertEquals(TRACKS, t.rows());
            Set<String> written = new TreeSet<>();
            for (String uri : t.strings(GenreSchemas.TRACK_URI)) {
                written.add(uri.substring("spotify:track:".length()));
            }
            assertEquals(ids, written);
        }
    }

    /** A clean audio-features CSV in the layout of {@link AudioLayout}; returns the track ids. */
    private static Set<String> writeAudio(Path file) throws IOException {
        Random rnd = new Random(5);
        List<String> lines = new ArrayList<>();
        lines.add("Id,title,artist,year,bpm,nrgy,dnce,dB,live,val,dur,acous,spch,pop,top genre");
        Set<String> ids = new TreeSet<>();
        String[] genres = {"dance pop", "album rock", "adult standards", "pop rap"};
        for (int i = 0; i < TRACKS; i++) {
            String id = String.format(Locale.ROOT, "%022d", i);
            ids.add(id);
            StringBuilder b = new StringBuilder(id).append(",Song ").append(i).append(",Artist ").append(i % 7)
                    .append(',').append(1950 + rnd.nextInt(70));
            for (int c = 1; c < 11; c++) {
                b.append(',').append(c == 4 ? -rnd.nextInt(20) : rnd.nextInt(100));
            }
            lines.add(b.append(',').append(genres[i % genres.length]).toString());
        }
        Files.write(file, lines);
        return ids;
    }
}
