package dev.segue.store;

/** Any failure of the feature store; the message names the feature set, version, file or column involved. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
