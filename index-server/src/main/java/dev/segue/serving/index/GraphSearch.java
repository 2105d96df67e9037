package dev.segue.serving.index;

import dev.segue.math.FloatScoreHeap;
import dev.segue.math.ScoreHeap;

/** Searches of one {@link FrozenGraph}: HNSW's greedy descent and beam search. */
final class GraphSearch {
    private GraphSearch() {}

    /**
     * The {@code ef} rows a beam search over the reduced vectors ends with, best first, into {@code out}
     * (length ≥ ef): HNSW's own search, as hnswlib-java runs it, for a reduced query (length dim + 1).
     *
     * @return how many were written
     */
    static int search(FrozenGraph g, float[] q, int ef, int[] out) {
        if (g.rows == 0) {
            return 0;
        }
        int current = g.entry;
        float best = g.similarity(q, current);
        for (int level = g.topLevel; level >= 1; level--) {
            boolean changed = true;
            while (changed) {
                changed = false;
                int[] u = g.upper[current];
                int base = (level - 1) * (g.maxM + 1);
                int n = u[base];
                for (int j = 1; j <= n; j++) {
                    int nb = u[base + j];
                    float s = g.similarity(q, nb);
                    if (s > best) {
                        best = s;
                        current = nb;
                        changed = true;
                    }
                }
            }
        }
        SearchScratch s = SearchScratch.get(g.rows);
        long[] visited = s.clearVisited(g.rows);
        ScoreHeap candidates = s.candidates;
        candidates.clear();
        ScoreHeap results = ScoreHeap.topK(ef);
        s.visit(current);
        candidates.offer(current, best);
        results.offer(current, best);
        while (candidates.size() > 0) {
            if (results.size() >= ef && candidates.topScore() < results.topScore()) {
                break;
            }
            int c = candidates.pop();
            int off = c * g.maxM0;
            int n = g.count0[c];
            for (int j = 0; j < n; j++) {
                int nb = g.links0[off + j];
                if (!s.visit(nb)) {
                    continue;
                }
                float sim = g.similarity(q, nb);
                if (results.size() < ef || sim > results.topScore()) {
                    candidates.offer(nb, sim);
                    results.offer(nb, sim);
                }
            }
        }
        float[] scores = s.scores(ef);
        return results.drainBestFirst(out, scores);
    }

    /**
     * HNSW's search of one graph on the raw inner product {@code x·q} — within one graph the order of the
     * reduced similarity it was built with — as C++ hnswlib runs it: greedy descent through the upper levels,
     * then a beam of {@code ef} on level 0 that stops when the best open candidate cannot enter the results.
     * Every score is the exact {@code x·q} ({@link FrozenGraph#dot}); the candidates and results are
     * {@link FloatScoreHeap}s (one packed key per entry, computed once for both). Before scoring a node's unvisited
     * neighbours it touches one float of each of their cache lines, and while scoring them it starts loading
     * the next candidate's links ({@link FrozenGraph#prefetchRows}, {@link FrozenGraph#prefetchLinks}): the
     * walk waits on memory, and independent loads overlap.
     *
     * @return results written to {@code outIds}/{@code outScores} (best first, length ≥ ef)
     */
    static int searchRaw(FrozenGraph g, float[] q, int ef, int[] outIds, float[] outScores) {
        if (g.rows == 0 || ef <= 0) {
            return 0;
        }
        int current = descend(g, q);
        float best = g.dot(q, current);
        SearchScratch s = SearchScratch.get(g.rows);
        s.clearVisited(g.rows);
        FloatScoreHeap candidates = s.walk;
        candidates.clear();
        FloatScoreHeap results = s.walkResults(ef);
        s.visit(current);
        long entryKey = FloatScoreHeap.key(current, best);
        candidates.offerKey(entryKey);
        results.offerKey(entryKey);
        int[] links = g.links0;
        int[] fresh = s.fresh;
        float[] scores = s.freshScores;
        while (candidates.size() > 0) {
            if (candidates.topScore() < results.threshold()) {
                break; // the best open candidate cannot enter the results
            }
            int c = candidates.pop();
            int off = c * g.maxM0;
            int n = g.count0[c];
            int m = 0;
            for (int k = 0; k < n; k++) {
                int nb = links[off + k];
                if (s.visit(nb)) {
                    fresh[m++] = nb;
                }
            }
            g.prefetchRows(fresh, m, s);
            if (candidates.size() > 0) {
                g.prefetchLinks(candidates.topId(), s);
            }
            g.dots(q, fresh, m, scores);
            for (int k = 0; k < m; k++) {
                float score = scores[k];
                if (results.accepts(score)) {
                    long key = FloatScoreHeap.key(fresh[k], score);
                    candidates.offerKey(key);
                    results.offerKey(key);
                }
            }
        }
        return results.drainBestFirst(outIds, outScores);
    }

    /** Greedy descent through the upper levels by {@code x·q}: the level-0 entry for a beam search of {@code q}. */
    static int descend(FrozenGraph g, float[] q) {
        return descendTo(g, q, 1);
    }

    /** Greedy descent by {@code x·q} through levels {@code top .. lowest} (lowest ≥ 1): the node it ends on. */
    static int descendTo(FrozenGraph g, float[] q, int lowest) {
        int current = g.entry;
        float best = g.dot(q, current);
        SearchScratch s = SearchScratch.get(0);
        int[] nodes = s.fresh;
        float[] scores = s.freshScores;
        for (int level = g.topLevel; level >= lowest; level--) {
            boolean changed = true;
            while (changed) {
                changed = false;
                int[] u = g.upper[current];
                int base = (level - 1) * (g.maxM + 1);
                int n = u[base];
                System.arraycopy(u, base + 1, nodes, 0, n);
                g.dots(q, nodes, n, scores);
                for (int j = 0; j < n; j++) {
                    if (scores[j] > best) {
                        best = scores[j];
                        current = nodes[j];
                        changed = true;
                    }
                }
            }
        }
        return current;
    }
}
