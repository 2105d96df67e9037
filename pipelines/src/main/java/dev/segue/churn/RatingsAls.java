package dev.segue.churn;

import dev.segue.als.WrmfParams;
import dev.segue.als.beam.AlsConfig;
import dev.segue.als.beam.FactorExchange;
import dev.segue.als.beam.ImplicitAls;
import dev.segue.als.beam.RowBlock;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.format.FeatureSetContracts.SongFactors;
import dev.segue.format.FeatureSetContracts.UserFactors;
import dev.segue.pipelines.ContractSchemas;
import dev.segue.store.Manifest;
import dev.segue.store.WriteOptions;
import dev.segue.store.io.StoreFileIOs;
import dev.segue.store.beam.StoreRunOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Users × songs factors from {@code user_song_ratings} with the continuation pipeline's implicit ALS
 * ({@link ImplicitAls}, unchanged): the latest ratings version becomes a {@link RatingsMatrix} (dense indices in
 * ascending uid / song id), both CSR sides are cut into {@link RowBlock}s of {@code --ratingsBlockRows} rows
 * with confidence {@code c = 1 + α·rating} ({@link WrmfParams#confidence}), and the final factors are written
 * as {@code user_factors} (key {@code uid}) and {@code song_factors} (key {@code song_id}). Both manifests
 * carry the ALS parameters (the fold-in needs them, as for {@code track_factors}), the ratings version they
 * come from, the final loss and the loss history.
 *
 * <pre>
 * java dev.segue.churn.RatingsAls --store=DIR [--ratingsFactors=32] [--ratingsIterations=10] [--runner=...]
 * </pre>
 *
 * The ratings are read by the launcher (the matrix of one feature window: 20K users × 250K ratings for the
 * {@code medium} preset) and enter the pipeline as row blocks; the factorisation itself runs on the runner.
 */
public final class RatingsAls {
    public static final String PRODUCER = "segue-churn-als";
    public static final String USER_FACTORS = UserFactors.NAME;
    public static final String SONG_FACTORS = SongFactors.NAME;
    public static final String FACTORS = UserFactors.FACTORS;

    private RatingsAls() {}

    /** What a run wrote. */
    public record Result(String ratingsVersion, int users, int songs, int ratings, double[] lossHistory,
                         String userVersion, String songVersion, double seconds) {
        public String summary() {
            return String.format(java.util.Locale.ROOT, "ratings ALS: %,d users x %,d songs, %,d ratings (%s), loss %s"
                            + " -> %s over %d iterations in %.1f s; wrote %s %s and %s %s", users, songs, ratings,
                    ratingsVersion, lossHistory.length == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.6g", lossHistory[0]),
                    lossHistory.length == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.6g", lossHistory[lossHistory.length - 1]),
                    lossHistory.length, seconds, USER_FACTORS, userVersion, SONG_FACTORS, songVersion);
        }
    }

    public static void main(String[] args) {
        PipelineOptionsFactory.register(RatingsAlsOptions.class);
        RatingsAlsOptions o = PipelineOptionsFactory.fromArgs(args).withValidation().as(RatingsAlsOptions.class);
        System.out.println(run(o).summary());
    }

    public static FeatureSetSchema userFactors(int dim) {
        return ContractSchemas.schema(UserFactors.CONTRACT, dim);
    }

    public static FeatureSetSchema songFactors(int dim) {
        return ContractSchemas.schema(SongFactors.CONTRACT, dim);
    }

    /** The ALS settings, checked; a bad value names its option. */
    public static AlsConfig config(RatingsAlsOptions o) {
        if (o.getRatingsBlockRows() < 1) {
            throw new IllegalArgumentException("--ratingsBlockRows must be positive, got " + o.getRatingsBlockRows());
        }
        try {
            WrmfParams wrmf = new WrmfParams(o.getRatingsAlpha(), o.getRatingsRegularization(), o.getRatingsCgSteps(),
                    false, 1.0);
            return new AlsConfig(wrmf, o.getRatingsFactors(), o.getRatingsIterations(), o.getRatingsSeed(), 0.01,
                    FactorExchange.AUTO, AlsConfig.DEFAULT_BROADCAST_LIMIT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad ratings ALS setting: " + e.getMessage(), e);
        }
    }

    /** Reads the latest ratings, factorises them, writes both factor sets and waits. */
    public static Result run(RatingsAlsOptions o) {
        dev.segue.pipelines.RunnerCheck.check(o); // before the run begins: a runner or cluster that cannot start leaves no trace
        AlsConfig config = config(o);
        boolean ownsRun = StoreRunOptions.begin(o);
        String run = o.getStoreRun();
        String root = StoreFileIOs.absolute(o.getStore());
        FeatureStore store = FeatureStore.open(root);
        if (!store.isLocal()) {
            store.checkWritable(); // hdfs:// without write permission: one line before anything runs
        }
        if (!store.list().contains(ChurnSchemas.RATINGS)) {
            throw new IllegalArgumentException("store " + root + " has no " + ChurnSchemas.RATINGS
                    + " (run segue pipeline churn first)");
        }
        RatingsMatrix m;
        String ratingsVersion;
        // chained after a churn run: that run's ratings (not yet "latest": its snapshot comes after these factors)
        String ratingsRef = ownsRun ? "latest" : store.runVersion(ChurnSchemas.RATINGS, run).map(Manifest::version)
                .orElse("latest");
        try (FeatureSetReader r = store.read(ChurnSchemas.RATINGS, ratingsRef)) {
            ratingsVersion = r.version();
            m = RatingsMatrix.read(r);
        }
        if (m.userIds().length == 0) {
            throw new IllegalArgumentException(ChurnSchemas.RATINGS + " " + ratingsVersion + " has no rows");
        }
        config = exchangeFor(config, m);
        long t0 = System.nanoTime();
        Pipeline p = Pipeline.create(o);
        Map<String, String> params = new LinkedHashMap<>(config.toParameters());
        params.put("ratings_version", ratingsVersion);
        params.put(WriteOptions.RUN, run);
        params.put("block_rows", Integer.toString(o.getRatingsBlockRows()));
        build(p, m, config, o.getRatingsBlockRows(), root.toString(), params);
        PipelineResult.State state = p.run().waitUntilFinish();
        if (state != PipelineResult.State.DONE) {
            throw new IllegalStateException("ratings ALS pipeline ended in state " + state);
        }
        if (ownsRun) {
            store.commitRun(run, PRODUCER, List.of(USER_FACTORS, SONG_FACTORS));
        }
        Manifest users = store.runVersion(USER_FACTORS, run).orElseThrow();
        Manifest songs = store.runVersion(SONG_FACTORS, run).orElseThrow();
        double[] history = Arrays.stream(users.parameters().get("loss_history").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        return new Result(ratingsVersion, m.userIds().length, m.songIds().length, m.users().cols().length, history,
                users.version(), songs.version(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The matrix size is known before the pipeline is built, so the factor exchange is fixed here rather than
     * left to {@link FactorExchange#AUTO} (which builds both paths and routes at run time): broadcast when the
     * larger side's packed factors fit the broadcast limit, shuffle otherwise.
     */
    static AlsConfig exchangeFor(AlsConfig c, RatingsMatrix m) {
        long largest = Math.max(m.userIds().length, m.songIds().length) * (long) c.factors() * Float.BYTES;
        FactorExchange exchange = largest <= c.broadcastLimitBytes() ? FactorExchange.BROADCAST : FactorExchange.SHUFFLE;
        return new AlsConfig(c.wrmf(), c.factors(), c.iterations(), c.seed(), c.initScale(), exchange,
                c.broadcastLimitBytes());
    }

    /** The factorisation and the two writes, built into {@code p}. */
    public static ImplicitAls.Result build(Pipeline p, RatingsMatrix m, AlsConfig config, int blockRows, String store,
                                           Map<String, String> params) {
        PCollection<RowBlock> users = p.apply("UserBlocks",
                Create.of(blocks(m.users(), m.userIds(), blockRows, config.wrmf())).withCoder(RowBlock.Coder.of()));
        PCollection<RowBlock> songs = p.apply("SongBlocks",
                Create.of(blocks(m.items(), null, blockRows, config.wrmf())).withCoder(RowBlock.Coder.of()));
        ImplicitAls.Result als = PCollectionTuple.of(ImplicitAls.USERS, users).and(ImplicitAls.ITEMS, songs)
                .apply("ALS", new ImplicitAls(config));
        PCollectionView<double[]> losses = als.lossHistory().apply("LossHistoryView", View.asSingleton());
        write(als.users(), new WriteFactorsFn(store, userFactors(config.factors()), params, losses, null), "Users");
        write(als.items(), new WriteFactorsFn(store, songFactors(config.factors()), params, losses, m.songIds()), "Songs");
        return als;
    }

    private static void write(PCollection<RowBlock> blocks, WriteFactorsFn fn, String name) {
        blocks.apply("One" + name + "Writer", WithKeys.<Integer, RowBlock>of(0).withKeyType(TypeDescriptors.integers()))
                .setCoder(KvCoder.of(VarIntCoder.of(), RowBlock.Coder.of()))
                .apply("All" + name, GroupByKey.create())
                .apply("Write" + name + "Factors", ParDo.of(fn).withSideInputs(fn.losses))
                .setCoder(StringUtf8Coder.of());
    }

    /**
     * One side of the matrix as row blocks of {@code blockRows} consecutive rows (global column indices,
     * confidences {@code c = 1 + α·rating}); {@code keys} (the uids of the user side) ride along.
     */
    static List<RowBlock> blocks(RatingsMatrix.Csr csr, long[] keys, int blockRows, WrmfParams wrmf) {
        List<RowBlock> out = new ArrayList<>();
        int rows = csr.rows();
        for (int first = 0, id = 0; first < rows; first += blockRows, id++) {
            int n = Math.min(blockRows, rows - first);
            int from = csr.rowStart()[first];
            int to = csr.rowStart()[first + n];
            int[] rowStart = new int[n + 1];
            for (int r = 0; r <= n; r++) {
                rowStart[r] = csr.rowStart()[first + r] - from;
            }
            float[] conf = new float[to - from];
            for (int k = from; k < to; k++) {
                conf[k - from] = (float) wrmf.confidence(csr.values()[k]);
            }
            out.add(new RowBlock(id, first, rowStart, Arrays.copyOfRange(csr.cols(), from, to), conf,
                    keys == null ? null : Arrays.copyOfRange(keys, first, first + n), 0, null));
        }
        return out;
    }

    /**
     * Writes one side's factors in row order as a new version, with the loss history in the manifest (known
     * only once the last iteration ran). User rows are keyed by the blocks' uids, song rows by {@code songIds}.
     */
    static final class WriteFactorsFn extends DoFn<KV<Integer, Iterable<RowBlock>>, String> {
        private static final long serialVersionUID = 1L;
        private final String store;
        private final FeatureSetSchema schema;
        private final Map<String, String> params;
        final PCollectionView<double[]> losses;
        private final String[] songIds;

        WriteFactorsFn(String store, FeatureSetSchema schema, Map<String, String> params,
                       PCollectionView<double[]> losses, String[] songIds) {
            this.store = store;
            this.schema = schema;
            this.params = new LinkedHashMap<>(params);
            this.losses = losses;
            this.songIds = songIds;
        }

        @ProcessElement
        public void process(ProcessContext c) {
            double[] history = c.sideInput(losses);
            List<RowBlock> blocks = new ArrayList<>();
            c.element().getValue().forEach(blocks::add);
            blocks.sort((a, b) -> Integer.compare(a.rowOffset(), b.rowOffset()));
            WriteOptions options = WriteOptions.producer(PRODUCER).params(params)
                    .params(ImplicitAls.lossParameters(history));
            if (params.get("ratings_version") != null) {
                options.input(ChurnSchemas.RATINGS, params.get("ratings_version"));
            }
            String version;
            try (FeatureSetWriter w = FeatureStore.open(store).writer(schema, options)) {
                for (RowBlock b : blocks) {
                    Batch.Builder rows = Batch.builder(b.rows());
                    if (songIds == null) {
                        rows.longs(ChurnSchemas.UID, b.keys());
                    } else {
                        rows.strings(ChurnSchemas.SONG_ID,
                                Arrays.copyOfRange(songIds, b.rowOffset(), b.rowOffset() + b.rows()));
                    }
                    w.append(rows.embeddings(FACTORS, b.dim(), b.factors(), null).build());
                }
                version = w.commit();
            }
            c.output(version);
        }
    }
}
