package dev.segue.serving.index;

import java.io.IOException;
import java.util.Arrays;

/**
 * An immutable HNSW graph in primitive arrays, searched without locks, boxing or per-candidate objects.
 * Level 0 links sit in one {@code int[]} with a fixed stride of {@code maxM0}; the few nodes above level 0
 * keep their upper links in a small per-node array.
 *
 * <p>The graph was built (by hnswlib-java) on the MIPS-reduced unit vectors {@code [x/M, sqrt(1 − ‖x‖²/M²)]},
 * but it keeps the <em>raw</em> factor rows {@code x}, packed with a stride of the factor dimension: the
 * serving query's extra component is 0, so the reduced similarity is {@code x·q / (M‖q‖)} — the same order
 * as the raw {@code x·q} inside one graph. Walking on {@code x·q} makes every score the search computes the
 * exact inner product (bit for bit what {@link FactorMatrix#dot} returns: same products, same summation
 * order), so results need no re-scoring from the factor matrix, and a row is 64 floats (4 cache lines at
 * 64 dimensions) instead of 65. The reduced form is recomputed on the fly only by {@link #search}, the
 * single-graph search that mirrors hnswlib-java's own.
 */
final class FrozenGraph {
    private final int rows;
    private final int dim;          // factor dimension (the graph was built on dim + 1)
    private final float[] vectors;  // rows x dim, raw factor rows
    private final float maxNorm;    // M of the reduction the graph was built with
    private final int maxM;
    private final int maxM0;
    private final int[] links0;     // rows x maxM0
    private final int[] count0;
    private final int[][] upper;    // per row: null, or for levels 1..L: [count, maxM links] blocks
    private final int entry;
    private final int topLevel;

    /**
     * Each range walked in {@link #searchAll} also keeps a beam of its own: {@code min(ef, max(50, 0.3·ef))}.
     * Without it a range's walk could only pass through nodes that beat the shared results, so it would stall
     * in the first valley after its entry point (measured: recall@500 0.70 instead of 0.986 on synthetic
     * factors); 0.3 of the shared beam was the knee of recall against distance computations (see the README).
     */
    static final int LOCAL_MIN = 50;
    static final double LOCAL_FRACTION = 0.3;

    /** The beam each searched range keeps of its own in {@link #searchAll} for a shared beam {@code ef}. */
    static int localBeam(int ef) {
        return Math.min(ef, Math.max(LOCAL_MIN, (int) Math.ceil(LOCAL_FRACTION * ef)));
    }

    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

