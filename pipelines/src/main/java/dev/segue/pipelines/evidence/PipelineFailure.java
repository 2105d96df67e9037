package dev.segue.pipelines.evidence;

import dev.segue.store.StoreException;

import dev.segue.format.FormatException;
import dev.segue.ingest.IngestException;

/**
 * What a failed pipeline run tells its user, in one place for every pipeline. Runners wrap the exception a step
 * threw (the DirectRunner's {@code PipelineExecutionException} message starts with the wrapped class's name,
 * "java.lang.IllegalArgumentException: …"); the user needs the innermost message that says what is wrong,
 * and whether it was the input (the command's exit code 2) or anything else (exit 1), the convention of
 * {@code segue} ({@code SegueCli}).
 */
public final class PipelineFailure {
    private PipelineFailure() {}

    /** The first exception in the cause chain that describes bad input, or null. */
    static Throwable badInputCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof IngestException || t instanceof FormatException) {
                return t;
            }
        }
        return null;
    }

    /** True when the run failed on its input (malformed data, a missing column, too many dead letters). */
    public static boolean badInput(Throwable e) {
        return badInputCause(e) != null;
    }

    /** The one-line message for a user: the bad-input message if there is one, else the innermost message. */
    public static String message(Throwable e) {
        Throwable t = badInputCause(e);
        if (t == null) {
            t = storeCause(e);
        }
        if (t == null) {
            t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return "failed (" + t.getClass().getSimpleName() + " without a message)";
        }
        int nl = m.indexOf('\n'); // a remote file system's message may carry the server's stack trace
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * The first {@link StoreException} in the cause chain, or null: its message names the store and says what failed
     * there (e.g. "store hdfs://nn/s: cannot write there (Permission denied: …)"), which the innermost exception, the
     * file system's own, does not.
     */
    static Throwable storeCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StoreException) {
                return t;
            }
        }
        return null;
    }

    /**
     * The exception a command rethrows: an {@link IllegalArgumentException} for bad input (exit 2), else an
     * {@link IllegalStateException}; its message is {@link #message} plus {@code suffix} (e.g. where the run
     * report is), and its cause the original.
     */
    public static RuntimeException forUser(Throwable e, String suffix) {
        String m = message(e) + (suffix == null ? "" : suffix);
        return badInput(e) ? new IllegalArgumentException(m, e) : new IllegalStateException(m, e);
    }
}
