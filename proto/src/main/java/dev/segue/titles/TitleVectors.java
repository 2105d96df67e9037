package dev.segue.titles;

import dev.segue.format.TitleNormalizer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a raw playlist title into a query vector in the track-factor space from the rows of the
 * {@code title_embeddings} feature set: the exact normalised-title row if there is one, else the
 * count-weighted mean of the rows of the title's distinct known tokens, else nothing (unknown title).
 * Titles are normalised with {@link TitleNormalizer}, the one MPD rule shared by training and serving.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class TitleVectors {
    public static final String KIND_TITLE = "title";
    public static final String KIND_TOKEN = "token";

    /** How a query vector was obtained. */
    public enum Source { TITLE, TOKENS, UNKNOWN }

    /**
     * A title's query vector ({@code null} when {@link Source#UNKNOWN}), with the normalised title and the
     * number of known tokens that were combined (0 for an exact title hit).
     */
    public record Query(String normalized, Source source, float[] vector, int tokensUsed) {
        public boolean known() {
            return vector != null;
        }
    }

    private final int d;
    private final float[] vectors;
    private final long[] counts;
    private final Map<String, Integer> titles = new HashMap<>();
    private final Map<String, Integer> tokens = new HashMap<>();

    /**
     * @param keys    the {@code key} column (a normalised title or a token)
     * @param kinds   the {@code kind} column, {@value #KIND_TITLE} or {@value #KIND_TOKEN}
     * @param counts  the {@code count} column (playlists with the key), the weights of token means
     * @param vectors the {@code vector} column packed row-major, {@code float[n*d]} (not copied)
     */
    public TitleVectors(String[] keys, String[] kinds, long[] counts, float[] vectors, int d) {
        int n = keys.length;
        if (kinds.length != n || counts.length != n) {
            throw new IllegalArgumentException("column lengths differ: keys " + n + ", kinds " + kinds.length
                    + ", counts " + counts.length);
        }
        if (d < 1 || (long) n * d != vectors.length) {
            throw new IllegalArgumentException("vectors have " + vectors.length + " values, expected " + n + "x" + d);
        }
        this.d = d;
        this.vectors = vectors;
        this.counts = counts;
        for (int i = 0; i < n; i++) {
            if (keys[i] == null) {
                throw new IllegalArgumentException("row " + i + ": key is null");
            }
            Map<String, Integer> target;
            if (KIND_TITLE.equals(kinds[i])) {
                target = titles;
            } else if (KIND_TOKEN.equals(kinds[i])) {
                target = tokens;
            } else {
                throw new IllegalArgumentException("row " + i + ": kind must be \"title\" or \"token\", got \""
                        + kinds[i] + "\"");
            }
            if (counts[i] < 0) {
                throw new IllegalArgumentException("row " + i + ": negative count " + counts[i]);
            }
            if (target.put(keys[i], i) != null) {
                throw new IllegalArgumentException("row " + i + ": duplicate " + kinds[i] + " \"" + keys[i] + "\"");
            }
        }
    }

    public int dimension() {
        return d;
    }

    public int titleCount() {
        return titles.size();
    }

    public int tokenCount() {
        return tokens.size();
    }

    /** The query vector for a raw title, or {@code null} when neither the title nor any token is known. */
    public float[] vector(String rawTitle) {
        return lookup(rawTitle).vector();
    }

    /** The query for a raw title with how it was found. */
    public Query lookup(String rawTitle) {
        String normalized = TitleNormalizer.normalize(rawTitle);
        if (normalized.isEmpty()) {
            return new Query(normalized, Source.UNKNOWN, null, 0);
        }
        Integer exact = titles.get(normalized);
        if (exact != null) {
            float[] out = new float[d];
            System.arraycopy(vectors, exact * d, out, 0, d);
            return new Query(normalized, Source.TITLE, out, 0);
        }
        List<String> words = TitleNormalizer.tokens(normalized);
        Set<String> distinct = new LinkedHashSet<>(words);
        double[] sum = new double[d];
        double weight = 0;
        int used = 0;
        for (String token : distinct) {
            Integer row = tokens.get(token);
            if (row == null || counts[row] == 0) {
                continue;
            }
            double w = counts[row];
            int off = row * d;
            for (int a = 0; a < d; a++) {
                sum[a] += w * vectors[off + a];
            }
            weight += w;
            used++;
        }
        if (used == 0) {
            return new Query(normalized, Source.UNKNOWN, null, 0);
        }
        float[] out = new float[d];
        for (int a = 0; a < d; a++) {
            out[a] = (float) (sum[a] / weight);
        }
        return new Query(normalized, Source.TOKENS, out, used);
    }
}
