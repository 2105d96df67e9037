package dev.segue.store.beam;

import dev.segue.store.Batch;
import dev.segue.store.Columnar;
import dev.segue.store.FeatureType;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Compact coder for {@link Batch}: per column its name, type, dimension, optional validity bits and the raw
 * little-endian values, so Beam moves columnar blocks without per-value overhead.
 */
public final class BatchCoder extends AtomicCoder<Batch> {
    private static final BatchCoder INSTANCE = new BatchCoder();
    private static final int CHUNK = 1 << 16;

    public static BatchCoder of() {
        return INSTANCE;
    }

    private BatchCoder() {
    }

    @Override
    public void encode(Batch b, OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        out.writeInt(b.rows());
        out.writeInt(b.columnNames().size());
        for (String name : b.columnNames()) {
            Columnar.Column c = b.column(name);
            out.writeUTF(name);
            out.writeByte(c.type().ordinal());
            out.writeInt(c.dim());
            boolean[] valid = c.valid();
            out.writeBoolean(valid != null);
            if (valid != null) {
                byte[] bits = new byte[(valid.length + 7) / 8];
                for (int i = 0; i < valid.length; i++) {
                    if (valid[i]) bits[i >>> 3] |= (byte) (1 << (i & 7));
                }
                out.write(bits);
            }
            switch (c.type()) {
                case INT32 -> writeInts(out, (int[]) c.values());
                case INT64, TIMESTAMP -> writeLongs(out, (long[]) c.values());
                case FLOAT32, EMBEDDING -> writeFloats(out, (float[]) c.values());
                case FLOAT64 -> writeDoubles(out, (double[]) c.values());
                case BOOL -> {
                    for (boolean v : (boolean[]) c.values()) out.writeBoolean(v);
                }
                case UTF8 -> {
                    for (String s : (String[]) c.values()) {
                        if (s == null) {
                            out.writeInt(-1);
                        } else {
                            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                            out.writeInt(bytes.length);
                            out.write(bytes);
                        }
                    }
                }
            }
        }
        out.flush();
    }

    @Override
    public Batch decode(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(is);
        int rows = in.readInt();
        int cols = in.readInt();
        if (rows < 0 || cols < 0) {
            throw new CoderException("corrupt batch header: " + rows + " rows, " + cols + " columns");
        }
        Batch.Builder b = Batch.builder(rows);
        for (int k = 0; k < cols; k++) {
            String name = in.readUTF();
            FeatureType type = FeatureType.values()[in.readByte()];
            int dim = in.readInt();
            boolean[] valid = null;
            if (in.readBoolean()) {
                byte[] bits = new byte[(rows + 7) / 8];
                in.readFully(bits);
                valid = new boolean[rows];
                for (int i = 0; i < rows; i++) valid[i] = (bits[i >>> 3] & (1 << (i & 7))) != 0;
            }
            Object values = switch (type) {
                case INT32 -> readInts(in, rows);
                case INT64, TIMESTAMP -> readLongs(in, rows);
                case FLOAT32 -> readFloats(in, rows);
                case EMBEDDING -> readFloats(in, Math.multiplyExact(rows, dim));
                case FLOAT64 -> readDoubles(in, rows);
                case BOOL -> {
                    boolean[] v = new boolean[rows];
                    for (int i = 0; i < rows; i++) v[i] = in.readBoolean();
                    yield v;
                }
                case UTF8 -> {
                    String[] v = new String[rows];
                    for (int i = 0; i < rows; i++) {
                        int len = in.readInt();
                        if (len >= 0) {
                            byte[] bytes = new byte[len];
                            in.readFully(bytes);
                            v[i] = new String(bytes, StandardCharsets.UTF_8);
                        }
                    }
                    yield v;
                }
            };
            b.column(name, new Columnar.Column(type, values, valid, dim));
        }
        return b.build();
    }

    @Override
    public void verifyDeterministic() {
        // the encoding is a pure function of the batch contents
    }

    private static void writeInts(DataOutputStream out, int[] v) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < v.length; off += CHUNK) {
            int n = Math.min(CHUNK, v.length - off);
            buf.clear();
            buf.asIntBuffer().put(v, off, n);
            out.write(buf.array(), 0, n * 4);
        }
    }

    private static void writeLongs(DataOutputStream out, long[] v) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < v.length; off += CHUNK) {
            int n = Math.min(CHUNK, v.length - off);
            buf.clear();
            buf.asLongBuffer().put(v, off, n);
            out.write(buf.array(), 0, n * 8);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < v.length; off += CHUNK) {
            int n = Math.min(CHUNK, v.length - off);
            buf.clear();
            buf.asFloatBuffer().put(v, off, n);
            out.write(buf.array(), 0, n * 4);
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < v.length; off += CHUNK) {
            int n = Math.min(CHUNK, v.length - off);
            buf.clear();
            buf.asDoubleBuffer().put(v, off, n);
            out.write(buf.array(), 0, n * 8);
        }
    }

    private static ByteBuffer chunk(DataInputStream in, byte[] arr, int bytes) throws IOException {
        in.readFully(arr, 0, bytes);
        return ByteBuffer.wrap(arr, 0, bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int[] readInts(DataInputStream in, int n) throws IOException {
        int[] v = new int[n];
        byte[] arr = new byte[CHUNK * 4];
        for (int off = 0; off < n; off += CHUNK) {
            int m = Math.min(CHUNK, n - off);
            chunk(in, arr, m * 4).asIntBuffer().get(v, off, m);
        }
        return v;
    }

    private static long[] readLongs(DataInputStream in, int n) throws IOException {
        long[] v = new long[n];
        byte[] arr = new byte[CHUNK * 8];
        for (int off = 0; off < n; off += CHUNK) {
            int m = Math.min(CHUNK, n - off);
            chunk(in, arr, m * 8).asLongBuffer().get(v, off, m);
        }
        return v;
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] v = new float[n];
        byte[] arr = new byte[CHUNK * 4];
        for (int off = 0; off < n; off += CHUNK) {
            int m = Math.min(CHUNK, n - off);
            chunk(in, arr, m * 4).asFloatBuffer().get(v, off, m);
        }
        return v;
    }

    private static double[] readDoubles(DataInputStream in, int n) throws IOException {
        double[] v = new double[n];
        byte[] arr = new byte[CHUNK * 8];
        for (int off = 0; off < n; off += CHUNK) {
            int m = Math.min(CHUNK, n - off);
            chunk(in, arr, m * 8).asDoubleBuffer().get(v, off, m);
        }
        return v;
    }
}
