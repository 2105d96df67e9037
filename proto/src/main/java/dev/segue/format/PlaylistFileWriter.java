package dev.segue.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Streams records into a {@code {"info"/header fields..., "playlists": [...]}} JSON file under a temporary
 * name; {@link #commit()} renames it into place. Closing without commit leaves nothing behind.
 */
public final class PlaylistFileWriter<T> implements AutoCloseable {
    @FunctionalInterface
    public interface RecordWriter<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    private final AtomicFile file;
    private final JsonGenerator g;
    private final RecordWriter<T> recordWriter;
    private long count;

    private PlaylistFileWriter(AtomicFile file, Map<String, String> header, RecordWriter<T> recordWriter)
            throws IOException {
        this.file = file;
        this.recordWriter = recordWriter;
        this.g = PlaylistArrayReader.MAPPER.getFactory().createGenerator(file.stream(), JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        if (header.containsKey("slice")) {
            // MPD slices nest their metadata under "info".
            g.writeObjectFieldStart("info");
            for (Map.Entry<String, String> e : new TreeMap<>(header).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } else {
            for (Map.Entry<String, String> e : new TreeMap<>(header).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
        }
        g.writeArrayFieldStart("playlists");
    }

    static <T> PlaylistFileWriter<T> open(Path target, Map<String, String> header, RecordWriter<T> w)
            throws IOException {
        AtomicFile file = AtomicFile.create(target);
        try {
            return new PlaylistFileWriter<>(file, header, w);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public void write(T value) throws IOException {
        recordWriter.write(g, value);
        g.writeRaw('\n');
        count++;
    }

    public long count() {
        return count;
    }

    public Path target() {
        return file.target();
    }

    public void commit() throws IOException {
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
        file.commit();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
