package dev.segue.store.beam;

import dev.segue.store.Batch;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureStore;
import dev.segue.store.FileEntry;
import dev.segue.store.Manifest;
import dev.segue.store.PartScanner;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;
import dev.segue.store.io.StoreFileIOs;
import dev.segue.store.PartSummary;
import dev.segue.store.Validator;
import dev.segue.store.WriteOptions;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Beam transforms for feature sets, runner-independent.
 * <pre>
 * PCollection&lt;String&gt; version = batches.apply(FeatureSetIO.write(root, schema, WriteOptions.producer("als")));
 * PCollection&lt;Batch&gt; rows = p.apply(FeatureSetIO.read(root, "track_factors"));
 * </pre>
 * The store root must be a folder all workers see: a local path for the DirectRunner and an embedded Flink
 * cluster, a shared mount or a store URI ({@code hdfs://namenode:8020/store}, served by a
 * {@link dev.segue.store.io.StoreFileIOProvider} on the workers' class path) on a cluster. Parts of a local store
 * are written by Beam's {@link FileIO}, parts of a store elsewhere through the store's own file IO.
 */
public final class FeatureSetIO {
    /** Manifest parameter holding the id of the Beam write that produced a version (makes the commit idempotent). */
    public static final String WRITE_ID = "segue.beam_write_id";

    private FeatureSetIO() {
    }

    /** Writes the input batches as one new version and outputs its id once committed. */
    public static Write write(String storeRoot, FeatureSetSchema schema, WriteOptions options) {
        return new Write(storeRoot, schema, options);
    }

    /** Reads the latest version (resolved when the pipeline is built) as batches. */
    public static Read read(String storeRoot, String name) {
        return new Read(storeRoot, name, "latest", List.of());
    }

    /**
     * Parts are written by {@link ArrowPartSink} through {@link FileIO} into a private staging folder; each
     * finished part is summarized (size, CRC32C, statistics, keys) in parallel; a single commit step then runs
     * after all of them (it consumes a global combine of every summary) and writes the manifest.
     */
    public static final class Write extends PTransform<PCollection<Batch>, PCollection<String>> {
        private final String storeRoot;
        private final FeatureSetSchema schema;
        private final WriteOptions options;
        private final Map<String, PCollectionView<String>> inputs;

        Write(String storeRoot, FeatureSetSchema schema, WriteOptions options) {
            this(storeRoot, schema, options, Map.of());
        }

        private Write(String storeRoot, FeatureSetSchema schema, WriteOptions options,
                      Map<String, PCollectionView<String>> inputs) {
            this.storeRoot = storeRoot;
            this.schema = schema;
            this.options = options;
            this.inputs = inputs;
        }

        /**
         * Records in the manifest's inputs that this version is built from the version of {@code set} that
         * {@code version} (a singleton view, e.g. of another write's output) holds; the commit waits for it.
         */
        public Write withInput(String set, PCollectionView<String> version) {
            Map<String, PCollectionView<String>> more = new TreeMap<>(inputs);
            more.put(set, version);
            return new Write(storeRoot, schema, options, more);
        }

        @Override
        public PCollection<String> expand(PCollection<Batch> input) {
            FeatureStore store = FeatureStore.open(storeRoot); // fail at construction if the root cannot be created
            String writeId = UUID.randomUUID().toString();
            WriteOptions tagged = options.copy().param(WRITE_ID, writeId);
            PCollection<Batch> valid = input
                    .apply("ValidateBatches", ParDo.of(new ValidateFn(schema))).setCoder(BatchCoder.of());
            String staging;
            PCollection<String> partFiles;
            if (store.isLocal()) {
                staging = store.root().resolve(schema.name()).resolve("_staging").resolve("beam-" + writeId).toString();
                WriteFilesResult<Void> written = valid
                        .apply("WriteParts", FileIO.<Batch>write().via(new ArrowPartSink(schema, options))
                                .to(staging).withNaming(new PartNaming()));
                partFiles = written.getPerDestinationOutputFilenames().apply("PartFiles", Values.create());
            } else {
                // a store on another file system (hdfs://): every worker writes its parts there through the store's
                // own file IO, which needs no Beam file system or --hdfsConfiguration, only the root's URI
                store.checkWritable(); // a root without write permission: one line now, not a failed worker later
                staging = store.rootLocation().resolve(schema.name()).resolve("_staging").resolve("beam-" + writeId)
                        .toString();
                partFiles = valid.apply("WriteParts", ParDo.of(new WritePartsFn(store.location(), schema, options, staging)))
                        .setCoder(StringUtf8Coder.of());
            }
            return partFiles
                    .apply("SpreadParts", Reshuffle.viaRandomKey())
                    .apply("SummarizeParts", ParDo.of(new SummarizeFn(storeRoot, schema)))
                    .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(PartSummary.class)))
                    .apply("AllParts", Combine.globally(new ToListFn()))
                    .apply("Commit", ParDo.of(new CommitFn(storeRoot, schema, tagged, writeId, staging, inputs))
                            .withSideInputs(inputs.values().toArray(new PCollectionView<?>[0])))
                    .setCoder(StringUtf8Coder.of());
        }
    }

    /**
     * Writes the batches of a bundle as one part, {@code STAGING/part-<uuid>.arrow}, through the store's file IO
     * ({@link ArrowPartSink} on a channel of {@link StoreFileIO#create}, which makes the bytes durable when closed),
     * and outputs its location when the bundle finishes. A bundle that fails or is retried leaves its part
     * unlisted; the commit deletes the staging folder with it.
     */
    static final class WritePartsFn extends DoFn<Batch, String> {
        private final String storeRoot;
        private final FeatureSetSchema schema;
        private final WriteOptions options;
        private final String staging;
        private transient StoreFileIO io;
        private transient ArrowPartSink sink;
        private transient java.nio.channels.WritableByteChannel channel;
        private transient Location part;

        WritePartsFn(String storeRoot, FeatureSetSchema schema, WriteOptions options, String staging) {
            this.storeRoot = storeRoot;
            this.schema = schema;
            this.options = options;
            this.staging = staging;
        }

        @Setup
        public void setup() {
            io = StoreFileIOs.forRoot(Location.of(storeRoot));
        }

        @ProcessElement
        public void process(@Element Batch batch) throws IOException {
            if (sink == null) {
                part = Location.of(staging).resolve("part-" + UUID.randomUUID() + ".arrow");
                channel = io.create(part);
                sink = new ArrowPartSink(schema, options);
                sink.open(channel);
            }
            sink.write(batch);
        }

        @FinishBundle
        public void finishBundle(FinishBundleContext c) throws IOException {
            if (sink == null) {
                return;
            }
            try {
                sink.flush();
                channel.close();
            } finally {
                sink = null;
                channel = null;
            }
            c.output(part.toString(), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
        }

        @Teardown
        public void teardown() {
            if (channel != null) { // a failed bundle: its part stays unlisted in the staging folder
                try {
                    channel.close();
                } catch (IOException | RuntimeException ignored) {
                    // the commit (or gc) removes the staging folder
                }
                channel = null;
                sink = null;
            }
        }
    }

    /**
     * {@code part-SSSSS-of-NNNNN-<uuid>.arrow}: FileIO's default {@code part-SSSSS-of-NNNNN} is unique only when the
     * runner finalizes all of a write's bundles as one group. Beam's SparkRunner finalized the bundles of a write fed
     * by three user shards (the churn features) as three groups of one, all named {@code part-00000-of-00001}: each
     * overwrote the last and two thirds of the rows were lost. A random suffix per file keeps every part (the commit
     * orders parts by name, so the shard index still leads).
     */
    static final class PartNaming implements FileIO.Write.FileNaming {
        private static final long serialVersionUID = 1L;

        @Override
        public String getFilename(org.apache.beam.sdk.transforms.windowing.BoundedWindow window,
                                  org.apache.beam.sdk.transforms.windowing.PaneInfo pane, int numShards, int shardIndex,
                                  org.apache.beam.sdk.io.Compression compression) {
            return String.format(java.util.Locale.ROOT, "part-%05d-of-%05d-%s.arrow", shardIndex, numShards, UUID.randomUUID());
        }
    }

    static final class ValidateFn extends DoFn<Batch, Batch> {
        private final FeatureSetSchema schema;

        ValidateFn(FeatureSetSchema schema) {
            this.schema = schema;
        }

        @ProcessElement
        public void process(@Element Batch b, OutputReceiver<Batch> out) {
            Validator.validate(schema, b, 0); // rows in messages count from the start of the offending batch
            out.output(b);
        }
    }

    static final class SummarizeFn extends DoFn<String, KV<String, PartSummary>> {
        private final String storeRoot;
        private final FeatureSetSchema schema;
        private transient StoreFileIO io;

        SummarizeFn(String storeRoot, FeatureSetSchema schema) {
            this.storeRoot = storeRoot;
            this.schema = schema;
        }

        @ProcessElement
        public void process(@Element String file, OutputReceiver<KV<String, PartSummary>> out) {
            if (StoreFileIOs.isLocal(file)) {
                Path p = Paths.get(file);
                out.output(KV.of(file, PartScanner.summarize(p, p.getFileName().toString(), schema)));
            } else { // a part on the store's own file system (hdfs://...)
                if (io == null) {
                    io = StoreFileIOs.forRoot(Location.of(storeRoot));
                }
                Location l = Location.of(file);
                out.output(KV.of(file, PartScanner.summarize(io, l, l.name(), schema)));
            }
        }
    }

    /** Collects every part summary into one list (an empty list when nothing was written). */
    static final class ToListFn extends Combine.CombineFn<KV<String, PartSummary>, List<KV<String, PartSummary>>,
            List<KV<String, PartSummary>>> {
        @Override
        public List<KV<String, PartSummary>> createAccumulator() {
            return new ArrayList<>();
        }

        @Override
        public List<KV<String, PartSummary>> addInput(List<KV<String, PartSummary>> acc, KV<String, PartSummary> in) {
            acc.add(in);
            return acc;
        }

        @Override
        public List<KV<String, PartSummary>> mergeAccumulators(Iterable<List<KV<String, PartSummary>>> accs) {
            List<KV<String, PartSummary>> out = new ArrayList<>();
            accs.forEach(out::addAll);
            return out;
        }

        @Override
        public List<KV<String, PartSummary>> extractOutput(List<KV<String, PartSummary>> acc) {
            return acc;
        }

        @Override
        public org.apache.beam.sdk.coders.Coder<List<KV<String, PartSummary>>> getAccumulatorCoder(
                org.apache.beam.sdk.coders.CoderRegistry registry,
                org.apache.beam.sdk.coders.Coder<KV<String, PartSummary>> inputCoder) {
            return ListCoder.of(inputCoder);
        }

        @Override
        public org.apache.beam.sdk.coders.Coder<List<KV<String, PartSummary>>> getDefaultOutputCoder(
                org.apache.beam.sdk.coders.CoderRegistry registry,
                org.apache.beam.sdk.coders.Coder<KV<String, PartSummary>> inputCoder) {
            return ListCoder.of(inputCoder);
        }
    }

    static final class CommitFn extends DoFn<List<KV<String, PartSummary>>, String> {
        private final String storeRoot;
        private final FeatureSetSchema schema;
        private final WriteOptions options;
        private final String writeId;
        private final String staging;
        private final Map<String, PCollectionView<String>> inputs;

        CommitFn(String storeRoot, FeatureSetSchema schema, WriteOptions options, String writeId, String staging,
                 Map<String, PCollectionView<String>> inputs) {
            this.storeRoot = storeRoot;
            this.schema = schema;
            this.options = options;
            this.writeId = writeId;
            this.staging = staging;
            this.inputs = inputs;
        }

        @ProcessElement
        public void process(ProcessContext c) throws IOException {
            List<KV<String, PartSummary>> parts = c.element();
            WriteOptions options = this.options.copy();
            inputs.forEach((set, view) -> options.input(set, c.sideInput(view)));
            commit(parts, options, c::output);
        }

        private void commit(List<KV<String, PartSummary>> parts, WriteOptions options,
                            java.util.function.Consumer<String> out) throws IOException {
            FeatureStore store = FeatureStore.open(storeRoot);
            // a runner may retry this step after it committed: the write id in the manifest says so
            if (store.list().contains(schema.name())) {
                for (Manifest m : store.versions(schema.name())) {
                    if (writeId.equals(m.parameters().get(WRITE_ID))) {
                        deleteStaging(store);
                        out.accept(m.version());
                        return;
                    }
                }
            }
            List<KV<String, PartSummary>> sorted = new ArrayList<>(parts);
            sorted.sort(Comparator.comparing(KV::getKey));
            List<String> files = new ArrayList<>();
            List<PartSummary> summaries = new ArrayList<>();
            for (KV<String, PartSummary> kv : sorted) {
                if (kv.getValue().entry().rows() > 0 || sorted.size() == 1) {
                    files.add(kv.getKey());
                    summaries.add(kv.getValue());
                }
            }
            String version;
            if (files.isEmpty()) {
                // no part at all (empty input): commit an empty version so the schema is still recorded
                try (var w = store.writer(schema, options)) {
                    version = w.commit();
                }
            } else if (StoreFileIOs.isLocal(files.get(0))) {
                version = store.commitParts(schema, options, files.stream().map(Paths::get).toList(), summaries).version();
            } else { // parts Beam wrote on the store's own file system: renamed in, as locally
                version = store.commitPartFiles(schema, options, files.stream().map(Location::of).toList(), summaries).version();
            }
            deleteStaging(store); // FileIO's temporary folder and empty parts
            out.accept(version);
        }

        private void deleteStaging(FeatureStore store) throws IOException {
            if (StoreFileIOs.isLocal(staging)) {
                deleteTree(Paths.get(staging));
            } else {
                store.io().deleteTree(Location.of(staging));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Reads one version as its record batches, spread over workers one batch per element. */
    public static final class Read extends PTransform<PBegin, PCollection<Batch>> {
        private final String storeRoot;
        private final String name;
        private final String version;
        private final List<String> columns;

        Read(String storeRoot, String name, String version, List<String> columns) {
            this.storeRoot = storeRoot;
            this.name = name;
            this.version = version;
            this.columns = List.copyOf(columns);
        }

        /** A named version (id like v000003) instead of the latest. */
        public Read withVersion(String v) {
            return new Read(storeRoot, name, v, columns);
        }

        /** Only these columns. */
        public Read withColumns(List<String> cols) {
            return new Read(storeRoot, name, version, cols);
        }

        @Override
        public PCollection<Batch> expand(PBegin begin) {
            Manifest m = FeatureStore.open(storeRoot).manifest(name, version);
            List<KV<Integer, Integer>> blocks = new ArrayList<>();
            for (int p = 0; p < m.files().size(); p++) {
                FileEntry f = m.files().get(p);
                long batches = (f.rows() + f.batchRows() - 1) / f.batchRows();
                for (int b = 0; b < batches; b++) {
                    blocks.add(KV.of(p, b));
                }
            }
            return begin.apply("Blocks", Create.of(blocks).withCoder(KvCoder.of(VarIntCoder.of(), VarIntCoder.of())))
                    .apply("Spread", Reshuffle.viaRandomKey())
                    .apply("ReadBlocks", ParDo.of(new ReadFn(storeRoot, name, m.version(), columns)))
                    .setCoder(BatchCoder.of());
        }
    }

    static final class ReadFn extends DoFn<KV<Integer, Integer>, Batch> {
        private final String storeRoot;
        private final String name;
        private final String version;
        private final List<String> columns;
        private transient FeatureSetReader reader;

        ReadFn(String storeRoot, String name, String version, List<String> columns) {
            this.storeRoot = storeRoot;
            this.name = name;
            this.version = version;
            this.columns = columns;
        }

        @ProcessElement
        public void process(@Element KV<Integer, Integer> block, OutputReceiver<Batch> out) {
            if (reader == null) {
                reader = FeatureStore.open(storeRoot).read(name, version);
            }
            out.output(reader.readBatch(block.getKey(), block.getValue(), columns));
        }

        @Teardown
        public void teardown() {
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
    }
}
