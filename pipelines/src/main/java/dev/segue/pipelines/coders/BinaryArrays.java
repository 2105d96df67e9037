package dev.segue.pipelines.coders;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bulk binary encoding of primitive and string arrays for the pipelines' custom coders: a length prefix
 * (-1 for null) and the values in big-endian chunks, so coding a block of a million floats is a few buffer
 * copies rather than a million stream calls.
 */
public final class BinaryArrays {
    private static final int CHUNK = 1 << 15;

    private BinaryArrays() {}

    public static void writeInts(DataOutputStream out, int[] v) throws IOException {
        if (v == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(v.length);
        ByteBuffer buf = ByteBuffer.allocate(Math.min(v.length, CHUNK) * 4).order(ByteOrder.BIG_ENDIAN);
        for (int from = 0; from < v.length; from += CHUNK) {
            int n = Math.min(CHUNK, v.length - from);
            buf.clear();
            buf.asIntBuffer().put(v, from, n);
            out.write(buf.array(), 0, n * 4);
        }
    }

    public static int[] readInts(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            return null;
        }
        int[] v = new int[len];
        byte[] bytes = new byte[Math.min(len, CHUNK) * 4];
        for (int from = 0; from < len; from += CHUNK) {
            int n = Math.min(CHUNK, len - from);
            in.readFully(bytes, 0, n * 4);
            ByteBuffer.wrap(bytes, 0, n * 4).asIntBuffer().get(v, from, n);
        }
        return v;
    }

    public static void writeLongs(DataOutputStream out, long[] v) throws IOException {
        if (v == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(v.length);
        ByteBuffer buf = ByteBuffer.allocate(Math.min(v.length, CHUNK) * 8);
        for (int from = 0; from < v.length; from += CHUNK) {
            int n = Math.min(CHUNK, v.length - from);
            buf.clear();
            buf.asLongBuffer().put(v, from, n);
            out.write(buf.array(), 0, n * 8);
        }
    }

    public static long[] readLongs(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            return null;
        }
        long[] v = new long[len];
        byte[] bytes = new byte[Math.min(len, CHUNK) * 8];
        for (int from = 0; from < len; from += CHUNK) {
            int n = Math.min(CHUNK, len - from);
            in.readFully(bytes, 0, n * 8);
            ByteBuffer.wrap(bytes, 0, n * 8).asLongBuffer().get(v, from, n);
        }
        return v;
    }

    public static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        if (v == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(v.length);
        ByteBuffer buf = ByteBuffer.allocate(Math.min(v.length, CHUNK) * 4);
        for (int from = 0; from < v.length; from += CHUNK) {
            int n = Math.min(CHUNK, v.length - from);
            buf.clear();
            buf.asFloatBuffer().put(v, from, n);
            out.write(buf.array(), 0, n * 4);
        }
    }

    public static float[] readFloats(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            return null;
        }
        float[] v = new float[len];
        byte[] bytes = new byte[Math.min(len, CHUNK) * 4];
        for (int from = 0; from < len; from += CHUNK) {
            int n = Math.min(CHUNK, len - from);
            in.readFully(bytes, 0, n * 4);
            ByteBuffer.wrap(bytes, 0, n * 4).asFloatBuffer().get(v, from, n);
        }
        return v;
    }

    public static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        if (v == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(v.length);
        ByteBuffer buf = ByteBuffer.allocate(Math.min(v.length, CHUNK) * 8);
        for (int from = 0; from < v.length; from += CHUNK) {
            int n = Math.min(CHUNK, v.length - from);
            buf.clear();
            buf.asDoubleBuffer().put(v, from, n);
            out.write(buf.array(), 0, n * 8);
        }
    }

    public static double[] readDoubles(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            return null;
        }
        double[] v = new double[len];
        byte[] bytes = new byte[Math.min(len, CHUNK) * 8];
        for (int from = 0; from < len; from += CHUNK) {
            int n = Math.min(CHUNK, len - from);
            in.readFully(bytes, 0, n * 8);
            ByteBuffer.wrap(bytes, 0, n * 8).asDoubleBuffer().get(v, from, n);
        }
        return v;
    }

    /** Strings as UTF-8 with a length prefix each; null elements and null arrays survive the round trip. */
    public static void writeStrings(DataOutputStream out, String[] v) throws IOException {
        if (v == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(v.length);
        for (String s : v) {
            writeString(out, s);
        }
    }

    public static String[] readStrings(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            return null;
        }
        String[] v = new String[len];
        for (int i = 0; i < len; i++) {
            v[i] = readString(in);
        }
        return v;
    }

    public static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    public static String readString(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            return null;
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A data view of a coder's stream; never close it (the runner owns the stream). */
    public static DataOutputStream data(OutputStream out) {
        return new DataOutputStream(out);
    }

    public static DataInputStream data(InputStream in) {
        return new DataInputStream(in);
    }
}