    private FrozenGraph(int rows, int dim, float[] vectors, float maxNorm, int maxM, int maxM0, int[] links0,
                        int[] count0, int[][] upper, int entry) {
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

    private int levels(int row) {
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

    /**
     * The {@code ef} rows a beam search over the reduced vectors ends with, best first, into {@code out}
     * (length ≥ ef): HNSW's own search, as hnswlib-java runs it, for a reduced query (length dim + 1).
     *
     * @return how many were written
     */
    int search(float[] q, int ef, int[] out) {
        if (rows == 0) {
            return 0;
        }
        int current = entry;
        float best = similarity(q, current);
        for (int level = topLevel; level >= 1; level--) {
            boolean changed = true;
            while (changed) {
                changed = false;
                int[] u = upper[current];
                int base = (level - 1) * (maxM + 1);
                int n = u[base];
                for (int j = 1; j <= n; j++) {
                    int nb = u[base + j];
                    float s = similarity(q, nb);
                    if (s > best) {
                        best = s;
                        current = nb;
                        changed = true;
                    }
                }
            }
        }
        Scratch s = scratch(rows);
        long[] visited = s.clearVisited(rows);
        CandidateHeap candidates = s.candidates;
        candidates.clear();
        TopK results = new TopK(ef);
        visit(visited, current);
        candidates.push(current, best);
        results.offer(current, best);
        while (candidates.size() > 0) {
            if (results.size() >= ef && candidates.topScore() < results.minScore()) {
                break;
            }
            int c = candidates.pop();
            int off = c * maxM0;
            int n = count0[c];
            for (int j = 0; j < n; j++) {
                int nb = links0[off + j];
                if (!visit(visited, nb)) {
                    continue;
                }
                float sim = similarity(q, nb);
                if (results.size() < ef || sim > results.minScore()) {
                    candidates.push(nb, sim);
                    results.offer(nb, sim);
                }
            }
        }
        float[] scores = s.scores(ef);
        return results.drainDescending(out, scores);
    }

    /** Greedy descent through the upper levels: the level-0 entry for a beam search of {@code q}. */
    private int descend(float[] q) {
        int current = entry;
        float best = dot(q, current);
        for (int level = topLevel; level >= 1; level--) {
            boolean changed = true;
            while (changed) {
                changed = false;
                int[] u = upper[current];
                int base = (level - 1) * (maxM + 1);
                int n = u[base];
                for (int j = 1; j <= n; j++) {
                    int nb = u[base + j];
                    float s = dot(q, nb);
                    if (s > best) {
                        best = s;
                        current = nb;
                        changed = true;
                    }
                }
            }
        }
        return current;
    }

    /**
     * {@code x·q} over the first {@code dim} components of {@code q}: the same products in the same order
     * as {@link FactorMatrix#dot}, so the result is identical to the exact scan's score.
     */
    private float dot(float[] q, int row) {
        int off = row * dim;
        float[] v = vectors;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < dim; i += 4) {
            s0 += v[off + i] * q[i];
            s1 += v[off + i + 1] * q[i + 1];
            s2 += v[off + i + 2] * q[i + 2];
            s3 += v[off + i + 3] * q[i + 3];
        }
        for (; i < dim; i++) {
            s0 += v[off + i] * q[i];
        }
        return (s0 + s1) + (s2 + s3);
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
        Scratch s = scratch(total);
        long[] visited = s.clearVisited(total);
        CandidateHeap candidates = s.candidates;
        candidates.clear();
        TopK results = new TopK(ef);
        int ranges = graphs.length;
        int local = localBeam(ef);
        float[] localHeaps = new float[ranges * local]; // per range: min-heap of its best `local` scores
        int[] localSize = new int[ranges];
        for (int j = 0; j < ranges; j++) {
            candidates.push(-(j + 1), bound[j] * 1.000001f);
        }
        float none = Float.NEGATIVE_INFINITY;
        while (candidates.size() > 0) {
            float global = results.size() >= ef ? results.minScore() : none;
            float top = candidates.topScore();
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
                        visit(visited, b + r);
                        if (results.accepts(score)) {
                            results.offer(b + r, score);
                        }
                    }
                } else {
                    int e = g.descend(q);
                    float score = g.dot(q, e);
                    visit(visited, b + e);
                    candidates.push(b + e, score);
                    results.offer(b + e, score);
                    offerLocal(localHeaps, localSize, j, local, score);
                }
                continue;
            }
            int j = rangeOf(base, c);
            float localMin = localSize[j] >= local ? localHeaps[j * local] : none;
            if (top < global && top < localMin) {
                continue;
            }
            if (bound[j] * 1.000001f < global) {
                continue; // the range's bound is below the results: walking it further cannot help
            }
            if (candidates.size() > 0) {
                int next = candidates.topId(); // most likely expanded next: start loading its links now
                if (next >= 0) {
                    int jn = rangeOf(base, next);
                    graphs[jn].touchLinks(next - base[jn], s);
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
                if (visit(visited, b + nb)) {
                    fresh[m++] = nb;
                }
            }
            g.touch(fresh, m, s);
            for (int k = 0; k < m; k++) {
                int nb = fresh[k];
                int id = b + nb;
                float score = g.dot(q, nb);
                boolean enters = results.size() < ef || score > results.minScore();
                boolean localEnters = localSize[j] < local || score > localHeaps[j * local];
                if (enters || localEnters) {
                    candidates.push(id, score);
                    if (enters) {
                        results.offer(id, score);
                    }
                    offerLocal(localHeaps, localSize, j, local, score);
                }
            }
        }
        return results.drainDescending(outIds, outScores);
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

    /** Starts loading a node's link count and links (see {@link #touch}). */
    private void touchLinks(int node, Scratch s) {
        int off = node * maxM0;
        int sink = count0[node];
        for (int i = 0; i < maxM0; i += 16) {
            sink += links0[off + i];
        }
        s.sinkInt += sink;
    }

