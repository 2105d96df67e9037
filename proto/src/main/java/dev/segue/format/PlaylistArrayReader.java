package dev.segue.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams the records of a JSON file shaped {@code {..., "playlists": [ {...}, ... ], ...}} one at a time,
 * so a file of any size is read in constant memory. The other top-level fields are collected into
 * {@link #header()} (complete once the whole file was read if they follow the array).
 *
 * <p>This is the one JSON reader behind the MPD slice, challenge-set and truth formats.
 */
public final class PlaylistArrayReader<T> implements Closeable {
    /**
     * Converts one playlist object straight from the parser's tokens. It is called with the parser on the
     * record's {@code START_OBJECT} and must consume through the matching {@code END_OBJECT}; it throws
     * {@link IllegalArgumentException} with a reason when the content is malformed (wherever it stopped, the
     * reader skips the rest of the record). {@link MpdJson} holds the MPD converters.
     */
    @FunctionalInterface
    public interface Converter<T> {
        T convert(JsonParser parser) throws IOException;
    }

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private final Path file;
    private final JsonParser parser;
    private final Converter<T> converter;
    private final ObjectNode header = MAPPER.createObjectNode();
    private boolean inArray;
    /** The parsing context of the playlists array, to find its level again after a malformed record. */
    private JsonStreamContext arrayContext;
    private boolean finished;
    private long index;

    private PlaylistArrayReader(Path file, InputStream in, Converter<T> converter) throws IOException {
        this.file = file;
        this.converter = converter;
        this.parser = FACTORY.createParser(in);
        try {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw error("expected a JSON object at the top level");
            }
        } catch (JsonParseException e) {
            throw syntax(e);
        }
    }

    public static <T> PlaylistArrayReader<T> open(Path file, Converter<T> converter) throws IOException {
        return new PlaylistArrayReader<>(file, new BufferedInputStream(Files.newInputStream(file), 1 << 16), converter);
    }

    public static <T> PlaylistArrayReader<T> open(InputStream in, Path nameForErrors, Converter<T> converter)
            throws IOException {
        return new PlaylistArrayReader<>(nameForErrors, in, converter);
    }

    public Path file() {
        return file;
    }

    /** Top-level fields other than {@code playlists} seen so far. */
    public ObjectNode header() {
        return header;
    }

    /** Top-level fields before the playlist array: reads up to the array without consuming a record. */
    public ObjectNode readHeader() throws IOException {
        if (!inArray && !finished) {
            advanceToArray();
        }
        return header;
    }

    /**
     * The next record, or {@code null} at the end of the file.
     *
     * @throws MalformedRecordException a record with wrong content; it was skipped and reading can go on
     * @throws FormatException the file is not valid JSON or not of this shape; reading cannot go on
     */
    public T next() throws IOException {
        try {
            if (finished) {
                return null;
            }
            if (!inArray) {
                advanceToArray();
                if (finished) {
                    return null;
                }
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                inArray = false;
                readRestOfObject();
                return null;
            }
            if (token == null) {
                throw error("file ends inside the playlists array (truncated?)");
            }
            JsonLocation start = parser.currentTokenLocation();
            long recordIndex = index++;
            if (token != JsonToken.START_OBJECT) {
                String found = token == JsonToken.VALUE_STRING ? "a string"
                        : token.isNumeric() ? parser.getText() : token.asString();
                parser.skipChildren();
                throw new MalformedRecordException(file, start.getLineNr(), start.getColumnNr(), recordIndex,
                        "expected an object, found " + found);
            }
            T record;
            try {
                record = converter.convert(parser);
            } catch (IllegalArgumentException | NullPointerException e) {
                skipRestOfRecord();
                throw new MalformedRecordException(file, start.getLineNr(), start.getColumnNr(), recordIndex,
                        e.getMessage() == null ? e.toString() : e.getMessage());
            }
            if (parser.getParsingContext() != arrayContext) {
                throw new IllegalStateException("the converter did not read playlist #" + recordIndex
                        + " through its end");
            }
            return record;
        } catch (JsonParseException e) {
            finished = true;
            throw syntax(e);
        }
    }

    private void advanceToArray() throws IOException {
        while (true) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_OBJECT) {
                finished = true;
                throw error("no \"playlists\" array in the file");
            }
            if (token != JsonToken.FIELD_NAME) {
                throw error("unexpected " + token + " at the top level (truncated file?)");
            }
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("playlists".equals(field)) {
                if (value != JsonToken.START_ARRAY) {
                    throw error("\"playlists\" is not an array");
                }
                inArray = true;
                arrayContext = parser.getParsingContext();
                return;
            }
            header.set(field, MAPPER.readTree(parser));
        }
    }

    /** After a converter gave up inside a record: reads on to the record's END_OBJECT, whatever the depth. */
    private void skipRestOfRecord() throws IOException {
        while (parser.getParsingContext() != arrayContext) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw error("file ends inside a playlist (truncated?)");
            }
            parser.skipChildren();
        }
    }

    private void readRestOfObject() throws IOException {
        while (true) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_OBJECT || token == null) {
                finished = true;
                if (token == null) {
                    throw error("file ends before the closing brace (truncated?)");
                }
                return;
            }
            String field = parser.currentName();
            parser.nextToken();
            header.set(field, MAPPER.readTree(parser));
        }
    }

    private FormatException error(String reason) {
        JsonLocation at = parser.currentLocation();
        return new FormatException(file, at.getLineNr(), at.getColumnNr(), reason);
    }

    private FormatException syntax(com.fasterxml.jackson.core.JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String reason = "invalid JSON: " + e.getOriginalMessage();
        return at == null ? new FormatException(file, 0, 0, reason, e)
                : new FormatException(file, at.getLineNr(), at.getColumnNr(), reason, e);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
