package dev.segue.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.Filter;
import dev.segue.api.v1.RecommenderGrpc;
import dev.segue.api.v1.ReloadRequest;
import dev.segue.api.v1.ReloadResponse;
import dev.segue.api.v1.ScoredTrack;
import dev.segue.api.v1.StatusRequest;
import dev.segue.api.v1.StatusResponse;
import dev.segue.format.FeatureSetContracts.TrackFactors;
import dev.segue.ranking.CandidateConfig;
import dev.segue.ranking.CandidateGenerator;
import dev.segue.ranking.Candidates;
import dev.segue.ranking.FactorAccess;
import dev.segue.ranking.RankFeatures;
import dev.segue.ranking.RankRequest;
import dev.segue.ranking.RankerArtifacts;
import dev.segue.ranking.RankerModel;
import dev.segue.ranking.RankingData;
import dev.segue.ranking.TwoStage;
import dev.segue.serving.RankedStore;
import dev.segue.serving.TestData;
import dev.segue.serving.bench.SyntheticCatalog;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.model.ModelManager;
import dev.segue.serving.model.ServingModel;
import dev.segue.serving.query.ContinueQuery;
import dev.segue.serving.query.FilterSpec;
import dev.segue.serving.query.QueryEngine;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-stage recommender through the server: stages reported, switches, Status, metrics, reload, and offline = online. */
class TwoStageServingTest {
    static final SyntheticCatalog SYNTHETIC = new SyntheticCatalog(1200, 16, 8, 5);
    static final String RANKER = "20250101T000000Z-00000001";

    @TempDir
    static Path store;
    static String factors;
    static ModelManager models;
    static SegueServer server;
    static ManagedChannel channel;
    static RecommenderGrpc.RecommenderBlockingStub stub;

    @BeforeAll
    static void start() throws Exception {
        factors = RankedStore.write(store, SYNTHETIC);
        RankedStore.train(store, SYNTHETIC, factors, RANKER);
        models = TestData.manager(store);
        String name = InProcessServerBuilder.generateName();
        server = SegueServer.start(InProcessServerBuilder.forName(name), ServerTest.config(), models);
        channel = InProcessChannelBuilder.forName(name).build();
        stub = RecommenderGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow();
        server.close();
    }

    static int[] playlist(long seed) {
        return SYNTHETIC.playlist(new SplittableRandom(seed), 10);
    }

    static ContinueRequest.Builder request(int[] seeds, int k) {
        return ContinueRequest.newBuilder().addAllSeedTrackUris(RankedStore.uris(seeds)).setK(k);
    }

    static List<String> uris(ContinueResponse r) {
        List<String> out = new ArrayList<>();
        for (ScoredTrack t : r.getTracksList()) {
            out.add(t.getTrackUri());
        }
        return out;
    }

    @Test
    void continueRunsBothStagesAndSaysSo() {
        int[] seeds = playlist(1);
        ContinueResponse r = stub.continue_(request(seeds, 100).build());
        assertTrue(r.getStages().getSecondStage(), r.getStages().toString());
        assertEquals(RANKER, r.getStages().getRankerVersion());
        assertEquals(List.of("wrmf", "artist", "album", "popular"), r.getStages().getSourcesList());
        assertTrue(r.getStages().getCandidates() >= 100, r.getStages().toString());
        assertEquals("", r.getStages().getNote());
        List<String> got = uris(r);
        assertEquals(100, got.size());
        assertEquals(100, new HashSet<>(got).size(), "no track twice");
        for (String seed : RankedStore.uris(seeds)) {
            assertFalse(got.contains(seed), "a seed is never recommended: " + seed);
        }
        for (int i = 1; i < r.getTracksCount(); i++) {
            assertTrue(r.getTracks(i - 1).getScore() >= r.getTracks(i).getScore(), "ranker scores, best first");
        }
    }

