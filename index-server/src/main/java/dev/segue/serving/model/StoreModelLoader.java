package dev.segue.serving.model;

import dev.segue.als.FoldIn;
import dev.segue.format.FeatureSetContracts;
import dev.segue.format.FeatureSetContracts.TitleEmbeddings;
import dev.segue.format.FeatureSetContracts.TrackFactors;
import dev.segue.format.FeatureSetContracts.TrackStats;
import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import dev.segue.serving.index.FactorMatrix;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.index.IndexArtifacts;
import dev.segue.ranking.CandidateConfig;
import dev.segue.ranking.CandidateGenerator;
import dev.segue.ranking.FactorAccess;
import dev.segue.ranking.RankFeatures;
import dev.segue.ranking.RankerArtifacts;
import dev.segue.ranking.RankerModel;
import dev.segue.ranking.RankingData;
import dev.segue.ranking.TwoStage;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Manifest;
import dev.segue.store.Snapshot;
import dev.segue.store.StoreArtifacts;
import dev.segue.store.StoreException;
import dev.segue.store.Table;
import dev.segue.titles.TitleTracks;
import dev.segue.titles.TitleVectors;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a serving model from the feature store: {@code track_factors} (the served "data version"), the
 * {@code track_stats} popularity ranks and the {@code title_embeddings} that belong to those factors.
 *
 * <p>"latest" is the factor version of the store's newest complete snapshot, and the other sets are taken from
 * the snapshot listing the factors (one pipeline run), so a run that is still committing or died half-way is
 * never mixed in. A title or title-track version recorded as built from other factors is refused, naming both.
 * The rules below pair versions in stores written before snapshots existed.
 *
 * <p>Title vectors live in the factor space of one ALS run, so the title version must match the factors:
 * a {@code title_embeddings} version whose parameter {@value #TITLES_FACTORS_PARAM} names the factor
 * version wins; otherwise the one committed closest in time to the factors, between the previous and the
 * next factor version (one pipeline run writes both, in no fixed order); otherwise titles are off (a
 * title-only request then gets the popularity fallback). Either can be pinned. {@code title_tracks} (the titles'
 * most held tracks, by dense track id, mapped to rows through the {@code track_stats} in use) is matched to the
 * factors the same way; without it title-only requests rank by the title vector alone.
 * The graph is the store artifact of the factor version ({@link IndexArtifacts}, under {@code <store>/_artifacts}):
 * loaded when present and matching, else built and saved there. The second stage ({@link RankingStage}) is the
 * newest ranker artifact built from the factor version, with the ranking data of the same run.
 */
public final class StoreModelLoader implements ModelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(StoreModelLoader.class);

    public static final String FACTORS = TrackFactors.NAME;
    public static final String STATS = TrackStats.NAME;
    public static final String TITLES = TitleEmbeddings.NAME;
    public static final String TITLE_TRACKS = FeatureSetContracts.TitleTracks.NAME;
    public static final String TITLES_FACTORS_PARAM = "track_factors_version";

    private final FeatureStore store;
    private final IndexArtifacts artifacts;
    private final HnswParams params;
    private final int buildThreads;
    private final String titlesVersion;
    private final String statsVersion;
    private final boolean rankerOn;
    private final CandidateConfig candidates;

    /**
     * @param artifactsDir  where index artifacts are kept; null for the store's own {@code <store>/_artifacts}
     * @param titlesVersion pin a {@code title_embeddings} version ("none" disables titles), or null
     * @param statsVersion  pin a {@code track_stats} version, or null for the newest
     */
    public StoreModelLoader(Path storeRoot, Path artifactsDir, HnswParams params, int buildThreads, String titlesVersion,
                            String statsVersion) {
        this(FeatureStore.open(storeRoot), artifactsDir, params, buildThreads, titlesVersion, statsVersion);
    }

    /**
     * @param rankerOn   false: never load a ranker (first stage only, {@code segue serve --ranker off})
     * @param candidates the candidate sources' sizes of the second stage
     */
    public StoreModelLoader(Path storeRoot, Path artifactsDir, HnswParams params, int buildThreads, String titlesVersion,
                            String statsVersion, boolean rankerOn, CandidateConfig candidates) {
        this(FeatureStore.open(storeRoot), artifactsDir, params, buildThreads, titlesVersion, statsVersion, rankerOn,
                candidates);
    }

    /** As {@link #StoreModelLoader(FeatureStore, Path, HnswParams, int, String, String, boolean, CandidateConfig)}, ranker on. */
    public StoreModelLoader(FeatureStore store, Path artifactsDir, HnswParams params, int buildThreads,
                            String titlesVersion, String statsVersion) {
        this(store, artifactsDir, params, buildThreads, titlesVersion, statsVersion, true, CandidateConfig.defaults());
    }

    /**
     * A loader for a store on any file system the class path serves ({@code hdfs://…} with
     * segue-featurestore-hadoop). The graph is mapped from a local file: the artifacts of a store that is not a
     * local folder are kept in it and used through local copies ({@link StoreArtifacts#of}).
     *
     * @param rankerOn   false: never load a ranker (first stage only, {@code segue serve --ranker off})
     * @param candidates the candidate sources' sizes of the second stage
     */
    public StoreModelLoader(FeatureStore store, Path artifactsDir, HnswParams params, int buildThreads,
                            String titlesVersion, String statsVersion, boolean rankerOn, CandidateConfig candidates) {
        this.rankerOn = rankerOn;
        this.candidates = candidates;
        this.store = store;
        this.artifacts = artifactsDir != null ? new IndexArtifacts(artifactsDir) : IndexArtifacts.of(StoreArtifacts.of(store));
        this.params = params;
        this.buildThreads = buildThreads;
        this.titlesVersion = titlesVersion;
        this.statsVersion = statsVersion;
    }

    @Override
    public String source() {
        return store.location();
    }

    public IndexArtifacts artifacts() {
        return artifacts;
    }

    @Override
    public String resolveVersion(String requested) throws VersionNotFoundException {
        try {
            String v = requested == null || requested.isBlank() ? "latest" : requested.trim();
            return store.manifest(FACTORS, v).version();
        } catch (StoreException e) {
            throw new VersionNotFoundException(e.getMessage());
        }
    }

    @Override
    public ServingModel load(String version, BuildProgress progress, Cancellation cancel) throws Exception {
        String[] uris;
        String[] artists;
        float[] factors;
        int dim;
        FoldIn foldIn;
        try (FeatureSetReader reader = store.read(FACTORS, version)) {
            Table t = reader.readAll(TrackFactors.TRACK_URI, TrackFactors.ARTIST_URI, TrackFactors.FACTORS);
            uris = t.strings(TrackFactors.TRACK_URI);
            artists = t.strings(TrackFactors.ARTIST_URI);
            factors = t.embeddings(TrackFactors.FACTORS);
            dim = t.dim(TrackFactors.FACTORS);
            boolean[] valid = t.validity(TrackFactors.FACTORS);
            if (valid != null) {
                for (int r = 0; r < valid.length; r++) {
                    if (!valid[r]) {
                        throw new IllegalArgumentException(FACTORS + " " + version + " row " + r + " (" + uris[r]
                                + "): factors is null");
                    }
                }
            }
            try {
                foldIn = FoldIn.fromParameters(factors, dim, reader.manifest().parameters());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(FACTORS + " " + version + ": " + e.getMessage(), e);
            }
        }
        FactorMatrix matrix;
        TrackCatalog catalog;
        try {
            matrix = new FactorMatrix(factors, uris.length, dim);
            catalog = new TrackCatalog(uris, artists);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FACTORS + " " + version + ": " + e.getMessage(), e);
        }
        cancel.check();
        // the sets served with these factors come from the snapshot of the run that wrote them; a store without
        // snapshots (older versions) pairs them as before
        Snapshot snapshot = store.snapshotOf(FACTORS, version).orElse(null);
        if (snapshot != null) {
            LOG.info("{} {} is in snapshot {} (run {}): {}", FACTORS, version, snapshot.id(), snapshot.run(),
                    snapshot.featureSets());
        } else {
            LOG.info("{} {} is in no snapshot ({}): titles and title tracks are paired with it by their recorded "
                    + "input, else by commit time", FACTORS, version, store.snapshots().isEmpty()
                    ? "the store has none: written before snapshots existed" : "written outside a pipeline run");
        }
        Popularity popularity = popularity(catalog, snapshot);
        Titles titles = titles(version, dim, snapshot);
        TitleTracksLoaded titleTracks = titles == null ? null : titleTracks(version, popularity, snapshot);
        cancel.check();
        RankingStage ranking = ranking(version, factors, dim, catalog);
        cancel.check();
        IndexArtifacts.Loaded loaded = artifacts.loadOrBuild(FACTORS, version, matrix, params, buildThreads, progress, cancel);
        ServingModel.Info info = new ServingModel.Info(store.location(), version,
                titles == null ? null : titles.version, popularity.version,
                titleTracks == null ? null : titleTracks.version(), loaded.index().params(), loaded.millis(),
                loaded.fromDisk(), System.currentTimeMillis(), loaded.source());
        return new ServingModel(info, matrix, catalog, popularity.rows, foldIn,
                titles == null ? null : titles.vectors, titleTracks == null ? null : titleTracks.tracks(),
                loaded.index(), ranking);
    }

    /** The manifest parameter of a ranker naming the {@code track_factors} version its examples were built from. */
    public static final String RANKER_FACTORS_PARAM = "input." + FACTORS;

    /**
     * The second stage for these factors: the newest ranker recorded as built from this {@code track_factors}
     * version ({@value #RANKER_FACTORS_PARAM} in its manifest) with the ranking data of the same run. Anything
     * short of that serves the first stage only, and the returned stage says why (for {@code Status}): the ranker
     * is off, the store has none, none was built from these factors, or the chosen one is refused (another feature
     * list, naming both lists; a file failing its checksum, naming the path).
     */
    private RankingStage ranking(String factorsVersion, float[] factors, int dim, TrackCatalog catalog) {
        if (!rankerOn) {
            return RankingStage.off("off (segue serve --ranker off): first stage only");
        }
        RankerArtifacts rankers = new RankerArtifacts(store);
        String dir = rankers.location();
        List<String> versions = rankers.versions();
        if (versions.isEmpty()) {
            LOG.info("no ranker in {}: serving the first stage only", dir);
            return RankingStage.off("no ranker in " + dir + " (train one with the ranker pipeline): first stage only");
        }
        String chosen = null;
        String newestFrom = null;
        for (int i = versions.size() - 1; i >= 0 && chosen == null; i--) {
            String from = StoreArtifacts.of(store).find(RankerArtifacts.SET, versions.get(i), RankerArtifacts.NAME)
                    .map(a -> a.manifest().parameters() == null ? null
                            : a.manifest().parameters().get(RANKER_FACTORS_PARAM)).orElse(null);
            if (i == versions.size() - 1) {
                newestFrom = from;
            }
            if (factorsVersion.equals(from)) {
                chosen = versions.get(i);
            }
        }
        if (chosen == null) {
            String why = "none of the " + versions.size() + " rankers in " + dir + " was built from " + FACTORS + " "
                    + factorsVersion + " (the newest, " + versions.get(versions.size() - 1) + ", from "
                    + (newestFrom == null ? "an unrecorded version" : newestFrom) + "): first stage only";
            LOG.warn(why);
            return RankingStage.off(why);
        }
        RankerModel model;
        try {
            model = rankers.load(chosen, RankFeatures.NAMES);
        } catch (IllegalArgumentException | StoreException e) {
            String why = "refused ranker " + chosen + ": " + e.getMessage() + "; first stage only";
            LOG.warn(why);
            return RankingStage.off(why);
        }
        RankingData data;
        try {
            data = RankingData.load(store, factorsVersion);
        } catch (IllegalArgumentException | StoreException e) {
            model.close();
            String why = "ranker " + chosen + " not served: its ranking data cannot be loaded: " + e.getMessage()
                    + "; first stage only";
            LOG.warn(why);
            return RankingStage.off(why);
        }
        int[] rowOfTrackId = data.rowsByTrackId(catalog::row);
        FactorAccess access = FactorAccess.ofMatrix(factors, dim, rowOfTrackId);
        TwoStage twoStage = new TwoStage(new CandidateGenerator(data, candidates), access, model);
        RankingStage stage = RankingStage.of(twoStage, data, access, rowOfTrackId, catalog.size(), chosen);
        LOG.info("second stage: {} (ranking data {})", stage.note(), data.versions());
        return stage;
    }

    private record TitleTracksLoaded(String version, TitleTracks tracks) {}

    /** The {@code title_tracks} belonging to these factors (as for titles), or null; ids mapped to rows. */
    private TitleTracksLoaded titleTracks(String factorsVersion, Popularity popularity, Snapshot snapshot) {
        if (popularity.rowOfTrackId == null || "none".equals(titlesVersion)) {
            return null;
        }
        String chosen = snapshot != null ? snapshot.version(TITLE_TRACKS) : matching(TITLE_TRACKS, factorsVersion, -1);
        if (chosen == null) {
            return null;
        }
        try (FeatureSetReader reader = store.read(TITLE_TRACKS, chosen)) {
            checkBuiltFrom(reader.manifest(), factorsVersion);
            Table t = reader.readAll(FeatureSetContracts.TitleTracks.TITLE, FeatureSetContracts.TitleTracks.TRACK_ID,
                    FeatureSetContracts.TitleTracks.COUNT, FeatureSetContracts.TitleTracks.TITLE_COUNT);
            int[] ids = t.ints(FeatureSetContracts.TitleTracks.TRACK_ID);
            int[] rows = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                rows[i] = ids[i] >= 0 && ids[i] < popularity.rowOfTrackId.length ? popularity.rowOfTrackId[ids[i]] : -1;
            }
            TitleTracks out = new TitleTracks(t.strings(FeatureSetContracts.TitleTracks.TITLE), rows,
                    t.longs(FeatureSetContracts.TitleTracks.COUNT),
                    t.longs(FeatureSetContracts.TitleTracks.TITLE_COUNT));
            LOG.info("{} {}: {} titles, {} title-track pairs", TITLE_TRACKS, chosen, out.titleCount(), out.pairCount());
            return new TitleTracksLoaded(chosen, out);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TITLE_TRACKS + " " + chosen + ": " + e.getMessage(), e);
        }
    }

    /** {@code rowOfTrackId}: catalog row of each dense {@code track_id}, -1 unknown; null without track_stats. */
    private record Popularity(String version, int[] rows, int[] rowOfTrackId) {}

    /** Catalog rows ordered by {@code popularity_rank}; tracks without factors are skipped. */
    private Popularity popularity(TrackCatalog catalog, Snapshot snapshot) {
        String stats = statsVersion != null ? statsVersion
                : snapshot != null && snapshot.version(STATS) != null ? snapshot.version(STATS) : "latest";
        if (statsVersion == null && store.versions(STATS).isEmpty()) {
            LOG.warn("no {} in the store: the popularity fallback uses the factor order", STATS);
            int[] rows = new int[catalog.size()];
            Arrays.setAll(rows, i -> i);
            return new Popularity(null, rows, null);
        }
        try (FeatureSetReader reader = store.read(STATS, stats)) {
            Table t = reader.readAll(TrackStats.TRACK_ID, TrackStats.TRACK_URI, TrackStats.POPULARITY_RANK);
            String[] uris = t.strings(TrackStats.TRACK_URI);
            int[] ranks = t.ints(TrackStats.POPULARITY_RANK);
            int[] ids = t.ints(TrackStats.TRACK_ID);
            int maxId = -1;
            for (int id : ids) {
                maxId = Math.max(maxId, id);
            }
            int[] rowOfTrackId = new int[maxId + 1];
            Arrays.fill(rowOfTrackId, -1);
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] >= 0) {
                    rowOfTrackId[ids[i]] = catalog.row(uris[i]);
                }
            }
            long[] order = new long[uris.length];
            int n = 0;
            for (int i = 0; i < uris.length; i++) {
                int row = catalog.row(uris[i]);
                if (row >= 0) {
                    order[n++] = ((long) ranks[i] << 32) | row;
                }
            }
            order = Arrays.copyOf(order, n);
            Arrays.sort(order);
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = (int) order[i];
            }
            return new Popularity(reader.version(), rows, rowOfTrackId);
        }
    }

    private record Titles(String version, TitleVectors vectors) {}

    private Titles titles(String factorsVersion, int dim, Snapshot snapshot) {
        if ("none".equals(titlesVersion)) {
            return null;
        }
        String chosen = titlesVersion != null ? titlesVersion
                : snapshot != null ? snapshot.version(TITLES) : matching(TITLES, factorsVersion, dim);
        if (chosen == null) {
            if (snapshot != null) {
                LOG.warn("snapshot {} has no {}: title-only requests get the popularity fallback", snapshot.id(), TITLES);
            }
            return null;
        }
        try (FeatureSetReader reader = store.read(TITLES, chosen)) {
            checkBuiltFrom(reader.manifest(), factorsVersion);
            Table t = reader.readAll(TitleEmbeddings.KEY, TitleEmbeddings.KIND, TitleEmbeddings.COUNT,
                    TitleEmbeddings.VECTOR);
            if (t.dim(TitleEmbeddings.VECTOR) != dim) {
                throw new IllegalArgumentException(TITLES + " " + reader.version() + " has vectors of dimension "
                        + t.dim(TitleEmbeddings.VECTOR) + " but " + FACTORS + " " + factorsVersion + " has " + dim
                        + "; they come from different models");
            }
            TitleVectors vectors = new TitleVectors(t.strings(TitleEmbeddings.KEY), t.strings(TitleEmbeddings.KIND),
                    t.longs(TitleEmbeddings.COUNT),
                    t.embeddings(TitleEmbeddings.VECTOR), dim);
            return new Titles(reader.version(), vectors);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TITLES + " " + chosen + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a set recorded as built from another {@code track_factors} version than the one being loaded (title
     * vectors of one ALS run are meaningless in another run's factor space).
     */
    private static void checkBuiltFrom(Manifest m, String factorsVersion) {
        String from = m.builtFrom(FACTORS);
        if (from != null && !from.equals(factorsVersion)) {
            throw new IllegalArgumentException(m.featureSet() + " " + m.version() + " was built from " + FACTORS + " "
                    + from + ", not from " + FACTORS + " " + factorsVersion + " being loaded; refusing to mix runs");
        }
    }

    /**
     * The title version made with these factors: one naming them in {@value #TITLES_FACTORS_PARAM}, else —
     * as one pipeline run commits its feature sets in no fixed order — the one committed closest in time to
     * the factors, strictly between the previous and the next factor version.
     */
    private String matching(String name, String factorsVersion, int dim) {
        List<Manifest> titleVersions = store.versions(name);
        if (titleVersions.isEmpty()) {
            LOG.warn(TITLES.equals(name) ? "no {} in the store: title-only requests get the popularity fallback"
                    : "no {} in the store: title-only requests rank by the title vector alone", name);
            return null;
        }
        for (int i = titleVersions.size() - 1; i >= 0; i--) {
            String ref = titleVersions.get(i).parameters() == null ? null
                    : titleVersions.get(i).parameters().get(TITLES_FACTORS_PARAM);
            if (factorsVersion.equals(ref)) {
                return titleVersions.get(i).version();
            }
        }
        List<Manifest> factorVersions = store.versions(FACTORS);
        Instant created = null;
        Instant after = null;
        Instant before = null;
        for (int i = 0; i < factorVersions.size(); i++) {
            if (factorVersions.get(i).version().equals(factorsVersion)) {
                created = factorVersions.get(i).created();
                after = i > 0 ? factorVersions.get(i - 1).created() : null;
                before = i + 1 < factorVersions.size() ? factorVersions.get(i + 1).created() : null;
            }
        }
        String best = null;
        long bestGap = Long.MAX_VALUE;
        for (Manifest m : titleVersions) {
            Map<String, String> p = m.parameters() == null ? Map.of() : m.parameters();
            Instant t = m.created();
            boolean inWindow = created != null && (after == null || t.isAfter(after))
                    && (before == null || t.isBefore(before));
            boolean sameDim = dim < 0 || m.schema() == null || !m.schema().hasColumn(TitleEmbeddings.VECTOR)
                    || m.schema().column(TitleEmbeddings.VECTOR).dim() == dim;
            if (p.get(TITLES_FACTORS_PARAM) == null && inWindow && sameDim) {
                long gap = Math.abs(Duration.between(created, t).toMillis());
                if (gap < bestGap) {
                    bestGap = gap;
                    best = m.version();
                }
            }
        }
        if (best == null) {
            LOG.warn("no {} version belongs to {} {}", name, FACTORS, factorsVersion);
        }
        return best;
    }

}
