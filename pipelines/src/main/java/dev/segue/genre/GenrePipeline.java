package dev.segue.genre;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segue.churn.DeadLetter;
import dev.segue.format.AtomicFile;
import dev.segue.pipelines.InputPaths;
import dev.segue.pipelines.evidence.DeadLetterFiles;
import dev.segue.pipelines.evidence.PipelineFailure;
import dev.segue.pipelines.evidence.WriteTextFile;
import dev.segue.store.FeatureStore;
import dev.segue.store.Manifest;
import dev.segue.store.WriteOptions;
import dev.segue.store.beam.FeatureSetIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The audio-feature pipeline of issue 7 (study 004): {@code --audio FILE --store DIR} →
 * {@code track_genre_features}. Runs as two Beam pipelines, fit then apply, so the standardisation
 * parameters are known before the feature set's manifest is written: the fit pass computes exact column
 * statistics ({@link AudioStats}) into {@code REPORT/standardisation.json}; the apply pass standardises every
 * row with them, adds the fine and broad genre ({@link GenreCondensation}) and writes the set with the
 * parameters in its manifest, and the dead letters to {@code REPORT/dead-letters.csv}.
 */
public final class GenrePipeline {
    public static final String NAMESPACE = "segue.genre";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GenrePipeline() {}

    /** What a run did. */
    public record Report(long rows, long deadLetters, String version, double seconds, Map<String, Long> counters,
                         Standardization standardization, Path reportDir) {}

    public static void main(String[] args) throws IOException {
        PipelineOptionsFactory.register(GenreOptions.class);
        GenreOptions o = PipelineOptionsFactory.fromArgs(args).withValidation().as(GenreOptions.class);
        Report r = run(o);
        System.out.printf("genre: %d tracks -> %s %s, %d dead letters, %.1f s%n", r.rows(), GenreSchemas.NAME,
                r.version(), r.deadLetters(), r.seconds());
    }

    public static Path reportDir(GenreOptions o) {
        return dev.segue.pipelines.evidence.ReportDirs.of(o.getReportDir(), o.getStore(), "genre-report");
    }

    /**
     * Runs both passes. On every exit path, success or failure, writes {@code REPORT/dead-letters.csv} (written
     * by the fit pass as it reads, so a run that stops on bad input keeps them) and {@code REPORT/report.json}
     * ({@code status} ok or failed, the error, rows, version, dead letters by reason). A failure is rethrown as
     * {@link PipelineFailure#forUser}: an {@link IllegalArgumentException} for bad input, one line.
     */
    public static Report run(GenreOptions o) throws IOException {
        dev.segue.pipelines.RunnerCheck.check(o); // before the run begins: a runner or cluster that cannot start leaves no trace
        boolean ownsRun = dev.segue.store.beam.StoreRunOptions.begin(o);
        String audio = InputPaths.absolute(o.getAudio());
        String store = dev.segue.store.io.StoreFileIOs.absolute(o.getStore());
        Path report = reportDir(o);
        Files.createDirectories(report);
        Files.deleteIfExists(report.resolve("standardisation.json"));
        DeadLetterFiles dead = new DeadLetterFiles(report.resolve("dead-letters.csv"), DeadLetter.HEADER);
        dead.reset();
        long t0 = System.nanoTime();
        Report r = null;
        RuntimeException failure = null;
        try {
            r = runPasses(o, ownsRun, audio, store, report, dead, t0);
        } catch (RuntimeException e) {
            failure = e;
        }
        long deadLetters = dead.finish();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", failure == null ? "ok" : "failed");
        doc.put("error", failure == null ? null : PipelineFailure.message(failure));
        doc.put("audio", audio);
        doc.put("store", store);
        doc.put("report_dir", report.toString());
        doc.put("seconds", (System.nanoTime() - t0) / 1e9);
        doc.put("rows", r == null ? null : r.rows());
        doc.put("version", r == null ? null : r.version());
        doc.put("dead_letters", deadLetters);
        doc.put("counters", r == null ? DeadLetter.countByReason(dead.target()) : r.counters());
        try (AtomicFile f = AtomicFile.create(report.resolve("report.json"))) {
            f.stream().write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
            f.commit();
        }
        if (failure != null) {
            throw PipelineFailure.forUser(failure, " (dead letters: " + deadLetters + "; run report: "
                    + report.resolve("report.json") + ")");
        }
        return r;
    }

