package dev.segue.als.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FixedPointSumTest {
    @Test
    void theSumDoesNotDependOnTheOrderOrGroupingOfParts() {
        Random rnd = new Random(5);
        List<double[]> parts = new ArrayList<>();
        double[] naive = new double[3];
        for (int i = 0; i < 200; i++) {
            double[] v = {rnd.nextGaussian() * 1e3, rnd.nextDouble() * 1e-3, -rnd.nextDouble() * 7};
            parts.add(v);
            for (int j = 0; j < 3; j++) {
                naive[j] += v[j];
            }
        }
        FixedPointSum fn = new FixedPointSum();
        double[] inOrder = fn.extractOutput(addAll(fn, parts));
        Collections.shuffle(parts, new Random(9));
        long[] left = addAll(fn, parts.subList(0, 77));
        long[] right = addAll(fn, parts.subList(77, parts.size()));
        double[] merged = fn.extractOutput(fn.mergeAccumulators(List.of(right, fn.createAccumulator(), left)));
        assertArrayEquals(inOrder, merged, 0.0);
        for (int j = 0; j < 3; j++) {
            assertEquals(naive[j], inOrder[j], 200 * 0x1p-24 + 1e-12 * Math.abs(naive[j]));
        }
    }

    @Test
    void valuesOutsideTheRangeFailInsteadOfWrapping() {
        FixedPointSum fn = new FixedPointSum();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> fn.addInput(fn.createAccumulator(), new double[] {0x1p40}));
        assertTrue(e.getMessage().contains("range"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> fn.addInput(fn.createAccumulator(), new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class,
                () -> fn.addInput(fn.addInput(fn.createAccumulator(), new double[2]), new double[3]));
    }

    private static long[] addAll(FixedPointSum fn, List<double[]> parts) {
        long[] acc = fn.createAccumulator();
        for (double[] p : parts) {
            acc = fn.addInput(acc, p);
        }
        return acc;
    }
}
