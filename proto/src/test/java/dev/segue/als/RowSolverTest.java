package dev.segue.als;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowSolverTest {
    private static float[] randomFactors(Random rnd, int n, int d, double scale) {
        float[] y = new float[n * d];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (rnd.nextGaussian() * scale);
        }
        return y;
    }

    @Test
    void gramMatchesNaiveProduct() {
        Random rnd = new Random(1);
        int n = 37, d = 5;
        float[] y = randomFactors(rnd, n, d, 1.0);
        double[] g = Gram.compute(y, n, d);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += (double) y[i * d + a] * y[i * d + b];
                }
                assertEquals(s, g[a * d + b], 1e-9);
            }
        }
        double[] partial = new double[d * d];
        Gram.accumulate(y, 0, 20, d, partial);
        double[] rest = new double[d * d];
        Gram.accumulate(y, 20, n, d, rest);
        Gram.add(partial, rest);
        assertArrayEquals(g, partial, 1e-9);
    }

    @Test
    void conjugateGradientMatchesCholesky() {
        Random rnd = new Random(7);
        int n = 60, d = 8;
        float[] y = randomFactors(rnd, n, d, 0.3);
        double[] g = Gram.compute(y, n, d);
        WrmfParams params = new WrmfParams(20, 0.1, 3, false, 1);
        int[] cols = {3, 9, 14, 22, 41, 59};
        float[] conf = new float[cols.length];
        for (int k = 0; k < cols.length; k++) {
            conf[k] = (float) params.confidence(1 + k % 3);
        }
        RowSolver solver = new RowSolver(d);
        double[] exact = solver.exact(g, params.regularization(), y, cols, conf, 0, cols.length);
        float[] x = randomFactors(rnd, 1, d, 0.1); // a warm start somewhere else
        solver.conjugateGradient(g, params.regularization(), y, cols, conf, 0, cols.length, x, 0, 3 * d);
        for (int a = 0; a < d; a++) {
            assertEquals(exact[a], x[a], 1e-4, "component " + a);
        }
    }

    @Test
    void fewWarmStartedStepsNeverIncreaseTheRowLoss() {
        Random rnd = new Random(3);
        int n = 80, d = 16;
        float[] y = randomFactors(rnd, n, d, 0.2);
        double[] g = Gram.compute(y, n, d);
        int[] cols = {1, 5, 8, 13, 40, 77};
        float[] conf = {41, 41, 81, 41, 41, 41};
        RowSolver solver = new RowSolver(d);
        float[] x = new float[d];
        double previous = solver.loss(g, 0.1, y, cols, conf, 0, cols.length, x, 0);
        for (int round = 0; round < 6; round++) {
            solver.conjugateGradient(g, 0.1, y, cols, conf, 0, cols.length, x, 0, 2);
            double loss = solver.loss(g, 0.1, y, cols, conf, 0, cols.length, x, 0);
            assertTrue(loss <= previous, "round " + round + ": " + loss + " > " + previous);
            previous = loss;
        }
        double[] exact = solver.exact(g, 0.1, y, cols, conf, 0, cols.length);
        float[] xe = new float[d];
        for (int a = 0; a < d; a++) {
            xe[a] = (float) exact[a];
        }
        assertTrue(solver.loss(g, 0.1, y, cols, conf, 0, cols.length, xe, 0) <= previous + 1e-6);
    }

    @Test
    void rowLossAddsUpToTheBruteForceObjective() {
        Random rnd = new Random(11);
        int users = 6, items = 9, d = 3;
        float[] x = randomFactors(rnd, users, d, 0.5);
        float[] y = randomFactors(rnd, items, d, 0.5);
        double lambda = 0.3;
        // CSR rows of observed entries with confidences.
        int[] rowStart = {0, 2, 3, 6, 6, 8, 9};
        int[] cols = {0, 4, 2, 1, 5, 8, 3, 7, 6};
        float[] conf = {2, 5, 3, 9, 2, 4, 6, 3, 7};
        double expected = 0;
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                double c = 1, p = 0;
                for (int k = rowStart[u]; k < rowStart[u + 1]; k++) {
                    if (cols[k] == i) {
                        c = conf[k];
                        p = 1;
                    }
                }
                double s = 0;
                for (int a = 0; a < d; a++) {
                    s += x[u * d + a] * y[i * d + a];
                }
                expected += c * (p - s) * (p - s);
            }
        }
        for (float v : x) {
            expected += lambda * v * v;
        }
        for (float v : y) {
            expected += lambda * v * v;
        }
        double[] g = Gram.compute(y, items, d);
        RowSolver solver = new RowSolver(d);
        double total = lambda * Gram.trace(g, d);
        for (int u = 0; u < users; u++) {
            total += solver.loss(g, lambda, y, cols, conf, rowStart[u], rowStart[u + 1], x, u * d);
        }
        assertEquals(expected, total, 1e-6 * Math.abs(expected));

        // The same objective from observed parts plus tr(G_Y·G_X) + λ(tr G_X + tr G_Y).
        double[] gx = Gram.compute(x, users, d);
        double viaTraces = Gram.traceOfProduct(g, gx, d) + lambda * (Gram.trace(gx, d) + Gram.trace(g, d));
        for (int u = 0; u < users; u++) {
            viaTraces += solver.observedLoss(y, cols, conf, rowStart[u], rowStart[u + 1], x, u * d);
        }
        assertEquals(expected, viaTraces, 1e-6 * Math.abs(expected));

        // CG that reports its new row's observed loss gives the same factors and that row's observedLoss.
        float[] viaCg = x.clone();
        float[] plain = x.clone();
        float[] gf = RowSolver.toFloat(g);
        for (int u = 0; u < users; u++) {
            double reported = solver.conjugateGradientWithObservedLoss(gf, lambda, y, cols, conf, rowStart[u],
                    rowStart[u + 1], viaCg, u * d, 2);
            solver.conjugateGradient(gf, lambda, y, cols, conf, rowStart[u], rowStart[u + 1], plain, u * d, 2);
            assertEquals(solver.observedLoss(y, cols, conf, rowStart[u], rowStart[u + 1], viaCg, u * d), reported,
                    1e-5 * Math.max(1, Math.abs(reported)));
        }
        assertArrayEquals(plain, viaCg);
    }

    @Test
    void choleskyRejectsIndefiniteMatrices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cholesky.solve(new double[] {1, 2, 2, 1}, new double[] {1, 1}, 2));
        assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
    }

    @Test
    void confidenceAndParameterRoundTrip() {
        WrmfParams plain = new WrmfParams(40, 0.05, 3, false, 1);
        assertEquals(1 + 40 * 3, plain.confidence(3), 1e-12);
        WrmfParams log = new WrmfParams(2, 0.05, 4, true, 0.5);
        assertEquals(1 + 2 * Math.log(1 + 3 / 0.5), log.confidence(3), 1e-12);
        assertEquals(log, WrmfParams.fromParameters(log.toParameters()));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> WrmfParams.fromParameters(Map.of("alpha", "1")));
        assertTrue(missing.getMessage().contains("regularization"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WrmfParams(-1, 0.1, 3, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new WrmfParams(1, 0.1, 0, false, 1));
    }
}
