package dev.segue.serving.index;

import dev.segue.math.FloatScoreHeap;
import dev.segue.math.VectorUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Builds an HNSW graph over the MIPS-reduced rows {@code [x/M, sqrt(1 − ‖x‖²/M²)]} the way C++ hnswlib's
 * {@code addPoint} does — random level per node, greedy descent through the upper levels, a beam of
 * {@code efConstruction} per level, neighbours chosen by its heuristic ({@code getNeighborsByHeuristic2}), links
 * made mutual and an overfull neighbour list shrunk by the same heuristic — straight into the primitive arrays
 * {@link FrozenGraph} keeps: level-0 links in one {@code int[]} with a fixed stride of {@code 2M}, the few upper
 * levels per node. Several threads insert at once with one lock per node (striped), as hnswlib does; a thread's
 * visited set is an array of stamps, never cleared. No object is allocated per insert or per distance. A new
 * node's own links are merged with any another insert already made to it (see {@link #connect}), never
 * overwritten: an overwrite left 8 % of a 52k-row graph unreachable with two threads.
 *
 * <p>Distances are never computed on a reduced copy: {@code x̃·ỹ = (x·y)/M² + e_x·e_y} with
 * {@code e = sqrt(1 − ‖x‖²/M²)} precomputed per row, and {@code x·y} is {@link VectorUtil#dot4} on the raw
 * rows the frozen graph keeps anyway (four neighbours per call, four add chains in flight) — so the build
 * reads the same 64-float rows as the search, and no second matrix of {@code dim + 1} floats is made.
 *
 * <p>Replaces hnswlib-java (jelmerk 1.2.1) as the builder: it boxed every distance into a {@code Float},
 * allocated a node object per candidate and a priority-queue entry per step, and its graph was then copied out
 * through reflection.
 */
final class HnswConstruction {
    /** Seed of the level draws: the same rows always get the same levels (one thread: the same graph). */
    private static final long LEVEL_SEED = 0x5e9e_4e5_1L;
    private static final int LOCK_STRIPES = 1 << 14;

    private final int n;
    private final int dim;
    private final float[] vectors;
    private final float[] extra;
    private final float invM2;
    private final int maxM;
    private final int maxM0;
    private final int efConstruction;
    private final int[] links0;
    private final int[] count0;
    private final int[][] upper;
    private final int[] level;
    private final Object[] locks = new Object[LOCK_STRIPES];
    /** Guards {@link #entry} and {@link #maxLevel}; held through a whole insert that raises the top level. */
    private final ReentrantLock global = new ReentrantLock();
    private int entry = -1;
    private int maxLevel = -1;

    /**
     * @param vectors raw rows (n × dim), reduced with {@code maxNorm} (every row's norm at most {@code maxNorm})
     */
    HnswConstruction(float[] vectors, int dim, float maxNorm, int m, int efConstruction) {
        this.dim = dim;
        this.n = vectors.length / dim;
        this.vectors = vectors;
        this.maxM = m;
        this.maxM0 = 2 * m;
        this.efConstruction = Math.max(efConstruction, m);
        double invM = 1.0 / maxNorm;
        this.invM2 = (float) (invM * invM);
        this.extra = new float[n];
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int j = 0; j < dim; j++) {
                double x = vectors[i * dim + j] * invM;
                sq += x * x;
            }
            extra[i] = (float) Math.sqrt(Math.max(0, 1 - sq));
        }
        this.links0 = new int[Math.multiplyExact(n, maxM0)];
        this.count0 = new int[n];
        this.upper = new int[n][];
        this.level = new int[n];
        SplittableRandom random = new SplittableRandom(LEVEL_SEED);
        double mult = 1 / Math.log(Math.max(2, m));
        for (int i = 0; i < n; i++) {
            int l = (int) (-Math.log(1 - random.nextDouble()) * mult); // 1 - u: never log(0)
            level[i] = Math.min(l, 16);
            if (level[i] > 0) {
                upper[i] = new int[level[i] * (maxM + 1)];
            }
        }
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * Inserts every row with {@code threads} threads (in row order, as hnswlib's {@code add_items}), calling
     * {@code inserted} after each, and returns the frozen graph. Stops early when {@code cancel} fires.
     */
    FrozenGraph build(int threads, Runnable inserted, Cancellation cancel, float maxNorm) throws InterruptedException {
        int workers = Math.max(1, Math.min(threads, n / 64 + 1));
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            Scratch s = new Scratch(n, maxM0, efConstruction);
            int row;
            while ((row = next.getAndIncrement()) < n) {
                if (cancel.isCancelled() || Thread.currentThread().isInterrupted()) {
                    next.set(n);
                    return;
                }
                insert(row, s);
                inserted.run();
            }
        };
        if (workers == 1) {
            work.run();
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "hnsw-build");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    futures.add(pool.submit(work));
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("building the HNSW graph failed: " + e.getCause(), e.getCause());
                    }
                }
            } catch (InterruptedException e) {
                next.set(n);
                throw e;
            } finally {
                pool.shutdownNow();
            }
        }
        cancel.check();
        return new FrozenGraph(n, dim, vectors, maxNorm, maxM, maxM0, links0, count0, upper, Math.max(entry, 0));
    }

    /** One thread's working state, reused for every insert. */
    private static final class Scratch {
        final int[] stamp;
        int generation;
        final FloatScoreHeap candidates = FloatScoreHeap.bestFirst(256);
        final FloatScoreHeap top;
        final FloatScoreHeap sorter = FloatScoreHeap.bestFirst(256);
        final int[] found;
        final float[] foundSims;
        final int[] links;
        final int[] fresh;
        final float[] sims;
        final int[] selected;
        final float[] selectedSims;
        final int[] mine;

        Scratch(int n, int maxM0, int ef) {
            stamp = new int[n];
            top = FloatScoreHeap.topK(ef);
            int wide = Math.max(ef, maxM0 + maxM0 / 2) + 4; // a beam, or a full list merged with M new links
            found = new int[wide];
            foundSims = new float[wide];
            links = new int[wide];
            fresh = new int[maxM0 + 1];
            sims = new float[wide];
            selected = new int[wide];
            selectedSims = new float[wide];
            mine = new int[wide];
        }

        /** A fresh visited set: a new stamp (the array is cleared only when the stamps wrap). */
        int newVisit() {
            if (++generation == Integer.MAX_VALUE) {
                java.util.Arrays.fill(stamp, 0);
                generation = 1;
            }
            return generation;
        }
    }

    private Object lock(int node) {
        return locks[node & (LOCK_STRIPES - 1)];
    }

    /** Similarity of the reduced rows a and b (the graph's measure): {@code (x_a·x_b)/M² + e_a·e_b}. */
    private float sim(int a, int b) {
        return VectorUtil.dot(vectors, a * dim, vectors, b * dim, dim) * invM2 + extra[a] * extra[b];
    }

    /** {@code out[k] = sim(q, nodes[k])} for {@code k < count}, four rows per step ({@link VectorUtil#dotRows}). */
    private void sims(int q, int[] nodes, int count, float[] out) {
        sims(q, nodes, 0, count, out);
    }

    /** {@code out[k] = sim(q, nodes[from + k])} for {@code k < count} (the same bits as {@link #sim}). */
    private void sims(int q, int[] nodes, int from, int count, float[] out) {
        int d = dim;
        VectorUtil.dotRows(vectors, d, nodes, from, count, vectors, q * d, d, out, 0);
        float eq = extra[q];
        for (int k = 0; k < count; k++) {
            out[k] = out[k] * invM2 + extra[nodes[from + k]] * eq;
        }
    }

    /** Copies node's links at {@code layer} into {@code out} under its lock; returns how many. */
    private int readLinks(int node, int layer, int[] out) {
        synchronized (lock(node)) {
            return readLinksLocked(node, layer, out);
        }
    }

    /** Overwrites node's links at {@code layer} (caller holds its lock). */
    private void writeLinks(int node, int layer, int[] from, int count) {
        if (layer == 0) {
            System.arraycopy(from, 0, links0, node * maxM0, count);
            count0[node] = count;
        } else {
            int[] u = upper[node];
            int base = (layer - 1) * (maxM + 1);
            System.arraycopy(from, 0, u, base + 1, count);
            u[base] = count;
        }
    }

    private void insert(int node, Scratch s) {
        int nodeLevel = level[node];
        global.lock();
        int ep = entry;
        int top = maxLevel;
        boolean raise = nodeLevel > top;
        if (!raise) {
            global.unlock();
        }
        try {
            if (ep < 0) {
                entry = node;
                maxLevel = nodeLevel;
                return;
            }
            int current = ep;
            if (nodeLevel < top) {
                float best = sim(node, current);
                for (int layer = top; layer > nodeLevel; layer--) {
                    boolean changed = true;
                    while (changed) {
                        changed = false;
                        int c = readLinks(current, layer, s.links);
                        sims(node, s.links, c, s.sims);
                        for (int j = 0; j < c; j++) {
                            if (s.sims[j] > best) {
                                best = s.sims[j];
                                current = s.links[j];
                                changed = true;
                            }
                        }
                    }
                }
            }
            for (int layer = Math.min(nodeLevel, top); layer >= 0; layer--) {
                int found = searchLayer(node, current, layer, s);
                current = s.found[0];
                int chosen = selectNeighbours(s.found, s.foundSims, found, maxM, s);
                connect(node, layer, s.selected, chosen, s);
            }
            if (raise) {
                entry = node;
                maxLevel = nodeLevel;
            }
        } finally {
            if (raise) {
                global.unlock();
            }
        }
    }

    /**
     * hnswlib's {@code searchBaseLayer}: a beam of {@code efConstruction} on {@code layer} from {@code ep}; the
     * beam's nodes best first into {@code s.found}/{@code s.foundSims}.
     */
    private int searchLayer(int node, int ep, int layer, Scratch s) {
        int[] stamp = s.stamp;
        int gen = s.newVisit();
        stamp[node] = gen;
        stamp[ep] = gen;
        FloatScoreHeap candidates = s.candidates;
        FloatScoreHeap top = s.top;
        candidates.clear();
        top.clear();
        long epKey = FloatScoreHeap.key(ep, sim(node, ep));
        candidates.offerKey(epKey);
        top.offerKey(epKey);
        int[] links = s.links;
        int[] fresh = s.fresh;
        float[] sims = s.sims;
        while (candidates.size() > 0) {
            if (candidates.topScore() < top.threshold()) {
                break;
            }
            int c = candidates.pop();
            int count = readLinks(c, layer, links);
            int m = 0;
            for (int j = 0; j < count; j++) {
                int nb = links[j];
                if (stamp[nb] != gen) {
                    stamp[nb] = gen;
                    fresh[m++] = nb;
                }
            }
            sims(node, fresh, m, sims);
            for (int j = 0; j < m; j++) {
                if (top.accepts(sims[j])) {
                    long key = FloatScoreHeap.key(fresh[j], sims[j]);
                    candidates.offerKey(key);
                    top.offerKey(key);
                }
            }
        }
        return top.drainBestFirst(s.found, s.foundSims);
    }

    /**
     * hnswlib's {@code getNeighborsByHeuristic2}: walking the candidates best first, keep one unless a kept
     * node is closer to it than the query is — so the links spread over directions instead of crowding into
     * one cluster. Fewer than {@code m} candidates are all kept. Result in {@code s.selected}. As hnswlib, a
     * candidate's similarities to the kept nodes are computed only until one rules it out (four per
     * {@link VectorUtil#dot4}): most candidates fall to one of the first kept, and computing all of them cost
     * several times the dot products for the same choice.
     */
    private int selectNeighbours(int[] ids, float[] simToQuery, int count, int m, Scratch s) {
        int[] selected = s.selected;
        if (count < m) {
            System.arraycopy(ids, 0, selected, 0, count);
            return count;
        }
        int kept = 0;
        float[] toKept = s.selectedSims;
        for (int i = 0; i < count && kept < m; i++) {
            int c = ids[i];
            float limit = simToQuery[i];
            boolean good = true;
            for (int from = 0; from < kept && good; from += 4) {
                int block = Math.min(4, kept - from);
                sims(c, selected, from, block, toKept);
                for (int j = 0; j < block; j++) {
                    if (toKept[j] > limit) {
                        good = false;
                        break;
                    }
                }
            }
            if (good) {
                selected[kept++] = c;
            }
        }
        return kept;
    }

    /** Links node to its chosen neighbours at {@code layer} and each of them back (shrinking a full list). */
    private void connect(int node, int layer, int[] chosen, int count, Scratch s) {
        int[] mine = s.mine; // chosen is s.selected, which shrinking a neighbour's list overwrites
        System.arraycopy(chosen, 0, mine, 0, count);
        int max = layer == 0 ? maxM0 : maxM;
        synchronized (lock(node)) {
            // Another thread may already have linked to this node: its descent on the levels above can end here
            // and start this level's beam from it before this node's own links exist. Overwriting the list would
            // drop those links and leave that thread's node unreachable (4,407 of 52,264 rows were, with two
            // threads), so merge, and shrink by the heuristic when the union is too long.
            int c = readLinksLocked(node, layer, s.links);
            if (c == 0) {
                writeLinks(node, layer, mine, count);
            } else {
                for (int i = 0; i < count; i++) {
                    boolean present = false;
                    for (int j = 0; j < c && !present; j++) {
                        present = s.links[j] == mine[i];
                    }
                    if (!present) {
                        s.links[c++] = mine[i];
                    }
                }
                if (c <= max) {
                    writeLinks(node, layer, s.links, c);
                } else {
                    writeLinks(node, layer, s.selected, shrink(node, s.links, c, max, s));
                }
            }
        }
        for (int i = 0; i < count; i++) {
            int nb = mine[i];
            synchronized (lock(nb)) {
                int c = readLinksLocked(nb, layer, s.links);
                if (c < max) {
                    s.links[c] = node;
                    writeLinks(nb, layer, s.links, c + 1);
                    continue;
                }
                s.links[c] = node;
                writeLinks(nb, layer, s.selected, shrink(nb, s.links, c + 1, max, s));
            }
        }
    }

    /** The heuristic's choice of at most {@code max} of {@code owner}'s {@code count} candidate links, into {@code s.selected}. */
    private int shrink(int owner, int[] links, int count, int max, Scratch s) {
        sims(owner, links, count, s.sims);
        FloatScoreHeap sorter = s.sorter;
        sorter.clear();
        for (int j = 0; j < count; j++) {
            sorter.offer(links[j], s.sims[j]);
        }
        int sorted = sorter.drainBestFirst(s.found, s.foundSims);
        return selectNeighbours(s.found, s.foundSims, sorted, max, s);
    }

    /** {@link #readLinks} for a caller that already holds the node's lock. */
    private int readLinksLocked(int node, int layer, int[] out) {
        if (layer == 0) {
            int c = count0[node];
            System.arraycopy(links0, node * maxM0, out, 0, c);
            return c;
        }
        int[] u = upper[node];
        int base = (layer - 1) * (maxM + 1);
        int c = u[base];
        System.arraycopy(u, base + 1, out, 0, c);
        return c;
    }
}
