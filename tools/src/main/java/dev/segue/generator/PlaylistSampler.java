package dev.segue.generator;

import java.util.SplittableRandom;

/**
 * Draws the ordered tracks of a playlist from its theme: favourite-artist runs (often consecutive tracks of
 * one album), noise tracks from overall popularity, and theme draws whose distribution drifts with position
 * (see {@link ThemeModel#headProbability} and {@link ThemeModel#genreWeightsAt}). No track repeats, and
 * every playlist has at least 3 artists and 2 albums.
 */
public final class PlaylistSampler {
    /** Runs of a favourite artist last 1 + Geometric(RUN_STOP) tracks (mean 2.5). */
    static final double RUN_STOP = 0.4;
    static final double MEAN_RUN = 1 / RUN_STOP;
    static final double ALBUM_RUN_RATE = 0.6;
    static final int MIN_ARTISTS = 3;
    static final int MIN_ALBUMS = 2;

    private final ThemeModel model;
    private final Catalog catalog;

    public PlaylistSampler(ThemeModel model) {
        this.model = model;
        this.catalog = model.catalog();
    }

    /** Probability that a position outside a run starts a favourite run, so that favourites fill {@code rate}. */
    static double runStart(double rate) {
        return rate / (MEAN_RUN - rate * (MEAN_RUN - 1));
    }

    public int[] sample(Theme theme, int length, SplittableRandom r) {
        int[] out = new int[length];
        TrackSet seen = new TrackSet(length);
        double start = runStart(theme.favoriteRate());
        double[] gw = new double[theme.genres().length];
        int runLeft = 0;
        int runArtist = -1;
        int albumNext = -1;
        int albumEnd = -1;
        for (int pos = 0; pos < length; pos++) {
            int t = -1;
            if (runLeft > 0) {
                runLeft--;
                if (albumNext >= 0 && albumNext < albumEnd && !seen.contains(albumNext)) {
                    t = albumNext++;
                } else {
                    albumNext = -1;
                    t = model.drawFromArtist(runArtist, r);
                }
            } else if (theme.favorites().length > 0 && r.nextDouble() < start) {
                runArtist = theme.favorites()[Draw.weighted(r, theme.favoriteWeights())];
                t = model.drawFromArtist(runArtist, r);
                runLeft = Draw.geometric(r, RUN_STOP);
                if (r.nextDouble() < ALBUM_RUN_RATE) {
                    albumNext = t + 1;
                    albumEnd = catalog.endTrackOfAlbum(catalog.albumOf(t));
                } else {
                    albumNext = -1;
                }
            } else if (r.nextDouble() < theme.noiseRate()) {
                t = model.drawNoise(r);
            } else {
                t = themeDraw(theme, pos, gw, r);
            }
            for (int tries = 0; seen.contains(t); tries++) {
                t = tries < 8 ? themeDraw(theme, pos, gw, r) : model.drawNoise(r);
            }
            seen.add(t);
            out[pos] = t;
        }
        ensureVariety(out, theme, seen, gw, r);
        return out;
    }

    private int themeDraw(Theme theme, int pos, double[] gw, SplittableRandom r) {
        ThemeModel.genreWeightsAt(theme, pos, gw);
        int g = theme.genres()[Draw.weighted(r, gw)];
        if (r.nextDouble() < ThemeModel.DEEP_CUT_RATE) {
            return model.drawDeepCut(g, r);
        }
        boolean head = r.nextDouble() < ThemeModel.headProbability(pos);
        return model.drawFromGenre(g, theme.occasion(), head, r);
    }

    /** Replaces tracks from the end until the playlist has enough distinct artists and albums. */
    private void ensureVariety(int[] tracks, Theme theme, TrackSet seen, double[] gw, SplittableRandom r) {
        int pos = tracks.length - 1;
        while (pos > 0 && !varied(tracks)) {
            TrackSet artists = new TrackSet(tracks.length);
            TrackSet albums = new TrackSet(tracks.length);
            for (int t : tracks) {
                artists.add(catalog.artistOf(t));
                albums.add(catalog.albumOf(t));
            }
            int replacement = -1;
            for (int tries = 0; tries < 200; tries++) {
                int t = tries < 100 ? themeDraw(theme, pos, gw, r) : model.drawNoise(r);
                if (!seen.contains(t) && !artists.contains(catalog.artistOf(t)) && !albums.contains(catalog.albumOf(t))) {
                    replacement = t;
                    break;
                }
            }
            if (replacement >= 0) {
                seen.add(replacement);
                tracks[pos] = replacement;
            }
            pos--;
        }
    }

    boolean varied(int[] tracks) {
        TrackSet artists = new TrackSet(tracks.length);
        TrackSet albums = new TrackSet(tracks.length);
        int a = 0;
        int b = 0;
        for (int t : tracks) {
            if (artists.add(catalog.artistOf(t))) {
                a++;
            }
            if (albums.add(catalog.albumOf(t))) {
                b++;
            }
        }
        return a >= MIN_ARTISTS && b >= MIN_ALBUMS;
    }

    /** A small open-addressing set of non-negative ints. */
    static final class TrackSet {
        private final int[] slots;
        private final int mask;

        TrackSet(int expected) {
            int cap = Integer.highestOneBit(Math.max(8, expected * 3)) << 1;
            slots = new int[cap];
            java.util.Arrays.fill(slots, -1);
            mask = cap - 1;
        }

        boolean contains(int v) {
            for (int i = (int) (RandomStreams.mix64(v) & mask); ; i = (i + 1) & mask) {
                if (slots[i] == v) {
                    return true;
                }
                if (slots[i] < 0) {
                    return false;
                }
            }
        }

        /** Adds {@code v}; true if it was not there. */
        boolean add(int v) {
            for (int i = (int) (RandomStreams.mix64(v) & mask); ; i = (i + 1) & mask) {
                if (slots[i] == v) {
                    return false;
                }
                if (slots[i] < 0) {
                    slots[i] = v;
                    return true;
                }
            }
        }
    }
}
