package dev.segue.store.beam;

import dev.segue.store.Batch;
import dev.segue.store.FeatureType;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BatchCoderTest {
    @Test
    void roundTripsEveryTypeWithNulls() throws Exception {
        int n = 70_000; // more than one internal chunk
        int[] a = new int[n];
        long[] b = new long[n];
        float[] c = new float[n];
        double[] d = new double[n];
        boolean[] e = new boolean[n];
        String[] s = new String[n];
        long[] t = new long[n];
        float[] v = new float[n * 2];
        boolean[] valid = new boolean[n];
        for (int i = 0; i < n; i++) {
            a[i] = i - 5;
            b[i] = (long) i << 33;
            c[i] = i / 3f;
            d[i] = i == 7 ? Double.NaN : i / 7.0;
            e[i] = i % 3 == 0;
            s[i] = i % 11 == 0 ? null : "é" + i;
            t[i] = -i;
            v[2 * i] = i;
            v[2 * i + 1] = -i;
            valid[i] = i % 13 != 0;
        }
        Batch in = Batch.builder(n).ints("a", a, valid).longs("b", b).floats("c", c).doubles("d", d).bools("e", e)
                .strings("s", s).timestamps("t", t).embeddings("v", v, valid).build();
        Batch out = CoderUtils.decodeFromByteArray(BatchCoder.of(), CoderUtils.encodeToByteArray(BatchCoder.of(), in));
        assertEquals(in.columnNames(), out.columnNames());
        assertEquals(n, out.rows());
        assertArrayEquals(a, out.ints("a"));
        assertArrayEquals(valid, out.validity("a"));
        assertArrayEquals(b, out.longs("b"));
        assertArrayEquals(c, out.floats("c"));
        assertArrayEquals(d, out.doubles("d"));
        assertArrayEquals(e, out.bools("e"));
        assertArrayEquals(s, out.strings("s"));
        assertEquals(FeatureType.TIMESTAMP, out.type("t"));
        assertArrayEquals(t, out.timestamps("t"));
        assertEquals(2, out.dim("v"));
        assertArrayEquals(v, out.embeddings("v"));
        assertArrayEquals(valid, out.validity("v"));
        assertNull(out.validity("b"));
    }

    @Test
    void isTheDefaultCoderOfBatchThroughTheRegistrar() throws Exception {
        // Batch carries no @DefaultCoder (the store has no Beam); META-INF/services must register BatchCoder
        assertSame(BatchCoder.of(), CoderRegistry.createDefault().getCoder(Batch.class));
    }
}
