package dev.segue.format;

import java.nio.file.Path;

/**
 * A file that does not follow its format. The message names the file and the position (line and column, or
 * playlist index) of the problem so the user can find it.
 */
public class FormatException extends RuntimeException {
    private final Path file;
    private final long line;
    private final long column;

    public FormatException(Path file, long line, long column, String reason) {
        this(file, line, column, reason, null);
    }

    public FormatException(Path file, long line, long column, String reason, Throwable cause) {
        super(describe(file, line, column, reason), cause);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    private static String describe(Path file, long line, long column, String reason) {
        String where = file == null ? "<input>" : file.toString();
        if (line > 0) {
            where += ":" + line + (column > 0 ? ":" + column : "");
        }
        return where + ": " + reason;
    }

    public Path file() {
        return file;
    }

    public long line() {
        return line;
    }

    public long column() {
        return column;
    }
}