    /**
     * Loads one float of every cache line of the given rows' vectors, all independent of each other, so
     * their cache misses overlap instead of each dot product waiting for its own rows in turn. The sum
     * goes to a field so the loads cannot be optimised away.
     */
    private void touch(int[] nodes, int count, Scratch s) {
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

    /** Adds a score to range j's bounded min-heap of its best {@code cap} scores. */
    private static void offerLocal(float[] heaps, int[] sizes, int j, int cap, float score) {
        int b = j * cap;
        int size = sizes[j];
        if (size < cap) {
            int i = size;
            sizes[j] = size + 1;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heaps[b + parent] <= score) {
                    break;
                }
                heaps[b + i] = heaps[b + parent];
                i = parent;
            }
            heaps[b + i] = score;
        } else if (score > heaps[b]) {
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= cap) {
                    break;
                }
                if (child + 1 < cap && heaps[b + child + 1] < heaps[b + child]) {
                    child++;
                }
                if (heaps[b + child] >= score) {
                    break;
                }
                heaps[b + i] = heaps[b + child];
                i = child;
            }
            heaps[b + i] = score;
        }
    }

    /** Marks node {@code id} visited; false if it already was. */
    private static boolean visit(long[] visited, int id) {
        long word = visited[id >>> 6];
        long bit = 1L << id;
        if ((word & bit) != 0) {
            return false;
        }
        visited[id >>> 6] = word | bit;
        return true;
    }

    private static Scratch scratch(int nodes) {
        Scratch s = SCRATCH.get();
        if (s == null || s.visited.length < (nodes + 63) / 64) {
            s = new Scratch(nodes);
            SCRATCH.set(s);
        }
        return s;
    }

    /**
     * Per-thread search state: the visited set and the candidate heap. Visited is one bit per node, cleared
     * per search: 50 KB for 400k nodes stays in the L2 cache beside the vectors, where a byte per node (the
     * earlier stamps) took its cache misses on every neighbour check.
     */
    private static final class Scratch {
        final long[] visited;
        final CandidateHeap candidates = new CandidateHeap(256);
        final int[] fresh = new int[4096]; // unvisited neighbours of one node (maxM0 ≤ 4096)
        private float[] scores = new float[0];
        float sink;
        int sinkInt;

        Scratch(int nodes) {
            visited = new long[(nodes + 63) / 64];
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
    }

    /** Unbounded max-heap of (score, row) over growable primitive arrays. */
    private static final class CandidateHeap {
        private int[] ids;
        private float[] scores;
        private int size;

        CandidateHeap(int capacity) {
            ids = new int[capacity];
            scores = new float[capacity];
        }

        void clear() {
            size = 0;
        }

        int size() {
            return size;
        }

        float topScore() {
            return scores[0];
        }

        int topId() {
            return ids[0];
        }

        void push(int id, float score) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                scores = Arrays.copyOf(scores, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (scores[parent] >= score) {
                    break;
                }
                ids[i] = ids[parent];
                scores[i] = scores[parent];
                i = parent;
            }
            ids[i] = id;
            scores[i] = score;
        }

        int pop() {
            int top = ids[0];
            int lastId = ids[--size];
            float last = scores[size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && scores[child + 1] > scores[child]) {
                    child++;
                }
                if (scores[child] <= last) {
                    break;
                }
                ids[i] = ids[child];
                scores[i] = scores[child];
                i = child;
            }
            ids[i] = lastId;
            scores[i] = last;
            return top;
        }
    }

    /** Collects links per row (rows given in any order), then freezes them. */
    static final class Builder {
        private final int rows;
        private final int maxM;
        private final int maxM0;
        private final int[] links0;
        private final int[] count0;
        private final int[][] upper;

        Builder(int rows, int maxM, int maxM0) {
            this.rows = rows;
            this.maxM = maxM;
            this.maxM0 = maxM0;
            this.links0 = new int[rows * maxM0];
            this.count0 = new int[rows];
            this.upper = new int[rows][];
        }

        void level(int row, int top) {
            upper[row] = top == 0 ? null : new int[top * (maxM + 1)];
        }

        void links(int row, int level, int[] links) {
            int limit = level == 0 ? maxM0 : maxM;
            if (links.length > limit) {
                throw new IllegalStateException("row " + row + " has " + links.length + " links at level " + level
                        + ", more than " + limit);
            }
            for (int link : links) {
                if (link < 0 || link >= rows) {
                    throw new IllegalStateException("row " + row + " links to row " + link + " outside 0.." + (rows - 1));
                }
            }
            if (level == 0) {
                System.arraycopy(links, 0, links0, row * maxM0, links.length);
                count0[row] = links.length;
            } else {
                int base = (level - 1) * (maxM + 1);
                upper[row][base] = links.length;
                System.arraycopy(links, 0, upper[row], base + 1, links.length);
            }
        }

        /** {@code vectors}: the raw factor rows (rows × dim) of the rows, built with reduction constant {@code maxNorm}. */
        FrozenGraph build(int entry, float[] vectors, int dim, float maxNorm) {
            if ((long) rows * dim != vectors.length) {
                throw new IllegalStateException(vectors.length + " vector values for " + rows + " rows of " + dim);
            }
            if (rows > 0 && (entry < 0 || entry >= rows)) {
                throw new IllegalStateException("entry point " + entry + " outside 0.." + (rows - 1));
            }
            return new FrozenGraph(rows, dim, vectors, maxNorm, maxM, maxM0, links0, count0, upper, entry);
        }
    }

    /**
     * Writes the graph's links, read back by {@link #read}. The vectors are not written: they are the
     * factor rows, which the reader has.
     */
    void write(BulkIO.Writer out) throws IOException {
        out.putInt(rows).putInt(dim).putInt(maxM).putInt(maxM0).putInt(entry);
        int[] levels = new int[rows];
        for (int r = 0; r < rows; r++) {
            levels[r] = levels(r);
        }
        out.putInts(count0, 0, rows).putInts(links0, 0, links0.length).putInts(levels, 0, rows);
        for (int r = 0; r < rows; r++) {
            if (upper[r] != null) {
                out.putInts(upper[r], 0, upper[r].length);
            }
        }
    }

    /**
     * Reads a graph written by {@link #write}; {@code vectors} are its rows' raw factor rows (rows × dim).
     * {@code withReducedVectors}: the older file format that also stored the reduced vectors (dimension
     * dim + 1) after the links; they are skipped.
     */
    static FrozenGraph read(BulkIO.Reader in, int expectedRows, int expectedDim, float[] vectors, float maxNorm,
                            boolean withReducedVectors) throws IOException {
        int rows = in.getInt();
        int dim = in.getInt() - (withReducedVectors ? 1 : 0);
        int maxM = in.getInt();
        int maxM0 = in.getInt();
        int entry = in.getInt();
        if (rows != expectedRows || dim != expectedDim || maxM < 1 || maxM0 < maxM || maxM0 > 4096
                || (rows > 0 && (entry < 0 || entry >= rows))) {
            throw new IOException("corrupt graph: " + rows + " rows of " + dim + ", M " + maxM + "/" + maxM0
                    + ", entry " + entry);
        }
        int[] count0 = new int[rows];
        in.getInts(count0);
        int[] links0 = new int[Math.multiplyExact(rows, maxM0)];
        in.getInts(links0);
        int[] levels = new int[rows];
        in.getInts(levels);
        int[][] upper = new int[rows][];
        for (int r = 0; r < rows; r++) {
            if (count0[r] < 0 || count0[r] > maxM0 || levels[r] < 0 || levels[r] > 64) {
                throw new IOException("corrupt graph: row " + r + " has " + count0[r] + " links, " + levels[r]
                        + " levels");
            }
            if (levels[r] > 0) {
                upper[r] = new int[levels[r] * (maxM + 1)];
                in.getInts(upper[r]);
            }
        }
        if (withReducedVectors) {
            in.skip(4L * rows * (dim + 1));
        }
        if (vectors.length != (long) rows * dim) {
            throw new IllegalStateException(vectors.length + " vector values for " + rows + " rows of " + dim);
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < count0[r]; j++) {
                int link = links0[r * maxM0 + j];
                if (link < 0 || link >= rows) {
                    throw new IOException("corrupt graph: row " + r + " links to " + link);
                }
            }
            for (int level = 1; level <= levels[r]; level++) {
                int base = (level - 1) * (maxM + 1);
                int n = upper[r][base];
                if (n < 0 || n > maxM) {
                    throw new IOException("corrupt graph: row " + r + " has " + n + " links at level " + level);
                }
                for (int j = 1; j <= n; j++) {
                    int link = upper[r][base + j];
                    if (link < 0 || link >= rows || levels[link] < level) {
                        throw new IOException("corrupt graph: row " + r + " links to " + link + " at level " + level);
                    }
                }
            }
        }
        if (rows > 0 && levels[entry] != maxLevel(levels)) {
            throw new IOException("corrupt graph: entry point " + entry + " is not on the top level");
        }
        return new FrozenGraph(rows, dim, vectors, maxNorm, maxM, maxM0, links0, count0, upper, entry);
    }

    private static int maxLevel(int[] levels) {
        int max = 0;
        for (int l : levels) {
            max = Math.max(max, l);
        }
        return max;
    }
}
