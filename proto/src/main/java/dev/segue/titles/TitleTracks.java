package dev.segue.titles;

import dev.segue.format.TitleNormalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;

/**
 * What training playlists with a title held, from the {@code title_tracks} feature set, and the one rule for
 * ranking a title-only query with it, shared by the index server and the {@code als-exact} baseline.
 *
 * <p>For a title seen in {@code n} training playlists, {@code c_i} of which hold track {@code i}, the score of
 * {@code i} is the posterior mean of "a playlist with this title holds i" under a prior worth {@code κ}
 * pseudo-playlists centred on the factor model's estimate {@code q·y_i} (q: the title's row of
 * {@code title_embeddings}, a mean of playlist factors, so {@code q·y_i} is the mean predicted preference):
 *
 * <pre>  s_i = (c_i + κ · q·y_i) / (n + κ)</pre>
 *
 * A frequent title is ranked by what its playlists actually held (the low-rank model smooths away what is
 * specific to one title), a rare one by the factor model. Tracks the title never held score
 * {@code κ·q·y_i/(n + κ)}, in the factor model's order, so the top k of the union of the title's tracks and the
 * top k by {@code q·y} is the exact top k ({@link #rerank}). Only the top tracks of each title are stored;
 * beyond them {@code c_i} is taken as 0.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class TitleTracks {
    /** Default prior weight κ, in pseudo-playlists. */
    public static final double DEFAULT_PSEUDO_PLAYLISTS = 100;

    /** One title's playlists count and its tracks (rows of the caller's catalogue) with their counts. */
    public record Entry(String title, long playlists, int[] rows, long[] counts) {}

    /** A ranked list: {@code rows[0..size)} best first, with their scores. */
    public record Ranked(int[] rows, float[] scores, int size) {}

    private final Map<String, Entry> byTitle;
    private final long tracks;

    /**
     * @param titles         normalised title of each row
     * @param rows           the track of each row as a row of the caller's catalogue; negative = unknown, skipped
     * @param counts         playlists with the title holding the track (positive)
     * @param titlePlaylists playlists with the title (the same on every row of a title, ≥ every count)
     */
    public TitleTracks(String[] titles, int[] rows, long[] counts, long[] titlePlaylists) {
        int n = titles.length;
        if (rows.length != n || counts.length != n || titlePlaylists.length != n) {
            throw new IllegalArgumentException("column lengths differ: titles " + n + ", rows " + rows.length
                    + ", counts " + counts.length + ", title playlists " + titlePlaylists.length);
        }
        Map<String, int[]> sizes = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (titles[i] == null) {
                throw new IllegalArgumentException("row " + i + ": title is null");
            }
            if (counts[i] < 1 || titlePlaylists[i] < counts[i]) {
                throw new IllegalArgumentException("row " + i + " (\"" + titles[i] + "\"): count " + counts[i]
                        + " must be positive and at most the title's playlists " + titlePlaylists[i]);
            }
            sizes.computeIfAbsent(titles[i], t -> new int[1])[0]++;
        }
        Map<String, Entry> out = new HashMap<>();
        Map<String, int[]> fill = new HashMap<>();
        long kept = 0;
        for (int i = 0; i < n; i++) {
            if (rows[i] < 0) {
                continue;
            }
            Entry e = out.get(titles[i]);
            if (e == null) {
                int size = sizes.get(titles[i])[0];
                e = new Entry(titles[i], titlePlaylists[i], new int[size], new long[size]);
                out.put(titles[i], e);
                fill.put(titles[i], new int[1]);
            } else if (e.playlists() != titlePlaylists[i]) {
                throw new IllegalArgumentException("row " + i + " (\"" + titles[i] + "\"): title playlists "
                        + titlePlaylists[i] + " differ from an earlier row's " + e.playlists());
            }
            int at = fill.get(titles[i])[0]++;
            e.rows()[at] = rows[i];
            e.counts()[at] = counts[i];
            kept++;
        }
        for (Map.Entry<String, Entry> me : out.entrySet()) {
            Entry e = me.getValue();
            int used = fill.get(me.getKey())[0];
            me.setValue(new Entry(e.title(), e.playlists(), Arrays.copyOf(e.rows(), used), Arrays.copyOf(e.counts(), used)));
        }
        this.byTitle = out;
        this.tracks = kept;
    }

    public int titleCount() {
        return byTitle.size();
    }

    /** Title–track pairs kept (known tracks). */
    public long pairCount() {
        return tracks;
    }

    /** The entry of a raw title (normalised with {@link TitleNormalizer}), or null when the title is unknown. */
    public Entry lookup(String rawTitle) {
        String normalized = TitleNormalizer.normalize(rawTitle);
        return normalized.isEmpty() ? null : byTitle.get(normalized);
    }

    /** {@code (c + κ·qy) / (n + κ)}. */
    public static double score(long count, long playlists, double innerProduct, double pseudoPlaylists) {
        return (count + pseudoPlaylists * innerProduct) / (playlists + pseudoPlaylists);
    }

    /**
     * The top {@code k} by {@link #score} of the union of {@code candidates} (rows with their {@code q·y}, which
     * must hold the top k eligible rows by {@code q·y}) and the title's eligible tracks, best first; equal
     * scores by row. {@code innerProduct} gives {@code q·y} of a title track (computed the way the candidates'
     * scores were, so a track in both gets one score).
     *
     * @throws IllegalArgumentException a negative prior weight
     */
    public static Ranked rerank(int[] candidateRows, float[] candidateScores, int candidateCount, Entry title,
                                IntToDoubleFunction innerProduct, IntPredicate eligible, double pseudoPlaylists, int k) {
        if (!(pseudoPlaylists >= 0)) {
            throw new IllegalArgumentException("the prior weight must be non-negative, got " + pseudoPlaylists);
        }
        Map<Integer, Long> counts = new HashMap<>(title.rows().length * 2);
        for (int i = 0; i < title.rows().length; i++) {
            counts.put(title.rows()[i], title.counts()[i]);
        }
        int total = candidateCount + title.rows().length;
        int[] rows = new int[total];
        double[] scores = new double[total];
        int m = 0;
        for (int i = 0; i < candidateCount; i++) {
            int row = candidateRows[i];
            Long c = counts.remove(row);
            rows[m] = row;
            scores[m++] = score(c == null ? 0 : c, title.playlists(), candidateScores[i], pseudoPlaylists);
        }
        for (int i = 0; i < title.rows().length; i++) {
            int row = title.rows()[i];
            Long c = counts.remove(row); // null when the candidates had it, or a repeated row
            if (c == null || !eligible.test(row)) {
                continue;
            }
            rows[m] = row;
            scores[m++] = score(c, title.playlists(), innerProduct.applyAsDouble(row), pseudoPlaylists);
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a])
                : Integer.compare(rows[a], rows[b]));
        int size = Math.min(k, m);
        int[] outRows = new int[size];
        float[] outScores = new float[size];
        for (int i = 0; i < size; i++) {
            outRows[i] = rows[order[i]];
            outScores[i] = (float) scores[order[i]];
        }
        return new Ranked(outRows, outScores, size);
    }
}
