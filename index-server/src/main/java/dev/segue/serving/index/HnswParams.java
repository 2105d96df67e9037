package dev.segue.serving.index;

/**
 * HNSW graph parameters. hnswlib-java's defaults (M=10, ef=10) were far too low, above all for the
 * 500-result searches of playlist continuation; the serving defaults were chosen with
 * {@code segue bench ann} (see the index-server README for the figures).
 *
 * <p>A search for {@code n} results walks the graph with beam {@code max(ef, ceil(efFactor·n))}: {@code ef}
 * governs small searches (similar tracks, k=10) and {@code efFactor} large ones (continuations, k=500),
 * which need a beam well above {@code n} for high recall: a search walks a beam of {@code beam} results and
 * keeps the best {@code n}, per call, so searches with different beams run side by side without races.
 *
 * @param m              links per node (level 0 keeps 2·M); part of the saved graph
 * @param efConstruction beam width while inserting; part of the saved graph
 * @param ef             least search beam
 * @param efFactor       search beam per requested result (≥ 1)
 */
public record HnswParams(int m, int efConstruction, int ef, double efFactor) {
    public static final int DEFAULT_M = 32;
    public static final int DEFAULT_EF_CONSTRUCTION = 200;
    public static final int DEFAULT_EF = 50;
    public static final double DEFAULT_EF_FACTOR = 1.0;

    public HnswParams {
        if (m < 2 || m > 256) {
            throw new IllegalArgumentException("M must be in 2..256, got " + m);
        }
        if (efConstruction < 1 || efConstruction > 10_000) {
            throw new IllegalArgumentException("efConstruction must be in 1..10000, got " + efConstruction);
        }
        if (ef < 1 || ef > 100_000) {
            throw new IllegalArgumentException("ef must be in 1..100000, got " + ef);
        }
        if (!(efFactor >= 1 && efFactor <= 100)) {
            throw new IllegalArgumentException("ef factor must be in 1..100, got " + efFactor);
        }
    }

    public HnswParams(int m, int efConstruction, int ef) {
        this(m, efConstruction, ef, DEFAULT_EF_FACTOR);
    }

    public static HnswParams defaults() {
        return new HnswParams(DEFAULT_M, DEFAULT_EF_CONSTRUCTION, DEFAULT_EF, DEFAULT_EF_FACTOR);
    }

    /** The beam for a search of {@code results} results. */
    public int beam(int results) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(ef, (long) Math.ceil(efFactor * results)));
    }

    public HnswParams withSearch(int newEf, double newEfFactor) {
        return new HnswParams(m, efConstruction, newEf, newEfFactor);
    }
}
