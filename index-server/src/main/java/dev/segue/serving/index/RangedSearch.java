package dev.segue.serving.index;

import dev.segue.math.ScoreHeap;

/**
 * One best-first beam search over several {@link FrozenGraph}s at once: the norm ranges of a {@link MipsIndex}.
 */
final class RangedSearch {
    /**
     * Each range walked in {@link #searchAll} also keeps a beam of its own: {@code min(ef, max(50, 0.3·ef))}.
     * Without it a range's walk could only pass through nodes that beat the shared results, so it would stall
     * in the first valley after its entry point (measured: recall@500 0.70 instead of 0.986 on synthetic
     * factors); 0.3 of the shared beam was the knee of recall against distance computations (see the README).
     */
    static final int LOCAL_MIN = 50;
    static final double LOCAL_FRACTION = 0.3;
    /**
     * Width of the beam search on level 1 that picks a range's level-0 entry points (see {@link #enter}):
     * 16 took the medium store's recall@10 at ef 50 from 0.9895 to 0.9985 for about 200 more dot products per
     * query (4 left it at 0.99, 32 added cost without recall).
     */
    static final int UPPER_BEAM = 16;

    private RangedSearch() {}

    /** The beam each searched range keeps of its own in {@link #searchAll} for a shared beam {@code ef}. */
    static int localBeam(int ef) {
        return Math.min(ef, Math.max(LOCAL_MIN, (int) Math.ceil(LOCAL_FRACTION * ef)));
    }

    /**
     * One best-first beam search over several graphs at once (the norm ranges of a MIPS index), ranked by
     * the exact inner product {@code x·q} of the raw query {@code q} — within one graph the same order as
     * the reduced similarity the graph was built with ({@code x·q / (M_j‖q‖)}), and comparable across graphs.
     * Every graph enters as a placeholder scored with its upper bound {@code bound[j] = M_j·‖q‖}
     * (Cauchy–Schwarz); only when that placeholder comes first is the graph
     * descended (or, with at most {@code ef} rows, scanned). The search stops, as HNSW's does, when the
     * best open candidate cannot enter the {@code ef} results — so a graph whose bound is below the
     * {@code ef}-th estimate is never touched, and the beam is shared: a range contributing few results
     * costs few expansions instead of a full beam of its own.
     *
     * <p>Global node ids are {@code base[j] + local id} for {@code total} nodes; {@code base} ascends.
     *
     * @return results written to {@code outIds}/{@code outScores} (best first by exact score, length ≥ ef)
     */
    static int searchAll(FrozenGraph[] graphs, int[] base, int total, float[] bound, float[] q, int ef,
                         int[] outIds, float[] outScores) {
        if (total == 0 || ef <= 0) {
            return 0;
        }
        SearchScratch s = SearchScratch.get(total);
        long[] visited = s.clearVisited(total);
        ScoreHeap candidates = s.candidates;
        candidates.clear();
        ScoreHeap results = ScoreHeap.topK(ef);
        int ranges = graphs.length;
        int local = localBeam(ef);
        ScoreHeap[] locals = new ScoreHeap[ranges]; // per range: its best `local` scores
        for (int j = 0; j < ranges; j++) {
            locals[j] = ScoreHeap.topK(local);
            candidates.offer(-(j + 1), bound[j] * 1.000001f);
        }
        while (candidates.size() > 0) {
            double global = results.threshold();
            double top = candidates.topScore();
            int c = candidates.pop();
            if (c < 0) {
                int j = -c - 1;
                if (top < global) {
                    continue; // nothing in this range can enter the results
                }
                FrozenGraph g = graphs[j];
                int b = base[j];
                if (g.rows <= ef) {
                    for (int r = 0; r < g.rows; r++) {
                        float score = g.dot(q, r);
                        s.visit(b + r);
                        if (results.accepts(score)) {
                            results.offer(b + r, score);
                        }
                    }
                } else {
                    enter(g, b, q, visited, s, candidates, results, locals[j]);
                }
                continue;
            }
            int j = rangeOf(base, c);
            ScoreHeap localTop = locals[j];
            if (top < global && top < localTop.threshold()) {
                continue;
            }
            if (bound[j] * 1.000001f < global) {
                continue; // the range's bound is below the results: walking it further cannot help
            }
            if (candidates.size() > 0) {
                int next = candidates.topId(); // most likely expanded next: start loading its links now
                if (next >= 0) {
                    int jn = rangeOf(base, next);
                    graphs[jn].prefetchLinks(next - base[jn], s);
                }
            }
            FrozenGraph g = graphs[j];
            int b = base[j];
            int[] links = g.links0;
            int off = (c - b) * g.maxM0;
            int n = g.count0[c - b];
            // Unvisited neighbours first, then their vectors: independent loads the CPU can overlap.
            int[] fresh = s.fresh;
            int m = 0;
            for (int k = 0; k < n; k++) {
                int nb = links[off + k];
                if (s.visit(b + nb)) {
                    fresh[m++] = nb;
                }
            }
            g.prefetchRows(fresh, m, s);
            float[] freshScores = s.freshScores;
            g.dots(q, fresh, m, freshScores);
            for (int k = 0; k < m; k++) {
                int nb = fresh[k];
                int id = b + nb;
                float score = freshScores[k];
                boolean enters = results.accepts(score);
                boolean localEnters = localTop.accepts(score);
                if (enters || localEnters) {
                    candidates.offer(id, score);
                    if (enters) {
                        results.offer(id, score);
                    }
                    localTop.offer(id, score);
                }
            }
        }
        return results.drainBestFirst(outIds, outScores);
    }

