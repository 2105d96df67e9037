package dev.segue.generator;

import dev.segue.util.IntList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The track distributions behind every playlist: for each fine genre and occasion, tracks of the genre
 * weighted by popularity × occasion affinity (from audio features); per genre, artists weighted by
 * popularity; per artist, its tracks by popularity. Sampling and exact probabilities come from the same
 * cumulative tables, so the oracle ranks by exactly what the sampler draws from.
 *
 * <p>Order drift lives here too: near the top of a playlist a theme draw takes the more popular of two draws
 * (with probability {@link #headProbability}) and the primary genre is boosted ({@link #genreWeightsAt}).
 */
public final class ThemeModel {
    /** Theme draws weigh tracks by popularity^this (below 1: playlists reach into the long tail). */
    static final double POPULARITY_EXPONENT = 0.8;
    /** Share of theme draws that are deep cuts: any track of the genre, uniformly. */
    public static final double DEEP_CUT_RATE = 0.08;
    private final Catalog catalog;
    private final Taxonomy taxonomy;
    private final int occasions;
    /** Per genre: its tracks, most popular first. */
    private final int[][] genreTracks;
    /** [genre][occasion]: cumulative weight over genreTracks[genre]. */
    private final double[][][] cum;
    /** [occasion][genre]: how well a genre suits an occasion (pop-weighted mean affinity). */
    private final double[][] fit;
    private final int[][] genreArtists;
    private final double[][] genreArtistCum;
    /** Per track: cumulative popularity within its artist's tracks (restarting at each artist). */
    private final double[] artistTrackCum;
    private final double[] genreShare;

    public ThemeModel(Catalog catalog, ExecutorService pool) {
        this.catalog = catalog;
        this.taxonomy = catalog.taxonomy();
        this.occasions = taxonomy.occasionCount();
        int genres = taxonomy.genres().size();
        IntList[] lists = new IntList[genres];
        for (int g = 0; g < genres; g++) {
            lists[g] = new IntList(1024);
        }
        for (int t = 0; t < catalog.tracks(); t++) {
            lists[catalog.genreOf(t)].add(t);
        }
        genreTracks = new int[genres][];
        cum = new double[genres][][];
        fit = new double[occasions][genres];
        List<Future<?>> jobs = new ArrayList<>();
        for (int g = 0; g < genres; g++) {
            int genre = g;
            jobs.add(pool.submit(() -> buildGenre(genre, lists[genre])));
        }
        for (Future<?> j : jobs) {
            OrderedTasks.await(j);
        }
        for (int o = 0; o < occasions; o++) {
            for (int g = 0; g < genres; g++) {
                double none = total(g, taxonomy.none().id());
                fit[o][g] = none == 0 ? 0 : total(g, o) / none;
            }
        }
        genreArtists = new int[genres][];
        genreArtistCum = new double[genres][];
        IntList[] artists = new IntList[genres];
        for (int g = 0; g < genres; g++) {
            artists[g] = new IntList(64);
        }
        for (int a = 0; a < catalog.artists(); a++) {
            artists[catalog.artistGenre(a)].add(a);
        }
        for (int g = 0; g < genres; g++) {
            int[] ids = artists[g].toArray();
            genreArtists[g] = ids;
            double[] c = new double[ids.length];
            double s = 0;
            for (int i = 0; i < ids.length; i++) {
                s += Math.pow(catalog.artistPop[ids[i]], 0.8);
                c[i] = s;
            }
            genreArtistCum[g] = c;
        }
        artistTrackCum = new double[catalog.tracks()];
        for (int a = 0; a < catalog.artists(); a++) {
            double s = 0;
            for (int t = catalog.firstTrackOfArtist(a); t < catalog.endTrackOfArtist(a); t++) {
                s += catalog.trackPop[t];
                artistTrackCum[t] = s;
            }
        }
        genreShare = new double[genres];
        for (Genre g : taxonomy.genres()) {
            genreShare[g.id()] = g.weight();
        }
    }

    private void buildGenre(int g, IntList list) {
        Integer[] boxed = new Integer[list.size()];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = list.get(i);
        }
        // Most popular first (ties by id) so "the more popular of two draws" is "the smaller index".
        Arrays.sort(boxed, (x, y) -> {
            int c = Float.compare(catalog.trackPop[y], catalog.trackPop[x]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        int[] tracks = new int[boxed.length];
        for (int i = 0; i < tracks.length; i++) {
            tracks[i] = boxed[i];
        }
        double[][] tables = new double[occasions][tracks.length];
        double[] z = new double[AudioFeature.values().length];
        double[] sums = new double[occasions];
        for (int i = 0; i < tracks.length; i++) {
            int t = tracks[i];
            for (AudioFeature f : AudioFeature.values()) {
                z[f.ordinal()] = f.standardise(catalog.feature(f, t));
            }
            boolean xmas = catalog.christmas(t);
            for (int o = 0; o < occasions; o++) {
                Occasion occ = taxonomy.occasion(o);
                double w = Math.pow(catalog.trackPop[t], POPULARITY_EXPONENT)
                        * (o == taxonomy.none().id() ? (xmas ? 0.03 : 1.0) : occ.affinity(z, xmas));
                sums[o] += w;
                tables[o][i] = sums[o];
            }
        }
        genreTracks[g] = tracks;
        cum[g] = tables;
    }

    public Catalog catalog() {
        return catalog;
    }

    public Taxonomy taxonomy() {
        return taxonomy;
    }

    private double total(int g, int o) {
        double[] c = cum[g][o];
        return c.length == 0 ? 0 : c[c.length - 1];
    }

    /** How well genre {@code g} suits occasion {@code o} (1 for none). */
    public double fit(int o, int g) {
        return fit[o][g];
    }

    public int[] genreTracks(int g) {
        return genreTracks[g];
    }

    // ---- order drift -------------------------------------------------------------------------------

    /** Probability that a theme draw at position {@code pos} is the more popular of two draws. */
    public static double headProbability(int pos) {
        return 0.7 * Math.exp(-pos / 12.0);
    }

    /** The genre mixture at a position: the primary genre is boosted near the top of the playlist. */
    public static double[] genreWeightsAt(Theme theme, int pos, double[] out) {
        double boost = 1.5 * Math.exp(-pos / 20.0);
        double s = 0;
        for (int i = 0; i < theme.genres().length; i++) {
            out[i] = theme.genreWeights()[i] * (i == 0 ? 1 + boost : 1);
            s += out[i];
        }
        for (int i = 0; i < theme.genres().length; i++) {
            out[i] /= s;
        }
        return out;
    }

    // ---- sampling ----------------------------------------------------------------------------------

    /** A track of genre {@code g} for occasion {@code o}; {@code head}: the more popular of two draws. */
    public int drawFromGenre(int g, int o, boolean head, SplittableRandom r) {
        double[] c = cum[g][o];
        if (c.length == 0 || c[c.length - 1] <= 0) {
            c = cum[g][taxonomy.none().id()];
        }
        int i = Draw.search(c, 0, c.length, r.nextDouble() * c[c.length - 1]);
        if (head) {
            i = Math.min(i, Draw.search(c, 0, c.length, r.nextDouble() * c[c.length - 1]));
        }
        return genreTracks[g][i];
    }

    /** A deep cut: any track of genre {@code g}, uniformly (the long tail no popularity signal finds). */
    public int drawDeepCut(int g, SplittableRandom r) {
        int[] tracks = genreTracks[g];
        return tracks[r.nextInt(tracks.length)];
    }

    /** Adds {@code coef / n} to each of the {@code n} tracks of genre {@code g} (deep-cut probabilities). */
    public void addDeepCutProbabilities(int g, double coef, double[] scores) {
        int[] tracks = genreTracks[g];
        double p = coef / tracks.length;
        for (int t : tracks) {
            scores[t] += p;
        }
    }

    /** A genre drawn by overall genre popularity (the noise component), then a track of it. */
    public int drawNoise(SplittableRandom r) {
        int g = Draw.weighted(r, genreShare);
        return drawFromGenre(g, taxonomy.none().id(), false, r);
    }

    /** A globally popular track: a genre by overall share, then the more popular of two of its tracks. */
    public int drawPopular(SplittableRandom r) {
        int g = Draw.weighted(r, genreShare);
        return drawFromGenre(g, taxonomy.none().id(), true, r);
    }

    /** An artist of genre {@code g}, by popularity^0.8. */
    public int drawArtist(int g, SplittableRandom r) {
        double[] c = genreArtistCum[g];
        return genreArtists[g][Draw.search(c, 0, c.length, r.nextDouble() * c[c.length - 1])];
    }

    /** A track of artist {@code a}, by popularity. */
    public int drawFromArtist(int a, SplittableRandom r) {
        int from = catalog.firstTrackOfArtist(a);
        int to = catalog.endTrackOfArtist(a);
        return Draw.search(artistTrackCum, from, to, r.nextDouble() * artistTrackCum[to - 1]);
    }

    // ---- exact probabilities (oracle) ----------------------------------------------------------------

    /**
     * Adds {@code coef * P(track | genre g, occasion o, head)} to {@code scores} for every track of the
     * genre. With {@code head} the draw is the more popular of two: P(min index = i) = (1-F(i-1))^2 - (1-F(i))^2.
     */
    public void addGenreProbabilities(int g, int o, boolean head, double coef, double[] scores) {
        double[] c = cum[g][o];
        if (c.length == 0 || c[c.length - 1] <= 0) {
            c = cum[g][taxonomy.none().id()];
        }
        double total = c[c.length - 1];
        int[] tracks = genreTracks[g];
        double previous = 0;
        for (int i = 0; i < c.length; i++) {
            double p;
            if (head) {
                double before = 1 - previous / total;
                double after = 1 - c[i] / total;
                p = before * before - after * after;
            } else {
                p = (c[i] - previous) / total;
            }
            scores[tracks[i]] += coef * p;
            previous = c[i];
        }
    }

    /** Adds {@code coef * P(track)} under {@link #drawPopular} for every track. */
    public void addPopularProbabilities(double coef, double[] scores) {
        double[] share = genreShares();
        for (int g = 0; g < share.length; g++) {
            addGenreProbabilities(g, taxonomy.none().id(), true, coef * share[g], scores);
        }
    }

    /** Adds {@code coef * P(track | artist a)} for the artist's tracks. */
    public void addArtistProbabilities(int a, double coef, double[] scores) {
        int from = catalog.firstTrackOfArtist(a);
        int to = catalog.endTrackOfArtist(a);
        double total = artistTrackCum[to - 1];
        double previous = 0;
        for (int t = from; t < to; t++) {
            scores[t] += coef * (artistTrackCum[t] - previous) / total;
            previous = artistTrackCum[t];
        }
    }

    /** Normalised overall genre shares (the noise component's genre distribution). */
    public double[] genreShares() {
        double s = 0;
        for (double x : genreShare) {
            s += x;
        }
        double[] out = new double[genreShare.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = genreShare[i] / s;
        }
        return out;
    }
}
