package dev.segue.als.beam;

import dev.segue.als.Gram;
import dev.segue.als.RowSolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * {@link ImplicitAls}'s arithmetic without Beam: the same initial factors ({@link BlockMath#init}), the same
 * per-block CG solves ({@link BlockMath#solve}), partial Grams per block summed exactly ({@link FixedPointSum})
 * and the same objective, over whole in-memory matrices with a pool of threads. It is what {@code segue bench
 * als} times as "Segue's solver" against other ALS implementations, free of any runner's scheduling costs;
 * the pipeline's own time per iteration adds those.
 *
 * <p>With the same row blocks as the pipeline the factors and the loss history are the same; other block sizes
 * change only the rounding of the partial Grams (each block's Gram is summed in double before the exact sum).
 */
public final class InMemoryAls {
    private InMemoryAls() {}

    /**
     * The fitted factors and timings.
     *
     * @param userFactors row-major {@code float[users*d]}
     * @param itemFactors row-major {@code float[items*d]}
     * @param lossHistory the objective after each iteration
     * @param iterationSeconds wall time of each iteration (both halves and the loss)
     */
    public record Result(float[] userFactors, float[] itemFactors, double[] lossHistory, double[] iterationSeconds) {}

    /**
     * Fits implicit ALS on a playlist × track matrix in CSR form (each row's columns ascending and distinct,
     * {@code conf} the confidences {@code c = 1 + α·r}).
     *
     * @param blockRows rows per block on both sides (the unit of work of one thread)
     * @param progress  called with the iteration number after each iteration (may be null)
     */
    public static Result fit(int users, int items, int[] rowStart, int[] cols, float[] conf, AlsConfig config,
            int threads, int blockRows, IntConsumer progress) {
        if (rowStart.length != users + 1 || rowStart[users] != cols.length || cols.length != conf.length) {
            throw new IllegalArgumentException("inconsistent CSR arrays: " + users + " rows, " + rowStart.length
                    + " row starts, " + cols.length + " columns, " + conf.length + " confidences");
        }
        if (threads < 1 || blockRows < 1) {
            throw new IllegalArgumentException("threads and block rows must be positive, got " + threads + " and " + blockRows);
        }
        int d = config.factors();
        if ((long) Math.max(users, items) * d > AlsConfig.MAX_PACKED_FLOATS) {
            throw new IllegalArgumentException(Math.max(users, items) + " rows of " + d + " factors do not fit one array");
        }
        List<RowBlock> userBlocks = blocks(users, rowStart, cols, conf, blockRows, d, config, 0);
        int[][] transposed = transpose(users, items, rowStart, cols);
        int[] itemStart = transposed[0];
        int[] itemCols = transposed[1];
        float[] itemConf = new float[cols.length];
        int[] fromEntry = transposed[2];
        for (int k = 0; k < itemConf.length; k++) {
            itemConf[k] = conf[fromEntry[k]];
        }
        List<RowBlock> itemBlocks = blocks(items, itemStart, itemCols, itemConf, blockRows, d, config, 1);
        float[] x = pack(userBlocks, users, d);
        float[] y = pack(itemBlocks, items, d);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "als-solve");
            t.setDaemon(true);
            return t;
        });
        try {
            double[] itemGram = sumGrams(pool, itemBlocks);
            double[] history = new double[config.iterations()];
            double[] seconds = new double[config.iterations()];
            for (int it = 0; it < config.iterations(); it++) {
                long t0 = System.nanoTime();
                Half users1 = solveHalf(pool, userBlocks, y, itemGram, config, false);
                userBlocks = users1.blocks;
                pack(userBlocks, x, d);
                Half items1 = solveHalf(pool, itemBlocks, x, users1.gram, config, true);
                itemBlocks = items1.blocks;
                pack(itemBlocks, y, d);
                itemGram = items1.gram;
                history[it] = items1.loss + config.wrmf().regularization() * Gram.trace(users1.gram, d);
                seconds[it] = (System.nanoTime() - t0) / 1e9;
                if (progress != null) {
                    progress.accept(it + 1);
                }
            }
            return new Result(x, y, history, seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while solving", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private record Half(List<RowBlock> blocks, double[] gram, double loss) {}

    private record Solved(RowBlock block, double[] gram, double loss) {}

    /** One half-iteration: {@link SolveHalf.SolveFn#solveAndEmit}'s arithmetic, one task per block. */
    private static Half solveHalf(ExecutorService pool, List<RowBlock> targets, float[] opposite, double[] gram,
            AlsConfig config, boolean computeLoss) throws InterruptedException, ExecutionException {
        int d = config.factors();
        List<Future<Solved>> futures = new ArrayList<>(targets.size());
        ThreadLocal<RowSolver> solvers = ThreadLocal.withInitial(() -> new RowSolver(d));
        for (RowBlock b : targets) {
            futures.add(pool.submit(() -> {
                double[] observed = computeLoss ? new double[1] : null;
                float[] f = BlockMath.solve(b, opposite, b.cols(), gram, config.wrmf(), solvers.get(), observed);
                RowBlock next = b.withFactors(d, f);
                double[] blockGram = BlockMath.gram(next);
                double loss = 0;
                if (computeLoss) {
                    loss = observed[0] + Gram.traceOfProduct(gram, blockGram, d)
                            + config.wrmf().regularization() * Gram.trace(blockGram, d);
                }
                return new Solved(next, blockGram, loss);
            }));
        }
        FixedPointSum sum = new FixedPointSum();
        long[] gramAcc = sum.createAccumulator();
        long[] lossAcc = sum.createAccumulator();
        List<RowBlock> out = new ArrayList<>(targets.size());
        for (Future<Solved> f : futures) {
            Solved s = f.get();
            out.add(s.block);
            gramAcc = sum.addInput(gramAcc, s.gram);
            if (computeLoss) {
                lossAcc = sum.addInput(lossAcc, new double[] {s.loss});
            }
        }
        double[] g = sum.extractOutput(gramAcc);
        double[] l = sum.extractOutput(lossAcc);
        return new Half(out, g.length == 0 ? new double[d * d] : g, l.length == 0 ? 0 : l[0]);
    }

    private static double[] sumGrams(ExecutorService pool, List<RowBlock> blocks)
            throws InterruptedException, ExecutionException {
        List<Future<double[]>> parts = new ArrayList<>();
        for (RowBlock b : blocks) {
            parts.add(pool.submit(() -> BlockMath.gram(b)));
        }
        FixedPointSum sum = new FixedPointSum();
        long[] acc = sum.createAccumulator();
        for (Future<double[]> p : parts) {
            acc = sum.addInput(acc, p.get());
        }
        double[] g = sum.extractOutput(acc);
        int d = blocks.isEmpty() ? 0 : blocks.get(0).dim();
        return g.length == 0 ? new double[d * d] : g;
    }

    /** Consecutive blocks of {@code blockRows} rows with their initial factors. */
    private static List<RowBlock> blocks(int rows, int[] rowStart, int[] cols, float[] conf, int blockRows, int d,
            AlsConfig config, int side) {
        List<RowBlock> out = new ArrayList<>();
        for (int from = 0, id = 0; from < rows; from += blockRows, id++) {
            int to = Math.min(rows, from + blockRows);
            int base = rowStart[from];
            int[] start = new int[to - from + 1];
            for (int r = from; r <= to; r++) {
                start[r - from] = rowStart[r] - base;
            }
            out.add(new RowBlock(id, from, start, Arrays.copyOfRange(cols, base, rowStart[to]),
                    Arrays.copyOfRange(conf, base, rowStart[to]), null, d,
                    BlockMath.init(from, to - from, d, config.seed(), side, config.initScale())));
        }
        return out;
    }

    private static float[] pack(List<RowBlock> blocks, int rows, int d) {
        float[] out = new float[rows * d];
        pack(blocks, out, d);
        return out;
    }

    private static void pack(List<RowBlock> blocks, float[] out, int d) {
        for (RowBlock b : blocks) {
            System.arraycopy(b.factors(), 0, out, b.rowOffset() * d, b.rows() * d);
        }
    }

    /**
     * The column-major view of a CSR matrix: {start, rows (ascending within each column), the entry of the
     * CSR arrays each comes from}.
     */
    static int[][] transpose(int rows, int columns, int[] rowStart, int[] cols) {
        int[] start = new int[columns + 1];
        for (int c : cols) {
            if (c < 0 || c >= columns) {
                throw new IllegalArgumentException("column " + c + " is outside 0.." + (columns - 1));
            }
            start[c + 1]++;
        }
        for (int c = 0; c < columns; c++) {
            start[c + 1] += start[c];
        }
        int[] fill = Arrays.copyOf(start, columns);
        int[] outRows = new int[cols.length];
        int[] from = new int[cols.length];
        for (int r = 0; r < rows; r++) {
            for (int k = rowStart[r]; k < rowStart[r + 1]; k++) {
                int at = fill[cols[k]]++;
                outRows[at] = r;
                from[at] = k;
            }
        }
        return new int[][] {start, outRows, from};
    }
}