    @Test
    void theRequestOptionAndAnAllowListServeTheFirstStage() {
        int[] seeds = playlist(2);
        ContinueResponse two = stub.continue_(request(seeds, 50).build());
        ContinueResponse one = stub.continue_(request(seeds, 50).setFirstStageOnly(true).build());
        assertFalse(one.getStages().getSecondStage());
        assertEquals(List.of("wrmf"), one.getStages().getSourcesList());
        assertEquals(QueryEngine.REQUESTED_FIRST_STAGE, one.getStages().getNote());
        assertEquals("", one.getStages().getRankerVersion());
        assertNotEquals(uris(two), uris(one), "the ranker reorders the first stage");
        String artist = SYNTHETIC.artistUriOf(seeds[0]);
        ContinueResponse allowed = stub.continue_(request(seeds, 10)
                .setFilter(Filter.newBuilder().addAllowArtistUris(artist)).build());
        assertEquals(QueryEngine.ALLOW_LIST, allowed.getStages().getNote());
        for (ScoredTrack t : allowed.getTracksList()) {
            assertEquals(artist, t.getArtistUri());
        }
    }

    @Test
    void theFilterAppliesToTheRankedList() {
        int[] seeds = playlist(3);
        ContinueResponse r = stub.continue_(request(seeds, 30).build());
        String topArtist = r.getTracks(0).getArtistUri();
        String topTrack = r.getTracks(1).getTrackUri();
        ContinueResponse filtered = stub.continue_(request(seeds, 30).setFilter(Filter.newBuilder()
                .addExcludeArtistUris(topArtist).addExcludeTrackUris(topTrack)).build());
        assertTrue(filtered.getStages().getSecondStage());
        assertEquals(30, filtered.getTracksCount());
        for (ScoredTrack t : filtered.getTracksList()) {
            assertNotEquals(topArtist, t.getArtistUri());
            assertNotEquals(topTrack, t.getTrackUri());
        }
    }

    @Test
    void statusAndMetricsNameTheRanker() {
        StatusResponse s = stub.status(StatusRequest.getDefaultInstance());
        assertEquals(RANKER, s.getRankerVersion());
        assertTrue(s.getRankerNote().startsWith("ranker " + RANKER + "; candidate sources off: "), s.getRankerNote());
        assertTrue(s.getRankerNote().contains("track_neighbours"), s.getRankerNote());
        assertTrue(server.stats().scrape().contains("ranker=\"" + RANKER + "\""), "segue_model_info names the ranker");
    }

