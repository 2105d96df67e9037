package dev.segue.churn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * Binary coder of {@link EventBlock}: dictionaries as UTF strings, columns as raw big-endian arrays. Runners
 * copy grouped values through their coder (the DirectRunner clones a key's bag on every bundle), so Java
 * serialization here would dominate the pipeline's cost.
 */
public final class EventBlockCoder extends AtomicCoder<EventBlock> {
    private static final EventBlockCoder INSTANCE = new EventBlockCoder();

    public static EventBlockCoder of() {
        return INSTANCE;
    }

    @Override
    public void encode(EventBlock b, OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        int n = b.size;
        out.writeInt(n);
        strings(out, b.users);
        strings(out, b.devices);
        strings(out, b.songs);
        ByteBuffer buf = ByteBuffer.allocate(n * (4 + 1 + 4 + 4 + 4 + 8 + 8));
        buf.asIntBuffer().put(b.user, 0, n);
        buf.position(buf.position() + 4 * n);
        buf.put(b.kind, 0, n);
        buf.asIntBuffer().put(b.device, 0, n);
        buf.position(buf.position() + 4 * n);
        buf.asIntBuffer().put(b.song, 0, n);
        buf.position(buf.position() + 4 * n);
        buf.asIntBuffer().put(b.date, 0, n);
        buf.position(buf.position() + 4 * n);
        buf.asDoubleBuffer().put(b.playTime, 0, n);
        buf.position(buf.position() + 8 * n);
        buf.asDoubleBuffer().put(b.songLength, 0, n);
        out.write(buf.array());
        out.flush();
    }

    private static void strings(DataOutputStream out, String[] s) throws IOException {
        out.writeInt(s.length);
        for (String x : s) {
            out.writeUTF(x);
        }
    }

    private static String[] strings(DataInputStream in) throws IOException {
        String[] s = new String[in.readInt()];
        for (int i = 0; i < s.length; i++) {
            s[i] = in.readUTF();
        }
        return s;
    }

    @Override
    public EventBlock decode(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(is);
        int n = in.readInt();
        String[] users = strings(in);
        String[] devices = strings(in);
        String[] songs = strings(in);
        byte[] raw = new byte[n * (4 + 1 + 4 + 4 + 4 + 8 + 8)];
        in.readFully(raw);
        ByteBuffer buf = ByteBuffer.wrap(raw);
        int[] user = new int[n];
        byte[] kind = new byte[n];
        int[] device = new int[n];
        int[] song = new int[n];
        int[] date = new int[n];
        double[] pt = new double[n];
        double[] sl = new double[n];
        buf.asIntBuffer().get(user);
        buf.position(buf.position() + 4 * n);
        buf.get(kind);
        buf.asIntBuffer().get(device);
        buf.position(buf.position() + 4 * n);
        buf.asIntBuffer().get(song);
        buf.position(buf.position() + 4 * n);
        buf.asIntBuffer().get(date);
        buf.position(buf.position() + 4 * n);
        buf.asDoubleBuffer().get(pt);
        buf.position(buf.position() + 8 * n);
        buf.asDoubleBuffer().get(sl);
        return new EventBlock(n, users, user, kind, devices, device, songs, song, date, pt, sl);
    }
}
