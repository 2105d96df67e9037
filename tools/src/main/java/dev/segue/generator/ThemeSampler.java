package dev.segue.generator;

import java.util.SplittableRandom;

/** Draws the latent {@link Theme} of a playlist or of a listener. */
public final class ThemeSampler {
    static final double OCCASION_RATE = 0.55;
    static final double ARTIST_FOCUSED_RATE = 0.05;

    private final ThemeModel model;
    private final Taxonomy taxonomy;
    private final double[] occasionWeights;

    public ThemeSampler(ThemeModel model) {
        this.model = model;
        this.taxonomy = model.taxonomy();
        occasionWeights = new double[taxonomy.occasions().size()];
        for (Occasion o : taxonomy.occasions()) {
            occasionWeights[o.id()] = o.weight();
        }
    }

    /** A playlist theme for a playlist of {@code length} tracks. */
    public Theme playlist(SplittableRandom r, int length) {
        int occasion = r.nextDouble() < OCCASION_RATE ? Draw.weighted(r, occasionWeights) : taxonomy.none().id();
        boolean focused = r.nextDouble() < ARTIST_FOCUSED_RATE;
        int k = r.nextDouble() < 0.45 ? 1 : r.nextDouble() < 0.64 ? 2 : 3;
        int favoriteCount = Math.min(12, 1 + Draw.poisson(r, length / 18.0));
        double favoriteRate = focused ? 0.55 + 0.25 * r.nextDouble() : 0.10 + 0.25 * r.nextDouble();
        if (taxonomy.occasion(occasion).christmas()) {
            favoriteRate *= 0.3;
        }
        double noise = 0.04 + 0.06 * r.nextDouble();
        return make(r, occasion, k, favoriteCount, favoriteRate, noise, focused);
    }

    /** A listener's taste: genres and favourite artists, no occasion. */
    public Theme listener(SplittableRandom r) {
        int k = 1 + r.nextInt(3);
        int favorites = 3 + r.nextInt(10);
        return make(r, taxonomy.none().id(), k, favorites, 0.3 + 0.3 * r.nextDouble(), 0.05, false);
    }

    private Theme make(SplittableRandom r, int occasion, int k, int favoriteCount, double favoriteRate,
                       double noise, boolean focused) {
        int n = taxonomy.genres().size();
        int[] genres = new int[k];
        double[] w = new double[n];
        for (Genre g : taxonomy.genres()) {
            w[g.id()] = g.weight() * model.fit(occasion, g.id());
        }
        genres[0] = Draw.weighted(r, w);
        int primaryBroad = taxonomy.genre(genres[0]).broad();
        for (int i = 1; i < k; i++) {
            boolean sameBroad = r.nextDouble() < 0.65;
            double[] v = new double[n];
            double sum = 0;
            for (Genre g : taxonomy.genres()) {
                if (!contains(genres, i, g.id()) && (!sameBroad || g.broad() == primaryBroad)) {
                    v[g.id()] = w[g.id()];
                    sum += v[g.id()];
                }
            }
            if (sum == 0) {
                for (Genre g : taxonomy.genres()) {
                    v[g.id()] = contains(genres, i, g.id()) ? 0 : w[g.id()];
                }
            }
            genres[i] = Draw.weighted(r, v);
        }
        double[] weights = new double[k];
        weights[0] = k == 1 ? 1 : 0.45 + 0.4 * r.nextDouble();
        double rest = 1 - weights[0];
        double s = 0;
        for (int i = 1; i < k; i++) {
            weights[i] = 0.2 + r.nextDouble();
            s += weights[i];
        }
        for (int i = 1; i < k; i++) {
            weights[i] = rest * weights[i] / s;
        }
        int[] favorites = new int[favoriteCount];
        int m = 0;
        for (int tries = 0; m < favoriteCount && tries < favoriteCount * 4; tries++) {
            int g = genres[Draw.weighted(r, weights)];
            int a = model.drawArtist(g, r);
            if (!contains(favorites, m, a)) {
                favorites[m++] = a;
            }
        }
        favorites = java.util.Arrays.copyOf(favorites, m);
        double[] fw = new double[m];
        double fs = 0;
        for (int i = 0; i < m; i++) {
            fw[i] = Draw.exponential(r, 1) * (focused && i == 0 ? 6 : 1);
            fs += fw[i];
        }
        for (int i = 0; i < m; i++) {
            fw[i] /= fs;
        }
        return new Theme(genres, weights, occasion, favorites, fw, m == 0 ? 0 : favoriteRate, noise, focused);
    }

    private static boolean contains(int[] values, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (values[i] == v) {
                return true;
            }
        }
        return false;
    }
}
