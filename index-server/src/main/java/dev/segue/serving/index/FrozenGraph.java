package dev.segue.serving.index;

import dev.segue.math.VectorUtil;
import java.io.IOException;

/**
 * An immutable HNSW graph in primitive arrays, searched without locks, boxing or per-candidate objects: the
 * storage and the scoring of one row. Level 0 links sit in one {@code int[]} with a fixed stride of
 * {@code maxM0}; the few nodes above level 0 keep their upper links in a small per-node array.
 *
 * <p>The graph was built ({@link HnswConstruction}) on the MIPS-reduced unit vectors {@code [x/M, sqrt(1 − ‖x‖²/M²)]},
 * but it keeps the <em>raw</em> factor rows {@code x}, packed with a stride of the factor dimension: the
 * serving query's extra component is 0, so the reduced similarity is {@code x·q / (M‖q‖)} — the same order
 * as the raw {@code x·q} inside one graph. Walking on {@code x·q} makes every score the search computes the
 * exact inner product (bit for bit what {@link FactorMatrix#dot} returns: both are {@link VectorUtil#dot}),
 * so results need no re-scoring from the factor matrix, and a row is 64 floats (4 cache lines at
 * 64 dimensions) instead of 65. The reduced form is recomputed on the fly only by {@link #search}, the
 * single-graph search that mirrors hnswlib-java's own (a test compares the two on one graph).
 *
 * <p>The jobs around it live in their own classes: {@link HnswConstruction} builds the links,
 * {@link GraphSearch} is the single-graph search, {@link RangedSearch} the joint search over the norm
 * ranges, {@link SearchScratch} their per-thread state, {@link GraphFile} the file format.
 */
final class FrozenGraph {
    final int rows;
    final int dim;          // factor dimension (the graph was built on dim + 1)
    final float[] vectors;  // rows x dim, raw factor rows
    final float maxNorm;    // M of the reduction the graph was built with
    final int maxM;
    final int maxM0;
    final int[] links0;     // rows x maxM0
    final int[] count0;
    final int[][] upper;    // per row: null, or for levels 1..L: [count, maxM links] blocks
    final int entry;
    final int topLevel;

    FrozenGraph(int rows, int dim, float[] vectors, float maxNorm, int maxM, int maxM0, int[] links0,
                int[] count0, int[][] upper, int entry) {
        if (vectors.length != (long) rows * dim) {
            throw new IllegalStateException(vectors.length + " vector values for " + rows + " rows of " + dim);
        }
        this.rows = rows;
        this.dim = dim;
        this.vectors = vectors;
        this.maxNorm = maxNorm;
        this.maxM = maxM;
        this.maxM0 = maxM0;
        this.links0 = links0;
        this.count0 = count0;
        this.upper = upper;
        this.entry = entry;
        this.topLevel = levels(entry);
    }

    int rows() {
        return rows;
    }

    int dim() {
        return dim;
    }

    /** Heap held by the graph's arrays (16-byte array headers, 4-byte references). */
    long heapBytes() {
        long bytes = 16 + 4L * vectors.length + 16 + 4L * links0.length + 16 + 4L * count0.length + 16 + 4L * rows;
        for (int[] u : upper) {
            if (u != null) {
                bytes += 16 + 4L * u.length;
            }
        }
        return bytes;
    }

    /** The number of levels above 0 that row {@code row} is on. */
    int levels(int row) {
        if (rows == 0) {
            return 0;
        }
        int[] u = upper[row];
        return u == null ? 0 : u.length / (maxM + 1);
    }

    /**
     * Similarity of a reduced query {@code q̃} (length dim + 1) to row {@code row}'s reduced vector
     * {@code [x/M, sqrt(1 − ‖x‖²/M²)]}, the measure the graph was built with.
     */
    float similarity(float[] q, int row) {
        int off = row * dim;
        double sq = 0;
        for (int i = 0; i < dim; i++) {
            double x = vectors[off + i] / (double) maxNorm;
            sq += x * x;
        }
        return (float) (dot(q, row) / maxNorm + Math.sqrt(Math.max(0, 1 - sq)) * q[dim]);
    }

    /** {@code x·q} over the first {@code dim} components of {@code q}: the exact scan's score, bit for bit. */
    float dot(float[] q, int row) {
        return VectorUtil.dot(vectors, row * dim, q, 0, dim);
    }

    /**
     * Loads one float of every cache line of the given rows' vectors, all independent of each other, so
     * their cache misses overlap instead of each dot product waiting for its own rows in turn. The sum
     * goes to a field so the loads cannot be optimised away.
     */
    void prefetchRows(int[] nodes, int count, SearchScratch s) {
        float[] v = vectors;
        int d = dim;
        float sink = 0;
        for (int k = 0; k < count; k++) {
            int off = nodes[k] * d;
            for (int i = 0; i < d; i += 16) {
                sink += v[off + i];
            }
        }
        s.sink += sink;
    }

    /** Starts loading a node's link count and level-0 links (see {@link #prefetchRows}). */
    void prefetchLinks(int node, SearchScratch s) {
        int off = node * maxM0;
        int sink = count0[node];
        for (int i = 0; i < maxM0; i += 16) {
            sink += links0[off + i];
        }
        s.sinkInt += sink;
    }

    /** {@code out[k] = dot(q, nodes[k])} for {@code k < count} ({@link VectorUtil#dotRows}: four rows per step). */
    void dots(float[] q, int[] nodes, int count, float[] out) {
        VectorUtil.dotRows(vectors, dim, nodes, 0, count, q, 0, dim, out, 0);
    }

    /** HNSW's own beam search over the reduced vectors; see {@link GraphSearch#search}. */
    int search(float[] q, int ef, int[] out) {
        return GraphSearch.search(this, q, ef, out);
    }

    /** One best-first beam search over several graphs at once; see {@link RangedSearch#searchAll}. */
    static int searchAll(FrozenGraph[] graphs, int[] base, int total, float[] bound, float[] q, int ef,
                         int[] outIds, float[] outScores) {
        return RangedSearch.searchAll(graphs, base, total, bound, q, ef, outIds, outScores);
    }

    /** Writes the graph's links (not the vectors); see {@link GraphFile#write}. */
    void write(BulkIO.Writer out) throws IOException {
        GraphFile.write(this, out);
    }

    /** Reads a graph written by {@link #write}; see {@link GraphFile#read}. */
    static FrozenGraph read(BulkIO.Reader in, int expectedRows, int expectedDim, float[] vectors, float maxNorm)
            throws IOException {
        return GraphFile.read(in, expectedRows, expectedDim, vectors, maxNorm);
    }
}
