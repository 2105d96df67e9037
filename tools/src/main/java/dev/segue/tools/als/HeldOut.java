package dev.segue.tools.als;

import dev.segue.math.ScoreHeap;
import dev.segue.math.VectorUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The held-out quality of a factor model, the same code for every ALS implementation: a seeded sample of
 * playlists (at least {@link #MIN_TRACKS} distinct tracks) each hides a share of its tracks from training;
 * after the fit each test playlist ranks every track it does not show by {@code x_p · y_t} with the model's own
 * playlist vector (fitted on the visible tracks), and recall@k and NDCG@k (binary gains) of its hidden tracks
 * are averaged. A popularity ranking (training counts) is scored the same way as the floor.
 */
final class HeldOut {
    static final int MIN_TRACKS = 5;

    /** Test playlists (rows) with their hidden tracks, and the training matrix without them. */
    record Split(PlaylistMatrix train, int[] testRows, int[][] hidden) {}

    /** Mean recall@k and NDCG@k over the test playlists. */
    record Quality(double recall, double ndcg) {}

    private HeldOut() {}

    static Split split(PlaylistMatrix m, int playlists, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("--holdout-fraction must be between 0 and 1, got " + fraction);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] eligible = new int[m.rows()];
        int n = 0;
        for (int r = 0; r < m.rows(); r++) {
            if (m.rowStart()[r + 1] - m.rowStart()[r] >= MIN_TRACKS) {
                eligible[n++] = r;
            }
        }
        // Partial Fisher-Yates: the first `take` eligible rows in random order, then sorted for a stable layout.
        int take = Math.min(playlists, n);
        for (int i = 0; i < take; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = eligible[i];
            eligible[i] = eligible[j];
            eligible[j] = t;
        }
        int[] test = Arrays.copyOf(eligible, take);
        Arrays.sort(test);
        boolean[] hide = new boolean[m.cols().length];
        int[][] hidden = new int[take][];
        for (int i = 0; i < take; i++) {
            int from = m.rowStart()[test[i]];
            int len = m.rowStart()[test[i] + 1] - from;
            int h = Math.max(1, (int) Math.round(len * fraction));
            int[] order = new int[len];
            for (int k = 0; k < len; k++) {
                order[k] = k;
            }
            for (int k = 0; k < h; k++) {
                int j = k + rnd.nextInt(len - k);
                int t = order[k];
                order[k] = order[j];
                order[j] = t;
            }
            hidden[i] = new int[h];
            for (int k = 0; k < h; k++) {
                hide[from + order[k]] = true;
                hidden[i][k] = m.cols()[from + order[k]];
            }
            Arrays.sort(hidden[i]);
        }
        int[] rowStart = new int[m.rows() + 1];
        int kept = m.cols().length - Arrays.stream(hidden).mapToInt(a -> a.length).sum();
        int[] cols = new int[kept];
        float[] counts = new float[kept];
        int nnz = 0;
        for (int r = 0; r < m.rows(); r++) {
            for (int k = m.rowStart()[r]; k < m.rowStart()[r + 1]; k++) {
                if (!hide[k]) {
                    cols[nnz] = m.cols()[k];
                    counts[nnz] = m.counts()[k];
                    nnz++;
                }
            }
            rowStart[r + 1] = nnz;
        }
        return new Split(new PlaylistMatrix(m.rows(), m.columns(), rowStart, cols, counts), test, hidden);
    }

    /** Scores row-major factors ({@code users} rows of the training matrix, {@code items} its columns). */
    static Quality score(Split s, float[] users, float[] items, int d, int k, int threads) {
        int columns = s.train().columns();
        return evaluate(s, k, threads, (row, scores) -> {
            for (int t = 0; t < columns; t++) {
                scores[t] = VectorUtil.dot(users, row * d, items, t * d, d);
            }
        });
    }

    /** The popularity floor: every test playlist gets the tracks ranked by their training counts. */
    static Quality popularity(Split s, int k, int threads) {
        float[] pop = new float[s.train().columns()];
        float[] counts = s.train().counts();
        int[] cols = s.train().cols();
        for (int e = 0; e < cols.length; e++) {
            pop[cols[e]] += counts[e];
        }
        return evaluate(s, k, threads, (row, scores) -> System.arraycopy(pop, 0, scores, 0, pop.length));
    }

    private interface Scorer {
        void fill(int row, float[] scores);
    }

    private static Quality evaluate(Split s, int k, int threads, Scorer scorer) {
        int n = s.testRows().length;
        if (n == 0) {
            return new Quality(Double.NaN, Double.NaN);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<double[]>> parts = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int worker = w;
                parts.add(pool.submit(() -> {
                    float[] scores = new float[s.train().columns()];
                    ScoreHeap heap = ScoreHeap.topK(k);
                    double recall = 0;
                    double ndcg = 0;
                    for (int i = worker; i < n; i += threads) {
                        int row = s.testRows()[i];
                        scorer.fill(row, scores);
                        for (int e = s.train().rowStart()[row]; e < s.train().rowStart()[row + 1]; e++) {
                            scores[s.train().cols()[e]] = Float.NEGATIVE_INFINITY; // never recommend a visible track
                        }
                        heap.clear();
                        for (int t = 0; t < scores.length; t++) {
                            if (scores[t] != Float.NEGATIVE_INFINITY && heap.accepts(scores[t])) {
                                heap.offer(t, scores[t]);
                            }
                        }
                        int[] ranked = heap.drainBestFirst();
                        int[] hidden = s.hidden()[i];
                        int hits = 0;
                        double dcg = 0;
                        for (int r = 0; r < ranked.length; r++) {
                            if (Arrays.binarySearch(hidden, ranked[r]) >= 0) {
                                hits++;
                                dcg += 1 / log2(r + 2);
                            }
                        }
                        double ideal = 0;
                        for (int r = 0; r < Math.min(k, hidden.length); r++) {
                            ideal += 1 / log2(r + 2);
                        }
                        recall += (double) hits / hidden.length;
                        ndcg += dcg / ideal;
                    }
                    return new double[] {recall, ndcg};
                }));
            }
            double recall = 0;
            double ndcg = 0;
            for (Future<double[]> f : parts) {
                double[] v = f.get();
                recall += v[0];
                ndcg += v[1];
            }
            return new Quality(recall / n, ndcg / n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("scoring failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
