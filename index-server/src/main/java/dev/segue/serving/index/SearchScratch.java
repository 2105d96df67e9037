package dev.segue.serving.index;

import dev.segue.math.ScoreHeap;
import java.util.Arrays;

/**
 * Per-thread search state, reused across searches: the visited set, the candidate queue and small buffers.
 * Visited is one bit per node, cleared per search: 50 KB for 400k nodes stays in the L2 cache beside the
 * vectors, where a byte per node (the earlier stamps) took its cache misses on every neighbour check.
 */
final class SearchScratch {
    private static final ThreadLocal<SearchScratch> SCRATCH = new ThreadLocal<>();

    final long[] visited;
    final ScoreHeap candidates = ScoreHeap.bestFirst(256);
    /** The level-1 beam search that picks a range's entry points ({@link RangedSearch#enter}). */
    final ScoreHeap upperCandidates = ScoreHeap.bestFirst(64);
    final ScoreHeap upperTop = ScoreHeap.topK(RangedSearch.UPPER_BEAM);
    final int[] fresh = new int[4096]; // unvisited neighbours of one node (maxM0 ≤ 4096)
    final float[] freshScores = new float[4096]; // their scores
    private float[] scores = new float[0];
    private ScoreHeap results = ScoreHeap.topK(0);
    float sink;
    int sinkInt;

    private SearchScratch(int nodes) {
        visited = new long[(nodes + 63) / 64];
    }

    /** This thread's scratch, with a visited set for at least {@code nodes} nodes. */
    static SearchScratch get(int nodes) {
        SearchScratch s = SCRATCH.get();
        if (s == null || s.visited.length < (nodes + 63) / 64) {
            s = new SearchScratch(nodes);
            SCRATCH.set(s);
        }
        return s;
    }

    long[] clearVisited(int nodes) {
        Arrays.fill(visited, 0, (nodes + 63) / 64, 0L);
        return visited;
    }

    float[] scores(int ef) {
        if (scores.length < ef) {
            scores = new float[ef];
        }
        return scores;
    }

    /** This thread's result heap for a beam of {@code ef}, emptied. */
    ScoreHeap results(int ef) {
        if (results.capacity() != ef) {
            results = ScoreHeap.topK(ef);
        }
        results.clear();
        return results;
    }

    /** Marks node {@code id} visited; false if it already was. */
    static boolean visit(long[] visited, int id) {
        long word = visited[id >>> 6];
        long bit = 1L << id;
        if ((word & bit) != 0) {
            return false;
        }
        visited[id >>> 6] = word | bit;
        return true;
    }
}
