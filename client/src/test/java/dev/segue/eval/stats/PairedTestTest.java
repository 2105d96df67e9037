package dev.segue.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-computed answers (t and p as scipy.stats.ttest_rel gives them; sign-flip p by enumerating all signs). */
class PairedTestTest {
    @Test
    void pairedTOfSmallSamples() {
        // d = 1, 2, 2, 3: mean 2, sd sqrt(2/3), se sqrt(2/3)/2, t = 4.898979, df 3, two-sided p = 0.0162766
        PairedTest.Result r = PairedTest.of(new double[] {1, 2, 3, 4}, new double[] {0, 0, 1, 1}, 20_000, 7);
        assertEquals(4, r.n());
        assertEquals(2.5, r.meanA(), 1e-12);
        assertEquals(0.5, r.meanB(), 1e-12);
        assertEquals(2.0, r.meanDifference(), 1e-12);
        assertEquals(Math.sqrt(2.0 / 3) / 2, r.stderr(), 1e-12);
        assertEquals(4.898979485566356, r.t(), 1e-9);
        assertEquals(0.016276603459428555, r.pT(), 1e-9);
        // of the 16 sign patterns only all-plus and all-minus reach |sum| 8: exact p = 2/16
        assertEquals(0.125, r.pSignFlip(), 0.01);
    }

    @Test
    void mixedSignsAgainstTheExactPermutationDistribution() {
        double[] d = {0.5, -0.25, 0.75, 0.25, 1.0, -0.5};
        PairedTest.Result r = PairedTest.of(d, new double[6], 20_000, PairedTest.DEFAULT_SEED);
        assertEquals(0.2916666666666667, r.meanDifference(), 1e-12);
        assertEquals(0.23643768265185183, r.stderr(), 1e-12);
        assertEquals(1.2335879094879225, r.t(), 1e-9);
        assertEquals(0.2721791031661837, r.pT(), 1e-9);
        assertEquals(22.0 / 64, r.pSignFlip(), 0.01); // 22 of the 64 sign patterns reach |sum| 1.75
        // a fixed seed gives the same p every time
        assertEquals(r.pSignFlip(), PairedTest.of(d, new double[6], 20_000, PairedTest.DEFAULT_SEED).pSignFlip());
    }

    @Test
    void identicalMethodsAreNotDifferent() {
        double[] a = {0.1, 0.4, 0.0, 0.9};
        PairedTest.Result r = PairedTest.of(a, a.clone(), 1000, 1);
        assertEquals(0.0, r.meanDifference());
        assertTrue(Double.isNaN(r.t()));
        assertEquals(1.0, r.pT());
        assertEquals(1.0, r.pSignFlip());
    }

    @Test
    void aConstantNonZeroDifferenceHasPZero() {
        PairedTest.Result r = PairedTest.of(new double[] {2, 3, 4}, new double[] {1, 2, 3}, 1000, 1);
        assertEquals(Double.POSITIVE_INFINITY, r.t());
        assertEquals(0.0, r.pT());
    }

    @Test
    void badInputIsNamed() {
        assertEquals("paired samples differ in size: 2 and 3", assertThrows(IllegalArgumentException.class,
                () -> PairedTest.of(new double[2], new double[3], 10, 1)).getMessage());
        assertEquals("resamples must be positive, got 0", assertThrows(IllegalArgumentException.class,
                () -> PairedTest.of(new double[2], new double[2], 0, 1)).getMessage());
    }
}
