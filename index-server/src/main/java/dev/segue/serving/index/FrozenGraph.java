package dev.segue.serving.index;

import java.io.IOException;
import java.util.Arrays;

/**
 * An immutable HNSW graph in primitive arrays, searched without locks, boxing or per-candidate objects.
 * Level 0 links sit in one {@code int[]} with a fixed stride of {@code maxM0}; the few nodes above level 0
 * keep their upper links in a small per-node array. Vectors are the MIPS-reduced unit vectors, packed.
 * The search is HNSW's: greedy descent through the upper levels, then a beam search of width {@code ef} on
 * level 0, both maximising the inner product of unit vectors.
 */
final class FrozenGraph {
    private final int rows;
    private final int dim;          // reduced dimension (factors + 1)
    private final float[] vectors;  // rows x dim
    private final int maxM;
    private final int maxM0;
    private final int[] links0;     // rows x maxM0
    private final int[] count0;
    private final int[][] upper;    // per row: null, or for levels 1..L: [count, maxM links] blocks
    private final int entry;
    private final int topLevel;

    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

    private FrozenGraph(int rows, int dim, float[] vectors, int maxM, int maxM0, int[] links0, int[] count0,
                        int[][] upper, int entry) {
        this.rows = rows;
        this.dim = dim;
        this.vectors = vectors;
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

    float similarity(float[] q, int row) {
        int off = row * dim;
        float[] v = vectors;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < dim; i += 4) {
            s0 += q[i] * v[off + i];
            s1 += q[i + 1] * v[off + i + 1];
            s2 += q[i + 2] * v[off + i + 2];
            s3 += q[i + 3] * v[off + i + 3];
        }
        for (; i < dim; i++) {
            s0 += q[i] * v[off + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * The {@code ef} rows the beam search ends with, best first, into {@code out} (length ≥ ef).
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
        Scratch s = scratch(ef);
        int stamp = s.nextStamp();
        int[] visited = s.visited;
        CandidateHeap candidates = s.candidates;
        candidates.clear();
        TopK results = new TopK(ef);
        visited[current] = stamp;
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
                if (visited[nb] == stamp) {
                    continue;
                }
                visited[nb] = stamp;
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

    private Scratch scratch(int ef) {
        Scratch s = SCRATCH.get();
        if (s == null || s.visited.length < rows) {
            s = new Scratch(rows);
            SCRATCH.set(s);
        }
        return s;
    }

    /** Per-thread search state: visited stamps (no clearing between searches) and the candidate heap. */
    private static final class Scratch {
        final int[] visited;
        final CandidateHeap candidates = new CandidateHeap(256);
        private float[] scores = new float[0];
        private int stamp;

        Scratch(int rows) {
            visited = new int[rows];
        }

        int nextStamp() {
            if (++stamp == Integer.MAX_VALUE) {
                Arrays.fill(visited, 0);
                stamp = 1;
            }
            return stamp;
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

        FrozenGraph build(int entry, float[] vectors, int dim) {
            if ((long) rows * dim != vectors.length) {
                throw new IllegalStateException(vectors.length + " vector values for " + rows + " rows of " + dim);
            }
            if (rows > 0 && (entry < 0 || entry >= rows)) {
                throw new IllegalStateException("entry point " + entry + " outside 0.." + (rows - 1));
            }
            return new FrozenGraph(rows, dim, vectors, maxM, maxM0, links0, count0, upper, entry);
        }
    }

    /** Writes the graph's arrays, read back by {@link #read}. */
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
        out.putFloats(vectors);
    }

    static FrozenGraph read(BulkIO.Reader in, int expectedRows, int expectedDim) throws IOException {
        int rows = in.getInt();
        int dim = in.getInt();
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
        float[] vectors = new float[Math.multiplyExact(rows, dim)];
        in.getFloats(vectors);
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
        return new FrozenGraph(rows, dim, vectors, maxM, maxM0, links0, count0, upper, entry);
    }

    private static int maxLevel(int[] levels) {
        int max = 0;
        for (int l : levels) {
            max = Math.max(max, l);
        }
        return max;
    }
}
