package dev.segue.store;

/** Data handed to a writer does not match the declared schema or fails a column check; nothing was committed. */
public class ValidationException extends StoreException {
    public ValidationException(String message) {
        super(message);
    }
}
