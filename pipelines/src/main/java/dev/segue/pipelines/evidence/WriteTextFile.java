package dev.segue.pipelines.evidence;

import dev.segue.format.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Writes its input, one string (a report such as {@code cleaning.json}), to a file atomically. Unlike TextIO,
 * which publishes only when the whole pipeline succeeds and leaves a {@code .temp-beam-…} folder behind when it
 * fails, the file is complete as soon as this step ran, and nothing else is left in the folder.
 */
public final class WriteTextFile extends DoFn<String, Void> {
    private final String file;

    public WriteTextFile(String file) {
        this.file = file;
    }

    @ProcessElement
    public void process(@Element String text) throws IOException {
        try (AtomicFile f = AtomicFile.create(Paths.get(file))) {
            f.stream().write(text.getBytes(StandardCharsets.UTF_8));
            f.commit();
        }
    }
}
