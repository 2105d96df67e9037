package dev.segue.churn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Reads the lines of bytes [start, end) of a file through Beam's FileSystems (any file system a runner
 * supports). A line ends at '\n'; a trailing '\r' is dropped; the last line may lack its '\n'.
 */
public final class LineRangeReader implements AutoCloseable {
    private final ReadableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    private byte[] carry = new byte[512];
    private int carryLength;
    private long remaining;
    private long position;
    private long lineStart;
    private long lineNumber;

    public LineRangeReader(String file, long start, long end, long firstLine) throws IOException {
        channel = FileSystems.open(FileSystems.matchSingleFileSpec(file).resourceId());
        if (start > 0) {
            if (channel instanceof SeekableByteChannel s) {
                s.position(start);
            } else {
                skip(start);
            }
        }
        remaining = end - start;
        position = start;
        lineNumber = firstLine - 1;
        buffer.limit(0);
    }

    private void skip(long n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        while (n > 0) {
            b.clear();
            b.limit((int) Math.min(b.capacity(), n));
            int r = channel.read(b);
            if (r < 0) {
                throw new IOException("file ended before offset " + n);
            }
            n -= r;
        }
    }

    /** The next line, or null at the end of the range. */
    public String next() throws IOException {
        lineStart = position;
        while (true) {
            byte[] a = buffer.array();
            int pos = buffer.position();
            int lim = buffer.limit();
            for (int i = pos; i < lim; i++) {
                if (a[i] == '\n') {
                    String s = decode(a, pos, i);
                    buffer.position(i + 1);
                    position += i + 1 - pos;
                    lineNumber++;
                    return s;
                }
            }
            append(a, pos, lim);
            position += lim - pos;
            buffer.position(lim);
            if (remaining == 0 || !fill()) {
                if (carryLength > 0) {
                    String s = decode(a, 0, 0);
                    lineNumber++;
                    return s;
                }
                return null;
            }
        }
    }

    private boolean fill() throws IOException {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), remaining));
        int r;
        do {
            r = channel.read(buffer);
        } while (r == 0);
        buffer.flip();
        if (r < 0) {
            remaining = 0;
            return false;
        }
        remaining -= r;
        return true;
    }

    private void append(byte[] a, int from, int to) {
        int n = to - from;
        if (carryLength + n > carry.length) {
            carry = Arrays.copyOf(carry, Math.max(carry.length * 2, carryLength + n));
        }
        System.arraycopy(a, from, carry, carryLength, n);
        carryLength += n;
    }

    private String decode(byte[] a, int from, int to) {
        String s;
        if (carryLength > 0) {
            append(a, from, to);
            int n = carryLength;
            if (n > 0 && carry[n - 1] == '\r') {
                n--;
            }
            s = new String(carry, 0, n, StandardCharsets.UTF_8);
            carryLength = 0;
        } else {
            int e = to;
            if (e > from && a[e - 1] == '\r') {
                e--;
            }
            s = new String(a, from, e - from, StandardCharsets.UTF_8);
        }
        return s;
    }

    /** 1-based number of the line last returned. */
    public long lineNumber() {
        return lineNumber;
    }

    /** Byte offset where the line last returned starts. */
    public long lineStart() {
        return lineStart;
    }

    /** Byte offset just after the line last returned (its '\n' included). */
    public long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
