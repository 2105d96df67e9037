package dev.segue.eval;

/** Input the evaluation cannot use (mismatched files, unknown names); the message says what and where. */
public class BadInputException extends IllegalArgumentException {
    public BadInputException(String message) {
        super(message);
    }
}
