package dev.segue.titles;

/**
 * The one definition of how a playlist's seed vector (ALS fold-in) and title vector ({@link TitleVectors})
 * combine into a query, shared by the index server and the exact fold-in baseline so both rank the same
 * vector.
 *
 * <p>With {@code s} distinct known seeds and a prior of {@code s0} seeds, {@code w = s/(s + s0)} and the query
 * is {@code w·seed/‖seed‖ + (1−w)·title/‖title‖}. Directions are blended, not raw vectors: a one-seed fold-in
 * is much shorter than a title vector, and with raw vectors the (weaker) title signal won by length alone —
 * on the generated medium world "title + first 1" R-precision went from 0.052 (raw, {@code s0 = 5}) to 0.151
 * (directions, {@code s0 = 0.5}). The title fades as seeds accumulate (with {@code s0 = 0.5}: one seed leaves
 * it 1/3 of the weight, five seeds 1/11). The query's norm does not matter: ranking is by inner product.
 */
public final class QueryBlend {
    /** The default prior, in seeds. */
    public static final double DEFAULT_TITLE_PRIOR_SEEDS = 0.5;

    private QueryBlend() {}

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

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
        double ns = norm(seedVector);
        double nt = norm(titleVector);
        double a = ns == 0 ? 0 : w / ns;
        double b = nt == 0 ? 0 : (1 - w) / nt;
        float[] out = new float[seedVector.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (a * seedVector[i] + b * titleVector[i]);
        }
        return out;
    }
}
