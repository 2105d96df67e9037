package dev.segue.ingest;

/** The ingest cannot go on: an unreadable slice file, or too many malformed records. */
public class IngestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IngestException(String message) {
        super(message);
    }

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
