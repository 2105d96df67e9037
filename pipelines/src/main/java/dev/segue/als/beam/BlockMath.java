package dev.segue.als.beam;

import dev.segue.als.Gram;
import dev.segue.als.RowSolver;
import dev.segue.als.WrmfParams;
import java.util.SplittableRandom;

/** The per-block arithmetic shared by the broadcast and shuffle paths (so both give identical factors). */
final class BlockMath {
    private BlockMath() {}

    /**
     * New factors for every row of {@code b}: {@code cgSteps} CG steps warm-started from the block's current
     * factors, against opposite factors {@code y} indexed by {@code cols} (the block's own columns, or their
     * positions in a gathered local matrix).
     */
    static float[] solve(RowBlock b, float[] y, int[] cols, double[] gram, WrmfParams p, RowSolver solver) {
        return solve(b, y, cols, gram, p, solver, null);
    }

    /**
     * As above; when {@code observedLoss} is given, its first element receives the Σ over the block's new rows
     * of the observed-entry loss terms (see {@link RowSolver#observedLoss}).
     */
    static float[] solve(RowBlock b, float[] y, int[] cols, double[] gram, WrmfParams p, RowSolver solver,
            double[] observedLoss) {
        int d = b.dim();
        float[] x = b.factors().clone();
        int[] rowStart = b.rowStart();
        float[] conf = b.conf();
        float[] g = RowSolver.toFloat(gram);
        double loss = 0;
        for (int r = 0; r < b.rows(); r++) {
            if (observedLoss == null) {
                solver.conjugateGradient(g, p.regularization(), y, cols, conf, rowStart[r], rowStart[r + 1], x, r * d,
                        p.cgSteps());
            } else {
                loss += solver.conjugateGradientWithObservedLoss(g, p.regularization(), y, cols, conf, rowStart[r],
                        rowStart[r + 1], x, r * d, p.cgSteps());
            }
        }
        if (observedLoss != null) {
            observedLoss[0] = loss;
        }
        return x;
    }

    /** The block's partial Gram matrix. */
    static double[] gram(RowBlock b) {
        double[] g = new double[b.dim() * b.dim()];
        Gram.accumulate(b.factors(), 0, b.rows(), b.dim(), g);
        return g;
    }

    /** Initial factors: each row's values depend only on (seed, side, global row), not on blocking or runner. */
    static float[] init(int rowOffset, int rows, int d, long seed, int side, double scale) {
        float[] x = new float[rows * d];
        for (int r = 0; r < rows; r++) {
            long row = rowOffset + r;
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + side * 0xBF58476D1CE4E5B9L + row);
            for (int a = 0; a < d; a++) {
                x[r * d + a] = (float) (rnd.nextGaussian() * scale);
            }
        }
        return x;
    }
}