    private static Report runPasses(GenreOptions o, boolean ownsRun, String audio, String store, Path report, DeadLetterFiles deadLetters,
                                    long t0) throws IOException {
        Pipeline fit = Pipeline.create(o);
        if (InputPaths.match("--audio", audio).isEmpty()) {
            throw new IllegalArgumentException("--audio " + o.getAudio() + ": no such file");
        }
        fit.apply("ReadAudio", new ReadAudio(audio, o.getAudioShards(), o.getSplitBytes(), deadLetters))
                .get(ReadAudio.TRACKS)
                .apply("Standardisation", new FitStandardisation())
                .apply("WriteParameters", ParDo.of(new WriteTextFile(report.resolve("standardisation.json").toString())));
        finish(fit.run());
        Standardization std = Standardization.fromParameters(JSON.readValue(
                report.resolve("standardisation.json").toFile(), new TypeReference<Map<String, String>>() {}));

        Pipeline apply = Pipeline.create(o);
        PCollectionTuple read = apply.apply("ReadAudio", new ReadAudio(audio, o.getAudioShards(), o.getSplitBytes()));
        PCollection<AudioBlock> tracks = read.get(ReadAudio.TRACKS);
        tracks.apply("SameRowsAsFit", new CheckSameRows(std.rows()));
        WriteOptions options = dev.segue.store.beam.StoreRunOptions.tag(o, WriteOptions.producer("segue-genre"))
                .param("audio", audio)
                .param("condensation", "dev.segue.genre.GenreCondensation " + GenreCondensation.VERSION)
                .param("standardisation", "z = (x - mean) / std with the population std; mm = (x - min) / (max - min); "
                        + "0 for a constant column")
                .params(std.toParameters());
        tracks.apply("ToBatches", ParDo.of(new ToGenreBatches(std)))
                .setCoder(dev.segue.store.beam.BatchCoder.of())
                .apply("WriteGenreFeatures", FeatureSetIO.write(store, GenreSchemas.schema(), options));
        PipelineResult result = apply.run();
        finish(result);
        Map<String, Long> counters = dev.segue.churn.ChurnPipeline.counters(result, NAMESPACE);
        FeatureStore fs = FeatureStore.open(store);
        if (ownsRun) {
            fs.commitRun(o.getStoreRun(), "segue-genre", java.util.List.of(GenreSchemas.NAME));
        }
        Manifest m = fs.runVersion(GenreSchemas.NAME, o.getStoreRun()).orElseThrow();
        long dead = counters.entrySet().stream().filter(e -> e.getKey().startsWith("deadletter."))
                .mapToLong(Map.Entry::getValue).sum();
        return new Report(m.rowCount(), dead, m.version(), (System.nanoTime() - t0) / 1e9, counters, std, report);
    }

    private static void finish(PipelineResult r) {
        PipelineResult.State s = r.waitUntilFinish();
        if (s != PipelineResult.State.DONE) {
            throw new IllegalStateException("genre pipeline ended in state " + s);
        }
    }

    /** The fit pass: exact statistics of every column, merged over all rows, as standardisation parameters (JSON). */
    static final class FitStandardisation extends PTransform<PCollection<AudioBlock>, PCollection<String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public PCollection<String> expand(PCollection<AudioBlock> tracks) {
            return tracks
                    .apply("ColumnStats", MapElements.into(TypeDescriptor.of(AudioStats.class)).via(AudioStats::of))
                    .setCoder(SerializableCoder.of(AudioStats.class))
                    .apply("MergeStats", Combine.globally(AudioStats::merge))
                    .setCoder(SerializableCoder.of(AudioStats.class))
                    .apply("Parameters", MapElements.into(TypeDescriptors.strings()).via((AudioStats s) -> {
                        try {
                            return JSON.writeValueAsString(s.standardization().toParameters());
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }));
        }
    }

    /** Fails the apply pass when the audio file holds another number of rows than the fit pass saw. */
    static final class CheckSameRows extends PTransform<PCollection<AudioBlock>, PDone> {
        private static final long serialVersionUID = 1L;
        private final long fitRows;

        CheckSameRows(long fitRows) {
            this.fitRows = fitRows;
        }

        @Override
        public PDone expand(PCollection<AudioBlock> tracks) {
            tracks.apply("Rows", MapElements.into(TypeDescriptors.longs()).via((AudioBlock b) -> (long) b.size()))
                    .apply("CountRows", Combine.globally((Iterable<Long> xs) -> {
                        long n = 0;
                        for (long x : xs) {
                            n += x;
                        }
                        return n;
                    }))
                    .apply("CheckRows", ParDo.of(new CheckRowsFn(fitRows)));
            return PDone.in(tracks.getPipeline());
        }
    }

    static final class CheckRowsFn extends DoFn<Long, Void> {
        private final long expected;

        CheckRowsFn(long expected) {
            this.expected = expected;
        }

        @ProcessElement
        public void process(@Element Long rows) {
            if (rows != expected) {
                throw new IllegalStateException("the audio file changed between the fit pass (" + expected
                        + " rows) and the apply pass (" + rows + " rows)");
            }
        }
    }
}
