package dev.segue.serving.query;

/**
 * Tuning of the query path.
 *
 * @param titlePriorSeeds  blend weight of the seed vector is {@code s/(s + titlePriorSeeds)} for {@code s}
 *                         known distinct seeds, the title vector gets the rest: with the default 5, one seed
 *                         gives the title 5/6 of the weight, 25 seeds give it 1/6, 100 seeds under 5%
 * @param exactScanRows    filters leaving at most this many candidate rows are answered by an exact scan
 *                         of those rows (cheaper and exact)
 * @param exactScanFraction when the over-fetch a filtered graph search would need exceeds this fraction of
 *                         all rows, an exact scan is used instead
 * @param titlePriorPlaylists κ of title-only ranking with {@code title_tracks}: the factor model's estimate counts
 *                         as this many playlists against the title's own ({@link dev.segue.titles.TitleTracks})
 */
public record QueryOptions(double titlePriorSeeds, int exactScanRows, double exactScanFraction,
                           double titlePriorPlaylists) {
    public static final QueryOptions DEFAULTS = new QueryOptions(dev.segue.titles.QueryBlend.DEFAULT_TITLE_PRIOR_SEEDS, 20_000, 0.2);

    /** With the default κ ({@link dev.segue.titles.TitleTracks#DEFAULT_PSEUDO_PLAYLISTS}). */
    public QueryOptions(double titlePriorSeeds, int exactScanRows, double exactScanFraction) {
        this(titlePriorSeeds, exactScanRows, exactScanFraction, dev.segue.titles.TitleTracks.DEFAULT_PSEUDO_PLAYLISTS);
    }

    public QueryOptions {
        if (!(titlePriorPlaylists >= 0) || Double.isInfinite(titlePriorPlaylists)) {
            throw new IllegalArgumentException("titlePriorPlaylists must be a number >= 0, got " + titlePriorPlaylists);
        }
        if (!(titlePriorSeeds >= 0) || Double.isInfinite(titlePriorSeeds)) {
            throw new IllegalArgumentException("titlePriorSeeds must be a number >= 0, got " + titlePriorSeeds);
        }
        if (exactScanRows < 0) {
            throw new IllegalArgumentException("exactScanRows must be >= 0, got " + exactScanRows);
        }
        if (!(exactScanFraction > 0 && exactScanFraction <= 1)) {
            throw new IllegalArgumentException("exactScanFraction must be in (0, 1], got " + exactScanFraction);
        }
    }
}
