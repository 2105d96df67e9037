package dev.segue.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;

/**
 * A playlist record the ingest skipped: the file, the record's line and column, its 0-based index in the
 * file's playlist array, and why.
 */
public record DeadLetter(String file, long line, long column, long index, String reason) implements Serializable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One JSON object per line, for the dead-letter file. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("file", file);
        n.put("line", line);
        n.put("column", column);
        n.put("index", index);
        n.put("reason", reason);
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": playlist #" + index + ": " + reason;
    }
}
