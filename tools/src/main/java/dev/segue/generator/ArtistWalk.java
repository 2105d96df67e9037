package dev.segue.generator;

import java.util.SplittableRandom;

/**
 * The drifting playlist shape ({@link WorldShape#DRIFT}): a playlist starts at one artist of its theme and
 * walks over related artists, staying {@code 1 + Geometric(RUN_STOP)} tracks (mean 2) on each, so its later
 * tracks wander away from its first ones. Each position is, with probability {@link #tailRate(int)} (growing
 * from 0 towards {@link #TAIL_MAX} along the playlist), a globally popular track instead (the more popular of
 * two draws by genre share: popular tails), and with {@link #NOISE_RATE} a noise track; otherwise a track of
 * the walk's current artist by popularity.
 *
 * <p>Related artists are fixed per world: {@link #NEIGHBOURS} per artist, mostly of its fine genre, some of its
 * broad genre and a few of any genre, each by popularity^0.8. The walk's artist at every position is the latent
 * state that truth/playlists.jsonl records and the oracle ranks by.
 */
public final class ArtistWalk {
    static final int NEIGHBOURS = 8;
    static final double SAME_GENRE = 0.6;
    static final double SAME_BROAD = 0.3;
    static final double RUN_STOP = 0.5;
    static final double NOISE_RATE = 0.04;
    static final double TAIL_MAX = 0.35;
    static final double TAIL_SCALE = 30;

    private final ThemeModel model;
    private final Catalog catalog;
    private final int[][] related;

    /** A walked playlist: its tracks and the walk's artist at each position. */
    public record Walked(int[] tracks, int[] artists) {}

    public ArtistWalk(ThemeModel model, RandomStreams streams) {
        this.model = model;
        this.catalog = model.catalog();
        Taxonomy tax = catalog.taxonomy();
        int genres = tax.genres().size();
        double[] share = model.genreShares();
        double[][] broadWeights = new double[genres][];
        for (Genre g : tax.genres()) {
            double[] w = new double[genres];
            for (Genre h : tax.genres()) {
                w[h.id()] = h.broad() == g.broad() ? share[h.id()] : 0;
            }
            broadWeights[g.id()] = w;
        }
        related = new int[catalog.artists()][];
        for (int a = 0; a < catalog.artists(); a++) {
            SplittableRandom r = streams.stream(RandomStreams.Kind.WALK, a);
            int own = catalog.artistGenre(a);
            int[] out = new int[NEIGHBOURS];
            int n = 0;
            for (int tries = 0; n < NEIGHBOURS && tries < NEIGHBOURS * 6; tries++) {
                double u = r.nextDouble();
                int g = u < SAME_GENRE ? own : u < SAME_GENRE + SAME_BROAD ? Draw.weighted(r, broadWeights[own])
                        : Draw.weighted(r, share);
                int b = model.drawArtist(g, r);
                if (b != a && !contains(out, n, b)) {
                    out[n++] = b;
                }
            }
            related[a] = java.util.Arrays.copyOf(out, n);
        }
    }

    /** Probability that the track at {@code pos} is a globally popular one (the popular tail). */
    public static double tailRate(int pos) {
        return TAIL_MAX * (1 - Math.exp(-pos / TAIL_SCALE));
    }

    /** The related artists of {@code artist} (possibly fewer than {@link #NEIGHBOURS} in a tiny genre). */
    public int[] related(int artist) {
        return related[artist];
    }

    /** Walks a playlist of {@code length} tracks from the theme's first favourite (or an artist of its genre). */
    public Walked sample(Theme theme, int length, SplittableRandom r) {
        int[] tracks = new int[length];
        int[] artists = new int[length];
        PlaylistSampler.TrackSet seen = new PlaylistSampler.TrackSet(length);
        int artist = theme.favorites().length > 0 ? theme.favorites()[0] : model.drawArtist(theme.primaryGenre(), r);
        int runLeft = 1 + Draw.geometric(r, RUN_STOP);
        for (int pos = 0; pos < length; pos++) {
            if (runLeft == 0) {
                int[] next = related[artist];
                if (next.length > 0) {
                    artist = next[r.nextInt(next.length)];
                }
                runLeft = 1 + Draw.geometric(r, RUN_STOP);
            }
            runLeft--;
            artists[pos] = artist;
            double u = r.nextDouble();
            int t = u < NOISE_RATE ? model.drawNoise(r)
                    : u < NOISE_RATE + tailRate(pos) ? model.drawPopular(r) : model.drawFromArtist(artist, r);
            for (int tries = 0; seen.contains(t); tries++) {
                t = tries < 4 ? model.drawFromArtist(artist, r) : model.drawNoise(r);
            }
            seen.add(t);
            tracks[pos] = t;
        }
        ensureVariety(tracks, seen, r);
        return new Walked(tracks, artists);
    }

    /** Replaces tracks from the end by noise tracks of new artists and albums until there are 3 and 2. */
    private void ensureVariety(int[] tracks, PlaylistSampler.TrackSet seen, SplittableRandom r) {
        for (int pos = tracks.length - 1; pos > 0 && !varied(tracks); pos--) {
            PlaylistSampler.TrackSet artists = new PlaylistSampler.TrackSet(tracks.length);
            PlaylistSampler.TrackSet albums = new PlaylistSampler.TrackSet(tracks.length);
            for (int t : tracks) {
                artists.add(catalog.artistOf(t));
                albums.add(catalog.albumOf(t));
            }
            for (int tries = 0; tries < 200; tries++) {
                int t = model.drawNoise(r);
                if (!seen.contains(t) && !artists.contains(catalog.artistOf(t)) && !albums.contains(catalog.albumOf(t))) {
                    seen.add(t);
                    tracks[pos] = t;
                    break;
                }
            }
        }
    }

    private boolean varied(int[] tracks) {
        PlaylistSampler.TrackSet artists = new PlaylistSampler.TrackSet(tracks.length);
        PlaylistSampler.TrackSet albums = new PlaylistSampler.TrackSet(tracks.length);
        int a = 0;
        int b = 0;
        for (int t : tracks) {
            a += artists.add(catalog.artistOf(t)) ? 1 : 0;
            b += albums.add(catalog.albumOf(t)) ? 1 : 0;
        }
        return a >= PlaylistSampler.MIN_ARTISTS && b >= PlaylistSampler.MIN_ALBUMS;
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