    /**
     * Enters one range's graph: HNSW's greedy descent down to level 2, then a beam search of width
     * {@link #UPPER_BEAM} on level 1, and every node it scores is offered to the level-0 walk like any
     * scored neighbour. A greedy walk on level 1 stops in the first local maximum of {@code x·q}; on the
     * medium store's range graphs that left whole clusters of true neighbours behind a valley that the
     * per-range beam ({@link #localBeam}) could not cross at any ef up to 200 (recall@10 stuck at 0.9895
     * from ef 50 to 100), while the best level-1 node, found by the wider level-1 beam, sits next to them.
     */
    private static void enter(FrozenGraph g, int b, float[] q, long[] visited, SearchScratch s, ScoreHeap candidates,
                              ScoreHeap results, ScoreHeap localTop) {
        int current = GraphSearch.descendTo(g, q, 2);
        float best = g.dot(q, current);
        s.visit(b + current);
        candidates.offer(b + current, best);
        results.offer(b + current, best);
        localTop.offer(b + current, best);
        if (g.levels(current) < 1) {
            return; // a graph without level 1: the greedy descent's node is the entry
        }
        ScoreHeap upper = s.upperCandidates;
        upper.clear();
        ScoreHeap upperTop = s.upperTop;
        upperTop.clear();
        upper.offer(current, best);
        upperTop.offer(current, best);
        while (upper.size() > 0) {
            if (upperTop.isFull() && upper.topScore() < upperTop.topScore()) {
                break;
            }
            int c = upper.pop();
            int[] u = g.upper[c]; // level 1 is the first block: [count, links...]
            int n = u[0];
            for (int k = 1; k <= n; k++) {
                int nb = u[k];
                if (!s.visit(b + nb)) {
                    continue;
                }
                float score = g.dot(q, nb);
                if (upperTop.accepts(score)) {
                    upper.offer(nb, score);
                    upperTop.offer(nb, score);
                }
                if (results.accepts(score) || localTop.accepts(score)) {
                    candidates.offer(b + nb, score);
                    results.offer(b + nb, score);
                    localTop.offer(b + nb, score);
                }
            }
        }
    }

    /**
     * The range of global node {@code id}: the last range starting at or before it. A few compares on a
     * small cached array, where a per-node lookup table took a cache miss per expanded node.
     */
    private static int rangeOf(int[] base, int id) {
        int j = base.length - 1;
        while (base[j] > id) {
            j--;
        }
        return j;
    }
}
