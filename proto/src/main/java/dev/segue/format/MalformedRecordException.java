package dev.segue.format;

import java.nio.file.Path;

/**
 * One record of a file is malformed (well-formed JSON, wrong content). The reader has skipped it and can go
 * on; {@link #index()} is the record's 0-based position in the file's playlist array.
 */
public class MalformedRecordException extends FormatException {
    private final long index;

    public MalformedRecordException(Path file, long line, long column, long index, String reason) {
        super(file, line, column, "playlist #" + index + ": " + reason);
        this.index = index;
    }

    public long index() {
        return index;
    }
}
