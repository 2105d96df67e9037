package dev.segue.titles;

/**
 * The one definition of how a playlist's seed vector (ALS fold-in) and title vector ({@link TitleVectors})
 * combine into a query, shared by the index server and the exact fold-in baseline so both rank the same
 * vector.
 *
 * <p>With {@code s} distinct known seeds and a prior of {@code s0} seeds, {@code w = s/(s + s0)} and the query
 * is {@code w·seed + (1−w)·title}. Both vectors live in the playlist-factor space (the title map is fitted to
 * playlist factors), so the convex combination keeps the scale; the title dominates short playlists and
 * fades as seeds accumulate (with {@code s0 = 5}: one seed leaves the title 5/6 of the weight, 25 seeds 1/6).
 */
public final class QueryBlend {
    /** The default prior, in seeds. */
    public static final double DEFAULT_TITLE_PRIOR_SEEDS = 5.0;

    private QueryBlend() {}

    /** The seed weight {@code w = s/(s + s0)} (1 when both are zero). */
    public static double seedWeight(int distinctSeeds, double titlePriorSeeds) {
        if (distinctSeeds < 0 || !(titlePriorSeeds >= 0)) {
            throw new IllegalArgumentException("seeds and prior must be non-negative, got " + distinctSeeds
                    + " and " + titlePriorSeeds);
        }
        return distinctSeeds + titlePriorSeeds == 0 ? 1.0 : distinctSeeds / (distinctSeeds + titlePriorSeeds);
    }

    /** {@code w·seedVector + (1−w)·titleVector}; either vector may be null, then the other is returned. */
    public static float[] blend(float[] seedVector, int distinctSeeds, float[] titleVector, double titlePriorSeeds) {
        if (seedVector == null || titleVector == null) {
            return seedVector != null ? seedVector : titleVector;
        }
        if (seedVector.length != titleVector.length) {
            throw new IllegalArgumentException("seed vector has " + seedVector.length + " dimensions, title vector "
                    + titleVector.length);
        }
        double w = seedWeight(distinctSeeds, titlePriorSeeds);
        float[] out = new float[seedVector.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (w * seedVector[i] + (1 - w) * titleVector[i]);
        }
        return out;
    }
}
