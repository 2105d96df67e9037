package dev.segue.genre.cli;

import dev.segue.pipelines.cli.BeamArgs;
import dev.segue.churn.LineRangeReader;
import dev.segue.genre.AudioLayout;
import dev.segue.genre.GenreOptions;
import dev.segue.genre.GenrePipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    @Option(names = "--audio", required = true, paramLabel = "FILE", description = "audio-feature CSV (e.g. WORLD/audio/tracks.csv)")
    Path audio;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "feature store root")
    Path store;

    @Option(names = "--report-dir", paramLabel = "DIR", description = "dead-letters.csv, standardisation.json and report.json, written also when the run "
            + "stops (default: genre-report beside the store)")
    Path reportDir;

    @Unmatched
    List<String> beam = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        checkAudio(audio);
        List<String> own = new ArrayList<>(List.of("--audio=" + audio.toAbsolutePath(), "--store=" + store.toAbsolutePath()));
        if (reportDir != null) {
            own.add("--reportDir=" + reportDir.toAbsolutePath());
        }
        PipelineOptionsFactory.register(GenreOptions.class);
        GenreOptions o = PipelineOptionsFactory.fromArgs(BeamArgs.of(own, beam)).withValidation().as(GenreOptions.class);
        GenrePipeline.Report r = GenrePipeline.run(o);
        System.out.printf("genre: %,d tracks -> track_genre_features %s, %,d dead letters (%s), %.1f s%n", r.rows(),
                r.version(), r.deadLetters(), r.reportDir().resolve("dead-letters.csv"), r.seconds());
        return 0;
    }

    /** Fails fast (exit 2, as {@code pipeline churn} does for its logs) on a missing file or an unusable header. */
    public static void checkAudio(Path audio) throws IOException {
        if (!Files.isRegularFile(audio)) {
            throw new IllegalArgumentException("--audio " + audio + ": no such file");
        }
        try (LineRangeReader r = new LineRangeReader(audio.toAbsolutePath().toString(), 0, Files.size(audio), 1)) {
            String header = r.next();
            if (header == null) {
                throw new IllegalArgumentException(audio + ": empty audio file (a header line is required)");
            }
            AudioLayout.fromHeader(audio.toString(), header);
        }
    }
}
