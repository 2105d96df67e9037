package dev.segue.serving.index;

import dev.segue.math.FloatScoreHeap;
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
    /** The words of {@link #visited} this search set (each once): cleared one by one when they are few. */
    private final int[] dirty;
    private int dirtyCount;
    final ScoreHeap candidates = ScoreHeap.bestFirst(256);
    /** {@link GraphSearch#searchRaw}'s candidate queue and results: the float-keyed heap (one long per entry). */
    final FloatScoreHeap walk = FloatScoreHeap.bestFirst(256);
    private FloatScoreHeap walkResults = FloatScoreHeap.topK(0);
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
        dirty = new int[visited.length];
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

    /**
     * Empties the visited set. A k=10 search on 400k nodes touches a few hundred of its 6,250 words, so clearing
     * only the words set (C++ hnswlib avoids the reset with per-search tags) saves most of a 50 KB fill per query;
     * a wide search that set many words gets the plain fill.
     */
    long[] clearVisited(int nodes) {
        int words = (nodes + 63) / 64;
        if (dirtyCount < words / 8) {
            for (int i = 0; i < dirtyCount; i++) {
                visited[dirty[i]] = 0L;
            }
        } else {
            Arrays.fill(visited, 0L);
        }
        dirtyCount = 0;
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

    /** This thread's float-keyed result heap for a beam of {@code ef}, emptied. */
    FloatScoreHeap walkResults(int ef) {
        if (walkResults.capacity() != ef) {
            walkResults = FloatScoreHeap.topK(ef);
        }
        walkResults.clear();
        return walkResults;
    }

    /** Marks node {@code id} visited; false if it already was. */
    boolean visit(int id) {
        int w = id >>> 6;
        long word = visited[w];
        long bit = 1L << id;
        if ((word & bit) != 0) {
            return false;
        }
        if (word == 0) {
            dirty[dirtyCount++] = w;
        }
        visited[w] = word | bit;
        return true;
    }
}
