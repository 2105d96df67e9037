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

    /**
     * Strings as one block: every length (-1 for null) as an int array, then all the UTF-8 bytes in one run.
     * Per-string length prefixes cost four synchronised single-byte stream calls each, which made string
     * columns the slowest part of coding a track aggregate (the DirectRunner clones grouped state by coding it).
     */
    public static void writeStrings(DataOutputStream out, String[] v) throws IOException {
        if (v == null) {
            out.writeInt(-1);
            return;
        }
        int[] lengths = new int[v.length];
        byte[][] bytes = new byte[v.length][];
        long total = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == null) {
                lengths[i] = -1;
            } else {
                bytes[i] = v[i].getBytes(StandardCharsets.UTF_8);
                lengths[i] = bytes[i].length;
                total += lengths[i];
            }
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IOException("string column of " + total + " bytes is too large for one block");
        }
        writeInts(out, lengths);
        byte[] block = new byte[(int) Math.min(total, CHUNK * 4L)];
        int filled = 0;
        for (byte[] b : bytes) {
            if (b == null) {
                continue;
            }
            for (int from = 0; from < b.length; ) {
                int n = Math.min(block.length - filled, b.length - from);
                System.arraycopy(b, from, block, filled, n);
                filled += n;
                from += n;
                if (filled == block.length) {
                    out.write(block, 0, filled);
                    filled = 0;
                }
            }
        }
        if (filled > 0) {
            out.write(block, 0, filled);
        }
    }

    public static String[] readStrings(DataInputStream in) throws IOException {
        int[] lengths = readInts(in);
        if (lengths == null) {
            return null;
        }
        long total = 0;
        for (int len : lengths) {
            total += Math.max(len, 0);
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IOException("string column of " + total + " bytes is too large for one block");
        }
        byte[] block = new byte[(int) total];
        in.readFully(block);
        String[] v = new String[lengths.length];
        for (int i = 0, at = 0; i < v.length; i++) {
            if (lengths[i] >= 0) {
                v[i] = new String(block, at, lengths[i], StandardCharsets.UTF_8);
                at += lengths[i];
            }
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
