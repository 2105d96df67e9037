package dev.segue.genre.cli;

import dev.segue.pipelines.cli.BeamArgs;
import dev.segue.churn.LineRangeReader;
import dev.segue.genre.AudioLayout;
import dev.segue.genre.GenreOptions;
import dev.segue.genre.GenrePipeline;
import java.io.IOException;
import dev.segue.pipelines.InputPaths;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code segue pipeline genre}: audio features (study 004 layout) → track_genre_features. */
@Command(name = "genre", mixinStandardHelpOptions = true,
        description = {"Standardised audio features with fine and broad genre, keyed by track_uri (study 004).",
            "Any other --name=value is passed to Beam (e.g. --runner=FlinkRunner)."})
public final class GenrePipelineCommand implements Callable<Integer> {
    @Option(names = "--audio", required = true, paramLabel = "FILE",
            description = "audio-feature CSV (e.g. WORLD/audio/tracks.csv) or a glob of them, on any Beam file system "
                    + "(local, hdfs://, s3://, gs://)")
    String audio;

    @Option(names = "--store", required = true, paramLabel = "DIR",
            description = "feature store root: a local folder, hdfs://NAMENODE:PORT/PATH or s3://BUCKET/PATH")
    String store;

    @Option(names = "--report-dir", paramLabel = "DIR", description = "dead-letters.csv, standardisation.json and report.json, written also when the run "
            + "stops (default: genre-report beside a local store, in the working directory for a store on hdfs://)")
    String reportDir;

    @Unmatched
    List<String> beam = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<String> own = new ArrayList<>(List.of("--audio=" + InputPaths.absolute(audio), "--store=" + dev.segue.store.io.StoreFileIOs.absolute(store)));
        if (reportDir != null) {
            own.add("--reportDir=" + reportDir);
        }
        PipelineOptionsFactory.register(GenreOptions.class);
        GenreOptions o = PipelineOptionsFactory.fromArgs(BeamArgs.of(own, beam)).withValidation().as(GenreOptions.class);
        checkAudio(audio, o);
        GenrePipeline.Report r = GenrePipeline.run(o);
        System.out.printf("genre: %,d tracks -> track_genre_features %s, %,d dead letters (%s), %.1f s%n", r.rows(),
                r.version(), r.deadLetters(), r.reportDir().resolve("dead-letters.csv"), r.seconds());
        return 0;
    }

    /**
     * Fails fast (exit 2, as {@code pipeline churn} does for its logs) on a missing file, a scheme no file system
     * is registered for, or an unusable header; the file (or glob) is matched through Beam's file systems of {@code o}.
     */
    public static void checkAudio(String audio, PipelineOptions o) throws IOException {
        List<MatchResult.Metadata> files = InputPaths.match("--audio", InputPaths.absolute(audio), o);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--audio " + audio + ": no such file");
        }
        for (MatchResult.Metadata m : files) {
            String name = m.resourceId().toString();
            try (LineRangeReader r = new LineRangeReader(name, 0, m.sizeBytes(), 1)) {
                String header = r.next();
                if (header == null) {
                    throw new IllegalArgumentException(name + ": empty audio file (a header line is required)");
                }
                AudioLayout.fromHeader(name, header);
            }
        }
    }
}
