package dev.segue.pipelines.cli;

import dev.segue.pipelines.evidence.PipelineFailure;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The options and the failure rule every {@code segue pipeline} command over MPD slices shares (a picocli mixin:
 * {@code @Mixin MpdStoreOptions input}): the slices, the store, whether to print progress; and how a failed run is
 * reported — one line through {@link PipelineFailure}, the stack trace only with {@code SEGUE_VERBOSE=1}, exit 2 for
 * bad input and 1 for anything else.
 */
public final class MpdStoreOptions {
    @Option(names = "--mpd", required = true, paramLabel = "DIR",
            description = "folder of training mpd.slice.*.json (or a file pattern; hdfs://, s3:// through Beam)")
    String mpd;

    @Option(names = "--store", required = true, paramLabel = "DIR",
            description = "feature store root: a local folder, hdfs://NAMENODE:PORT/PATH or s3://BUCKET/PATH")
    String store;

    @Option(names = "--quiet", description = "no progress lines")
    boolean quiet;

    /** Prints why {@code command}'s run failed (with {@code note} appended when not null); returns the exit code. */
    static int failed(PrintWriter err, String command, Exception e, String note) {
        err.println("segue pipeline " + command + ": " + PipelineFailure.message(e) + (note == null ? "" : note));
        if ("1".equals(System.getenv("SEGUE_VERBOSE"))) {
            e.printStackTrace(err);
        }
        err.flush();
        return PipelineFailure.badInput(e) ? 2 : 1;
    }
}