    /**
     * Issue 19: the same request gives bit-identical feature vectors offline (the ranking module loaded on its own
     * and driven from URIs, as the evaluator drives it) and online (the server's path), given the same WRMF
     * candidates; and the same ranked list.
     */
    @Test
    void offlineAndOnlineFeaturesAreBitIdentical() throws Exception {
        ServingModel model = models.current();
        QueryEngine engine = new QueryEngine(ServerTest.config().query());
        // offline: its own load of the store, its own factor rows, ids from URIs
        FeatureStore fs = FeatureStore.open(store);
        RankingData data = RankingData.load(fs, factors);
        Map<String, Integer> rowOfUri = new HashMap<>();
        float[] matrix;
        int dim;
        try (FeatureSetReader reader = fs.read(TrackFactors.NAME, factors)) {
            Table t = reader.readAll(TrackFactors.TRACK_URI, TrackFactors.FACTORS);
            String[] u = t.strings(TrackFactors.TRACK_URI);
            for (int i = 0; i < u.length; i++) {
                rowOfUri.put(u[i], i);
            }
            matrix = t.embeddings(TrackFactors.FACTORS);
            dim = t.dim(TrackFactors.FACTORS);
        }
        FactorAccess offlineFactors = FactorAccess.ofMatrix(matrix, dim,
                data.rowsByTrackId(uri -> rowOfUri.getOrDefault(uri, -1)));
        CandidateGenerator offline = new CandidateGenerator(data, CandidateConfig.defaults());
        CandidateGenerator online = model.ranking().twoStage().generator();
        int checked = 0;
        try (RankerModel ranker = new RankerArtifacts(fs).load(RANKER, RankFeatures.NAMES)) {
            TwoStage offlineTwoStage = new TwoStage(offline, offlineFactors, ranker);
            for (long seed = 10; seed < 16; seed++) {
                int[] seeds = playlist(seed);
                String title = seed % 2 == 0 ? SyntheticCatalog.clusterTitle((int) seed % SYNTHETIC.clusters()) : null;
                boolean shuffled = seed % 3 == 0; // the request's "seeds are a random sample" reaches the features
                ContinueQuery query = new ContinueQuery(title, RankedStore.uris(seeds), 200, FilterSpec.NONE, false,
                        shuffled);
                RankRequest onlineRequest = engine.rankRequest(model, query, Cancellation.NEVER);
                // the same WRMF candidates, passed offline by URI
                int[] wrmf = new int[onlineRequest.wrmfTracks().length];
                for (int i = 0; i < wrmf.length; i++) {
                    wrmf[i] = data.trackId(model.ranking().data().uri(onlineRequest.wrmfTracks()[i]));
                }
                int[] offlineSeeds = new int[seeds.length];
                for (int i = 0; i < seeds.length; i++) {
                    offlineSeeds[i] = data.trackId(SyntheticCatalog.trackUri(seeds[i]));
                }
                assertEquals(shuffled, onlineRequest.seedsShuffled());
                RankRequest offlineRequest = new RankRequest(offlineSeeds, title, wrmf, onlineRequest.wrmfScores().clone(),
                        shuffled);
                Candidates on = online.generate(onlineRequest);
                Candidates off = offline.generate(offlineRequest);
                assertArrayEquals(off.tracks(), on.tracks());
                float[] x = RankFeatures.compute(model.ranking().data(), model.ranking().factors(), onlineRequest, on,
                        online.config().similaritySeeds());
                float[] y = RankFeatures.compute(data, offlineFactors, offlineRequest, off,
                        offline.config().similaritySeeds());
                assertEquals(y.length, x.length);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(Float.floatToRawIntBits(y[i]), Float.floatToRawIntBits(x[i]),
                            "feature " + RankFeatures.NAMES.get(i % RankFeatures.count()) + " of candidate "
                                    + i / RankFeatures.count());
                }
                // and the served list is the offline two-stage list
                ContinueRequest.Builder rq = request(seeds, 200).setSeedsShuffled(shuffled);
                if (title != null) {
                    rq.setTitle(title);
                }
                ContinueResponse served = stub.continue_(rq.build());
                TwoStage.Result expected = offlineTwoStage.recommend(offlineRequest, 200, true);
                List<String> expectedUris = new ArrayList<>();
                for (int t : expected.tracks()) {
                    expectedUris.add(data.uri(t));
                }
                assertEquals(expectedUris, uris(served));
                checked++;
            }
        }
        assertEquals(6, checked);
    }

    /** A reload swaps factors, ranking data and ranker as one model (its own store: the shared one keeps its ranker). */
    @Test
    void aReloadSwapsFactorsAndRankerTogether(@TempDir Path other) throws Exception {
        String v1 = RankedStore.write(other, SYNTHETIC);
        RankedStore.train(other, SYNTHETIC, v1, "20250101T000000Z-00000001");
        ModelManager manager = TestData.manager(other);
        String name = InProcessServerBuilder.generateName();
        try (SegueServer s = SegueServer.start(InProcessServerBuilder.forName(name), ServerTest.config(), manager)) {
            ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
            try {
                RecommenderGrpc.RecommenderBlockingStub st = RecommenderGrpc.newBlockingStub(ch);
                assertEquals("20250101T000000Z-00000001", st.status(StatusRequest.getDefaultInstance()).getRankerVersion());
                SyntheticCatalog next = new SyntheticCatalog(1200, 16, 8, 6);
                String v2 = next.writeTo(other);
                // the older ranker of v2 is chosen over the newer one of v1: rankers follow their factors
                RankedStore.train(other, next, v2, "20240101T000000Z-00000002");
                ReloadResponse reloaded = st.reload(ReloadRequest.getDefaultInstance());
                assertEquals(v2, reloaded.getDataVersion());
                assertEquals("20240101T000000Z-00000002", reloaded.getRankerVersion());
                ContinueResponse r = st.continue_(request(playlist(1), 10).build());
                assertEquals(v2, r.getDataVersion());
                assertEquals("20240101T000000Z-00000002", r.getStages().getRankerVersion());
                assertTrue(s.stats().scrape().contains("ranker=\"20240101T000000Z-00000002\""));
            } finally {
                ch.shutdownNow();
            }
        }
    }
}
