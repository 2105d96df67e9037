package dev.segue.serving.bench;

import dev.segue.format.FeatureSetContracts.Tracks;
import dev.segue.ranking.CandidateConfig;
import dev.segue.ranking.CandidateGenerator;
import dev.segue.ranking.ExampleBuilder;
import dev.segue.ranking.Examples;
import dev.segue.ranking.FactorAccess;
import dev.segue.ranking.RankFeatures;
import dev.segue.ranking.RankRequest;
import dev.segue.ranking.RankerArtifacts;
import dev.segue.ranking.RankerModel;
import dev.segue.ranking.RankingData;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.model.StoreModelLoader;
import dev.segue.serving.query.ContinueQuery;
import dev.segue.serving.query.FilterSpec;
import dev.segue.serving.query.QueryEngine;
import dev.segue.serving.query.QueryOptions;
import dev.segue.serving.query.Recommendation;
import dev.segue.store.Batch;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureSetWriter;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.WriteOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A synthetic store with a ranker, for tests and {@code segue bench serve --synthetic-ranker} until the ranker
 * pipeline writes one: {@link SyntheticCatalog}'s sets plus
 * {@code tracks} (artist and album, so the completion sources run), and a small LambdaMART ranker trained with the
 * ranking module's own trainer on examples from the catalog's playlists (seeds = first half, held out = the rest),
 * their WRMF candidates from the server's first stage.
 */
public final class SyntheticRanker {
    /** Small and fast: 30 rounds of depth 4. */
    public static final RankerModel.Params PARAMS = new RankerModel.Params(30, 0.3, 4, 1, 1.0, 50, 1, 7);

    private SyntheticRanker() {}

    /** Writes the catalog and its {@code tracks}; returns the {@code track_factors} version. */
    public static String write(Path root, SyntheticCatalog synthetic) {
        String version = synthetic.writeTo(root);
        int n = synthetic.size();
        int[] ids = new int[n];
        String[] uris = new String[n];
        String[] artists = new String[n];
        String[] albums = new String[n];
        for (int t = 0; t < n; t++) {
            ids[t] = t;
            uris[t] = SyntheticCatalog.trackUri(t);
            artists[t] = synthetic.artistUriOf(t);
            albums[t] = artists[t] + ":album" + (t % 3);
        }
        FeatureSetSchema schema = FeatureSetSchema.builder(Tracks.NAME).entityKey(Tracks.TRACK_ID, FeatureType.INT32)
                .column(Tracks.TRACK_URI, FeatureType.UTF8, "track URI")
                .column(Tracks.ARTIST_URI, FeatureType.UTF8, "artist URI")
                .column(Tracks.ALBUM_URI, FeatureType.UTF8, "album URI").build();
        try (FeatureSetWriter w = FeatureStore.open(root).writer(schema, WriteOptions.producer("test"))) {
            w.append(Batch.builder(n).ints(Tracks.TRACK_ID, ids).strings(Tracks.TRACK_URI, uris)
                    .strings(Tracks.ARTIST_URI, artists).strings(Tracks.ALBUM_URI, albums).build());
            w.commit();
        }
        return version;
    }

    /** The URIs of {@code tracks}. */
    public static List<String> uris(int[] tracks) {
        List<String> out = new ArrayList<>();
        for (int t : tracks) {
            out.add(SyntheticCatalog.trackUri(t));
        }
        return out;
    }

    /**
     * Trains a ranker for {@code factorsVersion} on the real feature list ({@link #PARAMS}, 100 playlists of 16
     * tracks: 80 to train, 20 to validate) and saves it as {@code version}, recorded as built from those factors.
     *
     * @param artifactsDir where the first stage's index artifact is kept (null: the store's own), so a caller serving
     *                     from the same folder builds the graph once
     */
    public static String train(Path root, SyntheticCatalog synthetic, String factorsVersion, String version,
                               HnswParams index, Path artifactsDir) throws Exception {
        FeatureStore store = FeatureStore.open(root);
        ServingModel model = new StoreModelLoader(root, artifactsDir, index, 2, null, null, false,
                CandidateConfig.defaults()).load(factorsVersion, BuildProgress.NONE, Cancellation.NEVER);
        RankingData data = RankingData.load(store, factorsVersion);
        FactorAccess factors = FactorAccess.ofMatrix(model.factors().values(), model.factors().dim(),
                data.rowsByTrackId(model.catalog()::row));
        ExampleBuilder builder = new ExampleBuilder(new CandidateGenerator(data, CandidateConfig.defaults()), factors);
        QueryEngine engine = new QueryEngine(QueryOptions.DEFAULTS);
        SplittableRandom random = new SplittableRandom(11);
        Examples train = new Examples(RankFeatures.count());
        Examples validation = new Examples(RankFeatures.count());
        for (int g = 0; g < 100; g++) {
            int[] playlist = synthetic.playlist(random, 16);
            int[] seeds = Arrays.copyOf(playlist, 8);
            int[] heldOut = Arrays.copyOfRange(playlist, 8, playlist.length);
            Recommendation first = engine.recommend(model, new ContinueQuery(null, uris(seeds), 200, FilterSpec.NONE,
                    true), Cancellation.NEVER);
            int[] wrmf = new int[first.tracks().size()];
            float[] scores = Arrays.copyOf(first.tracks().scores(), wrmf.length);
            for (int i = 0; i < wrmf.length; i++) {
                wrmf[i] = data.trackId(model.catalog().trackUri(first.tracks().ids()[i]));
            }
            ExampleBuilder.Group group = builder.build(new RankRequest(seeds, null, wrmf, scores), heldOut);
            if (group.useful()) {
                (g < 80 ? train : validation).add(group.features(), group.labels());
            }
        }
        Map<String, String> builtFrom = new TreeMap<>(data.versions());
        builtFrom.put(StoreModelLoader.FACTORS, factorsVersion);
        try (RankerModel ranker = RankerModel.fit(RankFeatures.NAMES, train, validation, PARAMS, builtFrom)) {
            new RankerArtifacts(store).save(version, ranker, train.rows());
        }
        return version;
    }
}
