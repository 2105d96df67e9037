package dev.segue.eval.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segue.format.AtomicFile;
import dev.segue.format.FormatException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads and writes report folders: {@code report.json}, {@code report.md} and the PNG charts. */
public final class ReportFiles {
    public static final String JSON = "report.json";
    public static final String MARKDOWN = "report.md";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ReportFiles() {}

    /** Writes charts, then report.md, then report.json (each atomically; the JSON last marks completion). */
    public static void write(EvaluationReport report, Path dir, boolean charts) throws IOException {
        write(report, dir, charts, "");
    }

    /** As {@link #write(EvaluationReport, Path, boolean)}, with {@code research} sections in report.md. */
    public static void write(EvaluationReport report, Path dir, boolean charts, String research) throws IOException {
        Files.createDirectories(dir);
        List<String> chartFiles = charts ? ReportCharts.write(report, dir) : List.of();
        writeText(dir.resolve(MARKDOWN), MarkdownReport.render(report, chartFiles, research));
        try (AtomicFile file = AtomicFile.create(dir.resolve(JSON))) {
            MAPPER.writeValue(new NonClosing(file.stream()), report);
            file.commit();
        }
    }

    static void writeText(Path target, String text) throws IOException {
        try (AtomicFile file = AtomicFile.create(target)) {
            Writer w = new OutputStreamWriter(file.stream(), StandardCharsets.UTF_8);
            w.write(text);
            w.flush();
            file.commit();
        }
    }

    /** Reads a report.json, or the report.json inside a folder. */
    public static EvaluationReport read(Path fileOrDir) throws IOException {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(JSON) : fileOrDir;
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no evaluation report there");
        }
        EvaluationReport r;
        try {
            r = MAPPER.readValue(file.toFile(), EvaluationReport.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            throw new FormatException(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    "not an evaluation report: " + e.getOriginalMessage(), e);
        }
        if (r == null || !EvaluationReport.FORMAT.equals(r.format()) || r.methods() == null) {
            throw new FormatException(file, 0, 0, "not an evaluation report (expected \"format\": \""
                    + EvaluationReport.FORMAT + "\")");
        }
        return r;
    }

    /** Jackson closes the stream it writes to; AtomicFile must close it itself after commit. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
