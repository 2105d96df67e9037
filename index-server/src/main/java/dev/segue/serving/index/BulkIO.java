package dev.segue.serving.index;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/** Little-endian primitive arrays through one reusable 1 MB buffer: saved graphs load at disk speed. */
final class BulkIO {
    private BulkIO() {}

    static final class Writer {
        private final WritableByteChannel out;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);

        Writer(WritableByteChannel out) {
            this.out = out;
        }

        private void room(int bytes) throws IOException {
            if (buf.remaining() < bytes) {
                flush();
            }
        }

        Writer putInt(int v) throws IOException {
            room(4);
            buf.putInt(v);
            return this;
        }

        Writer putLong(long v) throws IOException {
            room(8);
            buf.putLong(v);
            return this;
        }

        Writer putFloat(float v) throws IOException {
            room(4);
            buf.putFloat(v);
            return this;
        }

        Writer putBytes(byte[] b) throws IOException {
            for (byte x : b) {
                room(1);
                buf.put(x);
            }
            return this;
        }

        Writer putString(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            putInt(b.length);
            return putBytes(b);
        }

        Writer putInts(int[] a, int from, int len) throws IOException {
            int at = from;
            int end = from + len;
            while (at < end) {
                room(4);
                int n = Math.min(end - at, buf.remaining() / 4);
                buf.asIntBuffer().put(a, at, n);
                buf.position(buf.position() + 4 * n);
                at += n;
            }
            return this;
        }

        Writer putFloats(float[] a) throws IOException {
            int at = 0;
            while (at < a.length) {
                room(4);
                int n = Math.min(a.length - at, buf.remaining() / 4);
                buf.asFloatBuffer().put(a, at, n);
                buf.position(buf.position() + 4 * n);
                at += n;
            }
            return this;
        }

        void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            buf.clear();
        }
    }

    static final class Reader {
        private final ReadableByteChannel in;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);

        Reader(ReadableByteChannel in) {
            this.in = in;
            buf.limit(0);
        }

        private void need(int bytes) throws IOException {
            if (buf.remaining() >= bytes) {
                return;
            }
            buf.compact();
            while (buf.position() < bytes) {
                if (in.read(buf) < 0) {
                    throw new EOFException("the file ends early");
                }
            }
            buf.flip();
        }

        int getInt() throws IOException {
            need(4);
            return buf.getInt();
        }

        long getLong() throws IOException {
            need(8);
            return buf.getLong();
        }

        float getFloat() throws IOException {
            need(4);
            return buf.getFloat();
        }

        byte[] getBytes(int n) throws IOException {
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                need(1);
                out[i] = buf.get();
            }
            return out;
        }

        String getString(int maxBytes) throws IOException {
            int n = getInt();
            if (n < 0 || n > maxBytes) {
                throw new IOException("corrupt file: string of " + n + " bytes");
            }
            return new String(getBytes(n), StandardCharsets.UTF_8);
        }

        void getInts(int[] a) throws IOException {
            int at = 0;
            while (at < a.length) {
                need(4);
                int n = Math.min(a.length - at, buf.remaining() / 4);
                buf.asIntBuffer().get(a, at, n);
                buf.position(buf.position() + 4 * n);
                at += n;
            }
        }

        /** Reads past {@code count} bytes (a section this version does not use). */
        void skip(long count) throws IOException {
            while (count > 0) {
                need(1);
                int n = (int) Math.min(count, buf.remaining());
                buf.position(buf.position() + n);
                count -= n;
            }
        }

        void getFloats(float[] a) throws IOException {
            int at = 0;
            while (at < a.length) {
                need(4);
                int n = Math.min(a.length - at, buf.remaining() / 4);
                buf.asFloatBuffer().get(a, at, n);
                buf.position(buf.position() + 4 * n);
                at += n;
            }
        }
    }
}
