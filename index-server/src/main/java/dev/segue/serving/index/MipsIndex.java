package dev.segue.serving.index;

import dev.segue.format.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maximum-inner-product search over item factors with HNSW graphs.
 *
 * <p><b>Reduction.</b> Inner product is not a metric, so graphs are built on the standard reduction
 * (Bachrach et al. 2014): an item {@code x} becomes the unit vector {@code [x/M, sqrt(1 − ‖x‖²/M²)]} and a
 * query {@code q} becomes {@code [q/‖q‖, 0]}; then {@code x̃·q̃ = x·q / (M‖q‖)}, so the nearest neighbours by
 * {@code 1 − x̃·q̃} are exactly the largest inner products, searched over unit vectors with a plain dot
 * product — normalised once, never per call.
 *
 * <p><b>Layout.</b> One graph over all rows with the global {@code M} (C++ hnswlib's layout), searched by
 * HNSW's own search, when it passes a recall check at build time ({@link #layoutCheck}); else norm ranges.
 *
 * <p><b>Norm ranges.</b> ALS factor norms are heavy-tailed (popular tracks get long vectors). With one global
 * {@code M} most items have {@code ‖x‖/M} near 0, so their reduced vectors all crowd around the extra axis,
 * and on some factor sets the graph links items by norm rather than direction and recall collapses (measured:
 * recall@10 0.39 at ef=100 on 100k synthetic clustered factors; not on the generated worlds' ALS factors). Then
 * items are split into ranges of norm within a factor
 * {@value #NORM_RATIO} of each other, each with its own {@code M} and graph (norm-ranging, Yan et al. 2018);
 * inside a range the direction dominates again. A query visits ranges from the longest vectors down and
 * stops once its k-th best exact score beats {@code M_range·‖q‖}, which bounds every score in the remaining
 * ranges (Cauchy–Schwarz) — so the short-vector ranges are rarely searched. A range no larger than the beam
 * is scanned. The ranges share one beam (a joint best-first search over all graphs by estimated inner
 * product, each range also keeping a small beam of its own) rather than each walking a full beam.
 *
 * <p>{@link HnswConstruction} builds each graph (C++ hnswlib's insertion, several threads) straight into the
 * primitive arrays of {@link FrozenGraph} that the serving path searches without boxing or locks, and that are
 * saved and loaded in bulk. Every score is the exact {@code x·q}. {@link FactorMatrix#checkQuery} checks a
 * query's dimension and finiteness before any vector reaches a graph.
 */
public final class MipsIndex {
    /** Largest ratio of norms inside one range. */
    static final double NORM_RATIO = 2.0;
    /** Ranges below this many are merged: everything shorter than M/2^(MAX_RANGES-1) shares the last one. */
    static final int MAX_RANGES = 12;

    /** {@link #layoutCheck}: sampled queries, results checked, beam, and the recall the single graph must reach. */
    static final int CHECK_QUERIES = 200;
    static final int CHECK_K = 10;
    static final int CHECK_EF = 20;
    static final double CHECK_RECALL = 0.9;
    private static final long CHECK_SEED = 0x5e9e1L;
    private static final Logger LOG = LoggerFactory.getLogger(MipsIndex.class);

    private static final byte[] MAGIC = "SEGUE-HNSW-MIPS".getBytes(StandardCharsets.US_ASCII);
    /**
     * 5: the layout (one global graph or norm ranges) and its check's recall in the header; 4 (links only) and 3
     * (also the reduced vectors) were always ranged, built before the layout check, and are refused as stale.
     */
    static final int FILE_FORMAT = 5;

    /** Rows whose norms lie within {@link #NORM_RATIO}, their reduction constant and graph (local ids). */
    private record Range(float maxNorm, int[] rows, FrozenGraph graph) {}

    /**
     * How the rows are indexed: {@code global} one graph over all rows with the global {@code M}, searched by
     * HNSW's own search; else norm ranges searched jointly. {@code checkRecall}: the single graph's
     * {@link #layoutCheck} recall that decided it.
     */
    private record Layout(boolean global, double checkRecall) {
        Layout {
            checkRecall = (float) checkRecall; // as saved
        }
    }

    private final FactorMatrix factors;
    private final Range[] ranges; // longest vectors first
    private final Layout layout;
    private volatile HnswParams params;

    // The ranges' nodes in one id space for the joint search: range j's local id i is base[j] + i.
    private final FrozenGraph[] graphs;
    private final int[] base;
    private final int[] globalRows;  // global id -> factor row

    private MipsIndex(FactorMatrix factors, Range[] ranges, HnswParams params, Layout layout) {
        if (layout.global() && ranges.length != 1) {
            throw new IllegalStateException("a global layout has one graph, not " + ranges.length);
        }
        this.factors = factors;
        this.ranges = ranges;
        this.layout = layout;
        this.params = params;
        int total = 0;
        for (Range r : ranges) {
            total += r.rows().length;
        }
        graphs = new FrozenGraph[ranges.length];
        base = new int[ranges.length];
        globalRows = new int[total];
        int at = 0;
        for (int j = 0; j < ranges.length; j++) {
            graphs[j] = ranges[j].graph();
            base[j] = at;
            int[] rows = ranges[j].rows();
            System.arraycopy(rows, 0, globalRows, at, rows.length);
            at += rows.length;
        }
    }

    /**
     * Builds the index with {@code threads} inserting threads: first one graph over all rows reduced with the
     * global {@code M} (C++ hnswlib's layout), kept when it passes {@link #layoutCheck}; else the norm ranges.
     * Stops early (throwing {@link Cancellation.CancelledException}) when {@code cancel} fires.
     */
    public static MipsIndex build(FactorMatrix factors, HnswParams params, int threads, BuildProgress progress,
                                  Cancellation cancel) throws InterruptedException {
        return build(factors, params, threads, progress, cancel, LayoutChoice.CHECKED);
    }

    /** Which layout {@link #build} makes: the checked choice, or one forced (tests and A/B benchmarks). */
    enum LayoutChoice { CHECKED, GLOBAL, RANGED }

    static MipsIndex build(FactorMatrix factors, HnswParams params, int threads, BuildProgress progress,
                           Cancellation cancel, LayoutChoice choice) throws InterruptedException {
        int n = factors.rows();
        int[][] split = splitByNorm(factors);
        if (choice == LayoutChoice.RANGED || n == 0) {
            return buildRanged(factors, split, params, threads, ticker(progress, n), cancel, Double.NaN);
        }
        int[] all = new int[n];
        for (int row = 0; row < n; row++) {
            all[row] = row;
        }
        float globalNorm = maxNorm(factors);
        FrozenGraph global = buildGraph(factors, all, globalNorm, params, threads, ticker(progress, n), cancel);
        double checked = layoutCheck(factors, global);
        int nonEmpty = 0;
        for (int[] rows : split) {
            nonEmpty += rows.length > 0 ? 1 : 0;
        }
        if (checked >= CHECK_RECALL || nonEmpty <= 1 || choice == LayoutChoice.GLOBAL) {
            cancel.check();
            return new MipsIndex(factors, new Range[] {new Range(globalNorm, all, global)}, params,
                    new Layout(true, checked));
        }
        LOG.info("one graph over all {} rows recalled {} of the top {} of {} sampled rows at beam {} (below {}): "
                        + "building {} norm ranges instead", n, String.format("%.3f", checked), CHECK_K, CHECK_QUERIES,
                CHECK_EF, CHECK_RECALL, nonEmpty);
        global = null;
        return buildRanged(factors, split, params, threads, ticker(progress, n), cancel, checked);
    }

    private static MipsIndex buildRanged(FactorMatrix factors, int[][] split, HnswParams params, int threads,
                                         Runnable tick, Cancellation cancel, double checked)
            throws InterruptedException {
        List<Range> ranges = new ArrayList<>();
        for (int[] rows : split) {
            if (rows.length == 0) {
                continue;
            }
            float maxNorm = 0;
            for (int row : rows) {
                maxNorm = Math.max(maxNorm, (float) factors.norm(row));
            }
            if (!(maxNorm > 0)) {
                maxNorm = 1f; // all-zero vectors: any M works, their inner products are 0
            }
            ranges.add(new Range(maxNorm, rows, buildGraph(factors, rows, maxNorm, params, threads, tick, cancel)));
        }
        cancel.check();
        return new MipsIndex(factors, ranges.toArray(new Range[0]), params, new Layout(false, checked));
    }

    /** Reports {@code n} insertions to {@code progress} (about 200 updates). */
    private static Runnable ticker(BuildProgress progress, int n) {
        AtomicLong done = new AtomicLong();
        long step = Math.max(1, n / 200);
        return () -> {
            long d = done.incrementAndGet();
            if (d % step == 0 || d == n) {
                progress.update(d, n);
            }
        };
    }

    /**
     * Recall@{@value #CHECK_K} of HNSW's own search ({@link GraphSearch#searchRaw}, beam {@value #CHECK_EF}) on
     * the graph of all rows, for {@value #CHECK_QUERIES} rows of the factors as queries (fixed seed; a
     * {@code SimilarTracks} query is such a row, a playlist's vector a blend of them), against the exact scan.
     * The single globally reduced graph fails on some factor geometries (recall@10 0.39 at ef 100 on
     * synthetic clustered factors with heavy-tailed norms), works on others (the generated worlds'
     * real ALS factors), and norms alone do not tell which: so the build measures it.
     */
    static double layoutCheck(FactorMatrix factors, FrozenGraph graph) {
        int n = factors.rows();
        if (n <= CHECK_K) {
            return 1.0;
        }
        SplittableRandom random = new SplittableRandom(CHECK_SEED);
        ExactScan exact = new ExactScan(factors);
        int queries = Math.min(CHECK_QUERIES, n);
        int[] ids = new int[CHECK_EF];
        float[] scores = new float[CHECK_EF];
        long hits = 0;
        long wanted = 0;
        for (int i = 0; i < queries; i++) {
            float[] q = factors.row(random.nextInt(n));
            if (!(norm(q) > 0)) {
                continue;
            }
            Candidates truth = exact.search(q, CHECK_K, RowFilter.ALL, Cancellation.NEVER);
            int found = GraphSearch.searchRaw(graph, q, CHECK_EF, ids, scores);
            // ties at the k-th score: any row scoring at least the exact k-th counts as a hit
            float kth = truth.scores()[truth.size() - 1];
            for (int j = 0; j < Math.min(CHECK_K, found); j++) {
                if (scores[j] >= kth) {
                    hits++;
                }
            }
            wanted += truth.size();
        }
        return wanted == 0 ? 1.0 : hits / (double) wanted;
    }

    /** Rows grouped by norm: range j holds norms in (M/2^(j+1), M/2^j], the last one everything shorter. */
    static int[][] splitByNorm(FactorMatrix factors) {
        int n = factors.rows();
        double max = 0;
        double[] norms = new double[n];
        for (int row = 0; row < n; row++) {
            norms[row] = factors.norm(row);
            max = Math.max(max, norms[row]);
        }
        int[] rangeOf = new int[n];
        int[] counts = new int[MAX_RANGES];
        for (int row = 0; row < n; row++) {
            int j = norms[row] > 0 && max > 0
                    ? (int) Math.min(MAX_RANGES - 1, Math.floor(Math.log(max / norms[row]) / Math.log(NORM_RATIO)))
                    : MAX_RANGES - 1;
            rangeOf[row] = j;
            counts[j]++;
        }
        int[][] out = new int[MAX_RANGES][];
        for (int j = 0; j < MAX_RANGES; j++) {
            out[j] = new int[counts[j]];
        }
        int[] fill = new int[MAX_RANGES];
        for (int row = 0; row < n; row++) {
            out[rangeOf[row]][fill[rangeOf[row]]++] = row;
        }
        return out;
    }

    private static FrozenGraph buildGraph(FactorMatrix factors, int[] rows, float maxNorm, HnswParams params,
                                          int threads, Runnable inserted, Cancellation cancel)
            throws InterruptedException {
        return new HnswConstruction(rawRows(factors, rows), factors.dim(), maxNorm, params.m(), params.efConstruction())
                .build(threads, inserted, cancel, maxNorm);
    }

    /**
     * Saves the graphs atomically (temporary file, fsync, rename) with a header naming the factors they
     * were built from.
     */
    public void save(Path file, String dataKey) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (AtomicFile atomic = AtomicFile.create(file)) {
            BulkIO.Writer out = new BulkIO.Writer(Channels.newChannel(atomic.stream()));
            out.putBytes(MAGIC).putInt(FILE_FORMAT).putString(dataKey).putInt(factors.rows()).putInt(factors.dim())
                    .putLong(factors.fingerprint()).putInt(params.m()).putInt(params.efConstruction())
                    .putInt(layout.global() ? 1 : 0).putFloat((float) layout.checkRecall()).putInt(ranges.length);
            for (Range r : ranges) {
                out.putFloat(r.maxNorm()).putInt(r.rows().length).putInts(r.rows(), 0, r.rows().length);
                r.graph().write(out);
            }
            out.flush();
            atomic.commit();
        }
    }

    /**
     * Loads graphs saved by {@link #save} for exactly these factors and build parameters.
     *
     * @throws StaleIndexException the file was built from other data or with other parameters (rebuild)
     * @throws IOException         the file cannot be read or is corrupt
     */
    public static MipsIndex load(Path file, FactorMatrix factors, String dataKey, HnswParams params)
            throws IOException, StaleIndexException {
        try (InputStream stream = Files.newInputStream(file)) {
            BulkIO.Reader in = new BulkIO.Reader(Channels.newChannel(stream));
            if (!Arrays.equals(in.getBytes(MAGIC.length), MAGIC)) {
                throw new IOException(file + ": not a Segue HNSW graph file");
            }
            int format = in.getInt();
            if (format != FILE_FORMAT) {
                throw new StaleIndexException(file + ": graph file format " + format + ", expected " + FILE_FORMAT
                        + (format < FILE_FORMAT ? " (built before the single-graph layout check)" : ""));
            }
            String key = in.getString(4096);
            int rows = in.getInt();
            int dim = in.getInt();
            long fingerprint = in.getLong();
            int savedM = in.getInt();
            int savedEfc = in.getInt();
            if (!key.equals(dataKey) || rows != factors.rows() || dim != factors.dim()
                    || savedM != params.m() || savedEfc != params.efConstruction()) {
                throw new StaleIndexException(file + ": built for " + key + " (" + rows + "x" + dim + ", M="
                        + savedM + ", efConstruction=" + savedEfc + "), wanted " + dataKey + " ("
                        + factors.rows() + "x" + factors.dim() + ", M=" + params.m() + ", efConstruction="
                        + params.efConstruction() + ")");
            }
            if (fingerprint != factors.fingerprint()) {
                throw new StaleIndexException(file + ": the factors changed since the graph was saved");
            }
            int layoutCode = in.getInt();
            float checkRecall = in.getFloat();
            int count = in.getInt();
            if ((layoutCode != 0 && layoutCode != 1) || (layoutCode == 1 && count != 1)) {
                throw new IOException(file + ": corrupt graph: layout " + layoutCode + " with " + count + " graphs");
            }
            if (count < 0 || count > MAX_RANGES) {
                throw new IOException(file + ": corrupt graph: " + count + " norm ranges");
            }
            Range[] ranges = new Range[count];
            boolean[] seen = new boolean[rows];
            for (int j = 0; j < count; j++) {
                float maxNorm = in.getFloat();
                int size = in.getInt();
                if (!(maxNorm > 0) || size < 1 || size > rows) {
                    throw new IOException(file + ": corrupt graph: range " + j + " of " + size + " rows");
                }
                int[] rangeRows = new int[size];
                in.getInts(rangeRows);
                for (int row : rangeRows) {
                    if (row < 0 || row >= rows || seen[row]) {
                        throw new IOException(file + ": corrupt graph: row " + row + " misplaced in range " + j);
                    }
                    seen[row] = true;
                }
                ranges[j] = new Range(maxNorm, rangeRows, FrozenGraph.read(in, size, dim,
                        rawRows(factors, rangeRows), maxNorm));
            }
            for (int row = 0; row < rows; row++) {
                if (!seen[row]) {
                    throw new IOException(file + ": corrupt graph: row " + row + " is in no range");
                }
            }
            return new MipsIndex(factors, ranges, params, new Layout(layoutCode == 1, checkRecall));
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IOException(file + ": corrupt graph: " + e.getMessage(), e);
        }
    }

    /**
     * The (approximately) {@code count} rows with the largest inner product with {@code query} among
     * those {@code filter} accepts, best first, scored exactly. One joint beam search of width
     * {@link HnswParams#beam beam(count)} walks all norm ranges at once, ranked by estimated inner product
     * ({@link RangedSearch#searchAll}): ranges are entered longest vectors first and only while their bound
     * {@code M_j·‖q‖} can still beat the results, and a range contributing few results costs few steps.
     * The search scores every node with the exact {@code x·q} (identical to {@link FactorMatrix#dot}), so the
     * rows the filter accepts among the beam's results are already ranked exactly: the best {@code count}
     * are kept, equal scores ordered by row as {@link dev.segue.math.ScoreHeap} orders them. A filter rejecting many rows leaves
     * fewer, so callers over-fetch.
     */
    public Candidates search(float[] query, int count, RowFilter filter) {
        checkQueryVector(query);
        int fetch = Math.min(count, factors.rows());
        if (fetch <= 0) {
            return Candidates.EMPTY;
        }
        double queryNorm = norm(query);
        int beam = Math.min(params.beam(fetch), factors.rows());
        float[] bound = new float[ranges.length];
        for (int j = 0; j < ranges.length; j++) {
            bound[j] = (float) (ranges[j].maxNorm() * queryNorm);
        }
        int[] ids = new int[beam];
        float[] scores = new float[beam];
        int found = layout.global()
                ? GraphSearch.searchRaw(graphs[0], query, beam, ids, scores)
                : FrozenGraph.searchAll(graphs, base, globalRows.length, bound, query, beam, ids, scores);
        int kept = 0;
        for (int i = 0; i < found && kept < fetch; i++) {
            int row = globalRows[ids[i]];
            if (filter.accept(row)) {
                ids[kept] = row;
                scores[kept] = scores[i];
                kept++;
            }
        }
        orderTiesByRow(ids, scores, kept);
        return new Candidates(ids, scores, kept);
    }

    /** Within runs of equal scores (best first), rows ascending — the order an exact scan's ScoreHeap gives. */
    static void orderTiesByRow(int[] ids, float[] scores, int n) {
        for (int i = 1; i < n; i++) {
            int id = ids[i];
            int j = i - 1;
            while (j >= 0 && scores[j] == scores[i] && ids[j] > id) {
                ids[j + 1] = ids[j];
                j--;
            }
            ids[j + 1] = id;
        }
    }

    /** Changes the search beam (ef, efFactor) of later searches; the graphs are unchanged. */
    public void setSearch(int ef, double efFactor) {
        params = params.withSearch(ef, efFactor);
    }

    public HnswParams params() {
        return params;
    }

    public FactorMatrix factors() {
        return factors;
    }

    public int size() {
        int n = 0;
        for (Range r : ranges) {
            n += r.rows().length;
        }
        return n;
    }

    /** Number of norm ranges (graphs). */
    public int rangeCount() {
        return ranges.length;
    }

    /** One line for logs and benchmarks: the layout and the layout check's recall that chose it. */
    public String describeLayout() {
        String check = Double.isNaN(layout.checkRecall()) ? "layout check not run"
                : String.format("layout check recall@%d %.3f at beam %d, needs %.2f", CHECK_K, layout.checkRecall(),
                        CHECK_EF, CHECK_RECALL);
        return layout.global() ? "one graph over all rows, global M (" + check + ")"
                : ranges.length + " norm ranges (" + check + " for one graph)";
    }

    /** Heap held by the graphs and range row lists (the factor matrix is shared and not counted). */
    public long graphHeapBytes() {
        long bytes = 0;
        for (Range r : ranges) {
            bytes += r.graph().heapBytes() + 16 + 4L * r.rows().length;
        }
        return bytes;
    }

    /** Checks the dimension and finiteness, and that the query is not zero. */
    private void checkQueryVector(float[] query) {
        factors.checkQuery(query);
        if (!(norm(query) > 0)) {
            throw new IllegalArgumentException("query vector is zero; it ranks every track equally");
        }
    }

    /** The rows' raw factor rows, packed in the given order. */
    private static float[] rawRows(FactorMatrix factors, int[] rows) {
        int d = factors.dim();
        float[] values = factors.values();
        float[] out = new float[Math.multiplyExact(rows.length, d)];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(values, rows[i] * d, out, i * d, d);
        }
        return out;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    static float maxNorm(FactorMatrix factors) {
        double max = 0;
        for (int row = 0; row < factors.rows(); row++) {
            max = Math.max(max, factors.norm(row));
        }
        return max > 0 ? (float) max : 1f;
    }

    /** {@code [x/M, sqrt(1 − ‖x‖²/M²)]}: unit length for {@code ‖x‖ ≤ M}. */
    static float[] itemVector(FactorMatrix factors, int row, float maxNorm) {
        int d = factors.dim();
        float[] values = factors.values();
        float[] out = new float[d + 1];
        double sq = 0;
        int off = row * d;
        for (int i = 0; i < d; i++) {
            double x = values[off + i] / (double) maxNorm;
            out[i] = (float) x;
            sq += x * x;
        }
        out[d] = (float) Math.sqrt(Math.max(0, 1 - sq));
        return out;
    }

    /** A saved graph that belongs to other data or parameters; rebuild instead of using it. */
    public static final class StaleIndexException extends Exception {
        private static final long serialVersionUID = 1L;

        public StaleIndexException(String message) {
            super(message);
        }
    }
}
