package dev.segue.serving.model;

import dev.segue.als.FoldIn;
import dev.segue.serving.index.ExactScan;
import dev.segue.serving.index.FactorMatrix;
import dev.segue.serving.index.HnswParams;
import dev.segue.serving.index.MipsIndex;
import dev.segue.titles.TitleTracks;
import dev.segue.titles.TitleVectors;
import java.util.Objects;

/**
 * Everything one data version needs to answer queries: the factors and their graph, the catalog, the
 * fold-in solver, title vectors, the popularity order and the second stage ({@link RankingStage}). Immutable; a request holds on to the model it
 * started with, so a reload swapping in a new model never changes an answer half-way.
 */
public final class ServingModel {
    /**
     * Where the model came from.
     *
     * @param factorsVersion  the {@code track_factors} version served (the "data version")
     * @param titlesVersion   the {@code title_embeddings} version, or null when titles are not available
     * @param statsVersion    the {@code track_stats} version used for the popularity fallback, or null
     * @param indexMillis     milliseconds spent building the graph, or loading it when {@code fromDisk}
     * @param indexSource     one line: the index artifact loaded, or why the graph was built (missing, refused)
     */
    public record Info(String storePath, String factorsVersion, String titlesVersion, String statsVersion,
                       String titleTracksVersion, HnswParams params, long indexMillis, boolean fromDisk, long loadedAtEpochMillis,
                       String indexSource) {}

    private final Info info;
    private final FactorMatrix factors;
    private final TrackCatalog catalog;
    private final int[] popularity;
    private final FoldIn foldIn;
    private final TitleVectors titles;
    private final TitleTracks titleTracks;
    private final MipsIndex index;
    private final ExactScan exact;
    private final RankingStage ranking;

    /**
     * @param popularity rows from most to least popular (may be shorter than the catalog)
     * @param titles     null when no title embeddings are available
     */
    public ServingModel(Info info, FactorMatrix factors, TrackCatalog catalog, int[] popularity, FoldIn foldIn,
                        TitleVectors titles, MipsIndex index) {
        this(info, factors, catalog, popularity, foldIn, titles, null, index);
    }

    /**
     * @param titleTracks the titles' most held tracks ({@code title_tracks}, rows of this catalog) for title-only
     *                    ranking, or null
     */
    public ServingModel(Info info, FactorMatrix factors, TrackCatalog catalog, int[] popularity, FoldIn foldIn,
                        TitleVectors titles, TitleTracks titleTracks, MipsIndex index) {
        this(info, factors, catalog, popularity, foldIn, titles, titleTracks, index,
                RankingStage.off("no ranker loaded with this model"));
    }

    /**
     * @param ranking the second stage served with these factors, or {@link RankingStage#off} saying why not
     */
    public ServingModel(Info info, FactorMatrix factors, TrackCatalog catalog, int[] popularity, FoldIn foldIn,
                        TitleVectors titles, TitleTracks titleTracks, MipsIndex index, RankingStage ranking) {
        this.ranking = Objects.requireNonNull(ranking);
        this.info = Objects.requireNonNull(info);
        this.factors = factors;
        this.catalog = catalog;
        this.popularity = popularity;
        this.foldIn = foldIn;
        this.titles = titles;
        this.titleTracks = titleTracks;
        this.index = index;
        this.exact = new ExactScan(factors);
        if (catalog.size() != factors.rows()) {
            throw new IllegalArgumentException("catalog has " + catalog.size() + " tracks, factors " + factors.rows());
        }
        if (foldIn.dimension() != factors.dim() || foldIn.numItems() != factors.rows()) {
            throw new IllegalArgumentException("fold-in solver is for " + foldIn.numItems() + "x"
                    + foldIn.dimension() + ", factors are " + factors.rows() + "x" + factors.dim());
        }
        if (titles != null && titles.dimension() != factors.dim()) {
            throw new IllegalArgumentException("title vectors have dimension " + titles.dimension()
                    + " but the track factors have " + factors.dim() + "; they are from different models");
        }
        if (index.factors() != factors) {
            throw new IllegalArgumentException("the index was built over other factors");
        }
        for (int row : popularity) {
            if (row < 0 || row >= factors.rows()) {
                throw new IllegalArgumentException("popularity row " + row + " outside 0.." + (factors.rows() - 1));
            }
        }
    }

    public Info info() {
        return info;
    }

    public String dataVersion() {
        return info.factorsVersion();
    }

    public FactorMatrix factors() {
        return factors;
    }

    public TrackCatalog catalog() {
        return catalog;
    }

    /** Rows from most to least popular (shared, do not modify). */
    public int[] popularity() {
        return popularity;
    }

    public FoldIn foldIn() {
        return foldIn;
    }

    /** Null when no title embeddings are loaded. */
    public TitleVectors titles() {
        return titles;
    }

    /** Null when no {@code title_tracks} are loaded (title-only queries then rank by the title vector alone). */
    public TitleTracks titleTracks() {
        return titleTracks;
    }

    public MipsIndex index() {
        return index;
    }

    public ExactScan exact() {
        return exact;
    }

    /** The second stage (ranker and ranking data of the same run), or an inactive one saying why not. */
    public RankingStage ranking() {
        return ranking;
    }
}
