package dev.segue.store;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class StatsAccumulatorTest {
    @Test
    void mergingPartsGivesTheWholeColumnsExactMoments() {
        ColumnSpec spec = new ColumnSpec("x", FeatureType.FLOAT64, "", 0, false, true, null, null);
        int n = 30_000;
        double[] x = new double[n];
        boolean[] valid = new boolean[n];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian() * 3 + 10;
            valid[i] = i % 10 != 0;
        }
        Columnar.Column c = new Columnar.Column(FeatureType.FLOAT64, x, valid, 0);
        StatsAccumulator whole = new StatsAccumulator(spec);
        whole.add(c, 0, n);
        StatsAccumulator a = new StatsAccumulator(spec);
        StatsAccumulator b = new StatsAccumulator(spec);
        a.add(c, 0, 12_345);
        b.add(c, 12_345, n);
        a.merge(b);
        ColumnStats w = whole.finish();
        ColumnStats m = a.finish();
        assertEquals(n, m.count());
        assertEquals(3_000, m.nulls());
        assertEquals(w.min(), m.min());
        assertEquals(w.max(), m.max());
        assertEquals(w.mean(), m.mean(), 1e-9);
        assertEquals(w.std(), m.std(), 1e-9);
        assertEquals(10.0, m.mean(), 0.1);
        assertEquals(3.0, m.std(), 0.1);
        assertTrue(m.histogram().sampled());
        long total = java.util.Arrays.stream(m.histogram().counts()).sum();
        assertEquals(27_000, total, 50, "scaled histogram sums to the non-null count");
        // the sampled histogram is close to the exact one: the mode bin holds ~ the same share
        int mode = 0;
        for (int i = 1; i < w.histogram().counts().length; i++) {
            if (w.histogram().counts()[i] > w.histogram().counts()[mode]) mode = i;
        }
        assertEquals(w.histogram().counts()[mode], m.histogram().counts()[mode], 0.15 * w.histogram().counts()[mode]);
    }
}
