package dev.segue.store;

/** A stored file is missing, truncated or does not match its checksum; the message names the file. */
public class CorruptionException extends StoreException {
    public CorruptionException(String message) {
        super(message);
    }

    public CorruptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
