package dev.segue.pipelines.ranker;

import dev.segue.ranking.CandidateConfig;
import dev.segue.ranking.ExactWrmf;
import dev.segue.ranking.OfflineTwoStage;
import dev.segue.ranking.RankingData;
import dev.segue.store.FeatureStore;
import dev.segue.vocab.UriHash;
import java.util.HashMap;
import java.util.Map;

/**
 * The first stage a worker builds examples with, loaded once per worker JVM (every DoFn instance of the same
 * store and factors shares it): the exact WRMF fold-in, the run's ranking data, and the URI of each track
 * fingerprint (the ingest's {@link UriHash}).
 */
final class FirstStageCache {
    record Loaded(OfflineTwoStage offline, Map<Long, String> uriOfHash) {}

    private static final Map<String, Loaded> LOADED = new HashMap<>();

    private FirstStageCache() {}

    static synchronized Loaded get(String store, String factorsVersion, double titlePriorSeeds) {
        String key = store + "\n" + factorsVersion;
        Loaded l = LOADED.get(key);
        if (l == null) {
            FeatureStore fs = FeatureStore.open(store);
            ExactWrmf wrmf = new ExactWrmf(fs, factorsVersion, titlePriorSeeds);
            RankingData data = RankingData.load(fs, wrmf.factorsVersion());
            Map<Long, String> uris = new HashMap<>(data.trackCount() * 2);
            for (int t = 0; t < data.trackCount(); t++) {
                String uri = data.uri(t);
                if (uri != null) {
                    uris.put(UriHash.of(uri), uri);
                }
            }
            LOADED.clear(); // one model per worker: a new version replaces the old
            l = new Loaded(new OfflineTwoStage(wrmf, data, CandidateConfig.defaults(), null), uris);
            LOADED.put(key, l);
        }
        return l;
    }
}
