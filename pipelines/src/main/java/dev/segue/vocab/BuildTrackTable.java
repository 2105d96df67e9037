package dev.segue.vocab;

import dev.segue.pipelines.coders.BinaryArrays;
import dev.segue.pipelines.coders.DataCoder;
import dev.segue.pipelines.progress.Progress;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Merges the ingest's track aggregates (one per group of slice files) into the track table: partials are split into {@code shards} by URI
 * fingerprint and merged per shard in parallel; only (fingerprint, occurrences, URI) of every track meet
 * in one place, to assign the dense ids (descending occurrences in every playlist, then URI) and pack the
 * {@link TrackVocabulary} broadcast. The final rows come out per shard, sorted by id, with the statistics of the
 * first-stage playlists ({@link TrackPartial}): the ranker holdout is counted in the carried partials, so leaving
 * it out needs no second pass over the playlists and no side input.
 */
public final class BuildTrackTable extends PTransform<PCollection<TrackPartial>, BuildTrackTable.Result> {
    private static final long serialVersionUID = 1L;
    private final int shards;

    public BuildTrackTable(int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be positive, got " + shards);
        }
        this.shards = shards;
    }

    @Override
    public Result expand(PCollection<TrackPartial> partials) {
        PCollection<TrackPartial> merged = partials
                .apply("SplitByShard", ParDo.of(new SplitFn(shards)))
                .setCoder(KvCoder.of(VarIntCoder.of(), TrackPartial.Coder.of()))
                .apply("GroupShards", GroupByKey.create())
                .apply("MergeShards", ParDo.of(new MergeFn()))
                .setCoder(TrackPartial.Coder.of());
        PCollection<TrackVocabulary> vocabulary = merged
                .apply("RankEntries", ParDo.of(new RankEntriesFn()))
                .setCoder(RankEntries.Coder.of())
                .apply("AssignIds", Combine.globally(new AssignIdsFn()))
                .setCoder(TrackVocabulary.Coder.of());
        PCollectionView<TrackVocabulary> view = vocabulary.apply("VocabularyView", View.asSingleton());
        PCollection<TrackRows> rows = merged
                .apply("TrackRows", ParDo.of(new RowsFn(view)).withSideInputs(view))
                .setCoder(TrackRows.Coder.of());
        return new Result(partials.getPipeline(), vocabulary, view, rows);
    }

    /** The vocabulary (as a collection and as a broadcast view) and the final track rows. */
    public static final class Result implements POutput {
        private final Pipeline pipeline;
        private final PCollection<TrackVocabulary> vocabulary;
        private final PCollectionView<TrackVocabulary> vocabularyView;
        private final PCollection<TrackRows> rows;

        Result(Pipeline pipeline, PCollection<TrackVocabulary> vocabulary, PCollectionView<TrackVocabulary> view,
                PCollection<TrackRows> rows) {
            this.pipeline = pipeline;
            this.vocabulary = vocabulary;
            this.vocabularyView = view;
            this.rows = rows;
        }

        public PCollection<TrackVocabulary> vocabulary() {
            return vocabulary;
        }

        public PCollectionView<TrackVocabulary> vocabularyView() {
            return vocabularyView;
        }

        public PCollection<TrackRows> rows() {
            return rows;
        }

        @Override
        public Pipeline getPipeline() {
            return pipeline;
        }

        @Override
        public Map<TupleTag<?>, PValue> expand() {
            return Map.of(new TupleTag<TrackVocabulary>("vocabulary"), vocabulary, new TupleTag<TrackRows>("rows"), rows);
        }

        @Override
        public void finishSpecifyingOutput(String transformName, PInput input,
                org.apache.beam.sdk.transforms.PTransform<?, ?> transform) {
        }
    }

    static final class RankEntriesFn extends DoFn<TrackPartial, RankEntries> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element TrackPartial p, OutputReceiver<RankEntries> out) {
            out.output(new RankEntries(p.hash, p.occurrences, p.uri));
        }
    }

    static final class SplitFn extends DoFn<TrackPartial, KV<Integer, TrackPartial>> {
        private static final long serialVersionUID = 1L;
        private final int shards;

        SplitFn(int shards) {
            this.shards = shards;
        }

        @ProcessElement
        public void process(@Element TrackPartial p, OutputReceiver<KV<Integer, TrackPartial>> out) {
            TrackPartial[] parts = p.split(shards);
            for (int s = 0; s < shards; s++) {
                if (parts[s].size() > 0) {
                    out.output(KV.of(s, parts[s]));
                }
            }
        }
    }

    static final class MergeFn extends DoFn<KV<Integer, Iterable<TrackPartial>>, TrackPartial> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element KV<Integer, Iterable<TrackPartial>> shard, OutputReceiver<TrackPartial> out) {
            List<TrackPartial> parts = new ArrayList<>();
            shard.getValue().forEach(parts::add);
            out.output(TrackPartial.merge(parts));
        }
    }

    /** Applies the vocabulary to a merged shard. */
    static final class RowsFn extends DoFn<TrackPartial, TrackRows> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<TrackVocabulary> view;

        RowsFn(PCollectionView<TrackVocabulary> view) {
            this.view = view;
        }

        @ProcessElement
        public void process(@Element TrackPartial p, OutputReceiver<TrackRows> out, ProcessContext c) {
            TrackVocabulary vocab = c.sideInput(view);
            int n = p.size();
            int[] id = new int[n];
            for (int i = 0; i < n; i++) {
                id[i] = vocab.id(p.hash[i]);
                if (id[i] < 0) {
                    throw new IllegalStateException("track " + p.uri[i] + " is missing from the vocabulary");
                }
            }
            int[] order = IndexSort.sort(n, (a, b) -> Integer.compare(id[a], id[b]));
            TrackRows rows = new TrackRows(new int[n], new String[n], new String[n], new String[n], new String[n],
                    new String[n], new String[n], new long[n], new long[n], new long[n], new double[n]);
            for (int k = 0; k < n; k++) {
                int i = order[k];
                rows.ids()[k] = id[i];
                rows.uri()[k] = p.uri[i];
                rows.trackName()[k] = p.trackName[i];
                rows.artistUri()[k] = p.artistUri[i];
                rows.artistName()[k] = p.artistName[i];
                rows.albumUri()[k] = p.albumUri[i];
                rows.albumName()[k] = p.albumName[i];
                rows.durationMs()[k] = p.durationMs[i];
                // the statistics over the first stage's playlists: never the ranker's labels
                rows.occurrences()[k] = p.firstStageOccurrences[i];
                rows.playlists()[k] = p.firstStagePlaylists[i];
                rows.meanRelativePosition()[k] = p.meanRelativePosition(i);
            }
            out.output(rows);
        }
    }

    /** What the id assignment needs of a shard. */
    record RankEntries(long[] hash, long[] occurrences, String[] uri) {
        static final class Coder extends DataCoder<RankEntries> {
            private static final long serialVersionUID = 1L;

            static Coder of() {
                return new Coder();
            }

            @Override
            protected void write(DataOutputStream out, RankEntries v) throws IOException {
                BinaryArrays.writeLongs(out, v.hash);
                BinaryArrays.writeLongs(out, v.occurrences);
                BinaryArrays.writeStrings(out, v.uri);
            }

            @Override
            protected RankEntries read(DataInputStream in) throws IOException {
                return new RankEntries(BinaryArrays.readLongs(in), BinaryArrays.readLongs(in),
                        BinaryArrays.readStrings(in));
            }
        }
    }

    /** Collects the shards' entries (by reference) and ranks them once in the output step. */
    static final class AssignIdsFn extends Combine.CombineFn<RankEntries, List<RankEntries>, TrackVocabulary> {
        private static final long serialVersionUID = 1L;

        @Override
        public List<RankEntries> createAccumulator() {
            return new ArrayList<>();
        }

        @Override
        public List<RankEntries> addInput(List<RankEntries> acc, RankEntries input) {
            acc.add(input);
            return acc;
        }

        @Override
        public List<RankEntries> mergeAccumulators(Iterable<List<RankEntries>> accs) {
            List<RankEntries> out = new ArrayList<>();
            for (List<RankEntries> a : accs) {
                out.addAll(a);
            }
            return out;
        }

        @Override
        public TrackVocabulary extractOutput(List<RankEntries> acc) {
            int n = 0;
            for (RankEntries e : acc) {
                n += e.hash.length;
            }
            long[] hash = new long[n];
            long[] occ = new long[n];
            String[] uri = new String[n];
            int k = 0;
            for (RankEntries e : acc) {
                int m = e.hash.length;
                System.arraycopy(e.hash, 0, hash, k, m);
                System.arraycopy(e.occurrences, 0, occ, k, m);
                System.arraycopy(e.uri, 0, uri, k, m);
                k += m;
            }
            int[] byRank = IndexSort.sort(n, (a, b) -> {
                int c = Long.compare(occ[b], occ[a]);
                return c != 0 ? c : uri[a].compareTo(uri[b]);
            });
            int[] rank = new int[n];
            for (int r = 0; r < n; r++) {
                rank[byRank[r]] = r;
            }
            int[] byHash = IndexSort.sort(n, (a, b) -> Long.compare(hash[a], hash[b]));
            long[] sortedHashes = new long[n];
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                sortedHashes[i] = hash[byHash[i]];
                ids[i] = rank[byHash[i]];
                if (i > 0 && sortedHashes[i] == sortedHashes[i - 1]) {
                    throw new IllegalStateException("track fingerprint " + sortedHashes[i] + " appears in two shards");
                }
            }
            if (n > 0) {
                Progress.report("vocabulary", n, n, n, String.format("%,d distinct tracks", n));
            }
            return new TrackVocabulary(sortedHashes, ids);
        }

        @Override
        public Coder<TrackVocabulary> getDefaultOutputCoder(CoderRegistry registry, Coder<RankEntries> inputCoder) {
            return TrackVocabulary.Coder.of();
        }

        @Override
        public Coder<List<RankEntries>> getAccumulatorCoder(CoderRegistry registry, Coder<RankEntries> inputCoder) {
            return ListCoder.of(RankEntries.Coder.of());
        }
    }
}
