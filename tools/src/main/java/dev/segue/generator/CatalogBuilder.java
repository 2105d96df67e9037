package dev.segue.generator;

import dev.segue.util.IntList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Builds the catalog: per genre, artists with heavy-tailed popularity, each with albums (singles, EPs,
 * LPs, sometimes a christmas album, sometimes an album in a neighbouring genre) and tracks whose audio
 * features are drawn around the genre's profile. Genres are built independently (in parallel) from their own
 * random streams and concatenated in genre order, so the result never depends on thread scheduling.
 */
public final class CatalogBuilder {
    private static final int F = AudioFeature.values().length;

    private CatalogBuilder() {}

    public static Catalog build(Taxonomy taxonomy, CatalogPlan plan, RandomStreams streams, ExecutorService pool) {
        List<Genre> genres = taxonomy.genres();
        double[] share = new double[genres.size()];
        double total = 0;
        for (Genre g : genres) {
            share[g.id()] = Math.pow(g.weight(), 0.7);
            total += share[g.id()];
        }
        List<Future<Part>> futures = new ArrayList<>();
        for (Genre g : genres) {
            int budget = (int) Math.max(60, Math.round(plan.tracks() * share[g.id()] / total));
            futures.add(pool.submit(() -> new Part(taxonomy, g, budget, streams.stream(RandomStreams.Kind.CATALOG, g.id()))));
        }
        List<Part> parts = new ArrayList<>();
        for (Future<Part> f : futures) {
            parts.add(OrderedTasks.await(f));
        }
        return assemble(taxonomy, parts, streams, pool);
    }

    private static Catalog assemble(Taxonomy taxonomy, List<Part> parts, RandomStreams streams, ExecutorService pool) {
        int artists = 0;
        int albums = 0;
        int tracks = 0;
        for (Part p : parts) {
            artists += p.artistPop.size();
            albums += p.albumArtist.size();
            tracks += p.trackAlbum.size();
        }
        int[] artistGenre = new int[artists];
        float[] artistPop = new float[artists];
        int[] artistFirstAlbum = new int[artists + 1];
        String[] artistName = new String[artists];
        int[] albumArtist = new int[albums];
        int[] albumFirstTrack = new int[albums + 1];
        String[] albumName = new String[albums];
        int[] trackAlbum = new int[tracks];
        int[] trackGenre = new int[tracks];
        float[] trackPop = new float[tracks];
        boolean[] trackChristmas = new boolean[tracks];
        int[] trackDuration = new int[tracks];
        short[][] features = new short[F][tracks];
        String[] trackName = new String[tracks];
        int a0 = 0;
        int b0 = 0;
        int t0 = 0;
        for (Part p : parts) {
            for (int i = 0; i < p.artistPop.size(); i++) {
                artistGenre[a0 + i] = p.genre.id();
                artistPop[a0 + i] = p.artistPop.get(i);
                artistFirstAlbum[a0 + i] = b0 + p.artistFirstAlbum.get(i);
                artistName[a0 + i] = p.artistNames.get(i);
            }
            for (int i = 0; i < p.albumArtist.size(); i++) {
                albumArtist[b0 + i] = a0 + p.albumArtist.get(i);
                albumFirstTrack[b0 + i] = t0 + p.albumFirstTrack.get(i);
                albumName[b0 + i] = p.albumNames.get(i);
            }
            for (int i = 0; i < p.trackAlbum.size(); i++) {
                trackAlbum[t0 + i] = b0 + p.trackAlbum.get(i);
                trackGenre[t0 + i] = p.trackGenre.get(i);
                trackPop[t0 + i] = p.trackPop.get(i);
                trackChristmas[t0 + i] = p.trackChristmas.get(i) != 0;
                trackDuration[t0 + i] = p.trackDuration.get(i);
                for (int f = 0; f < F; f++) {
                    features[f][t0 + i] = (short) p.features[f].get(i);
                }
                trackName[t0 + i] = p.trackNames.get(i);
            }
            a0 += p.artistPop.size();
            b0 += p.albumArtist.size();
            t0 += p.trackAlbum.size();
        }
        artistFirstAlbum[artists] = albums;
        albumFirstTrack[albums] = tracks;

        String[] trackId = new String[tracks];
        String[] trackUri = new String[tracks];
        String[] albumUri = new String[albums];
        String[] artistUri = new String[artists];
        long seed = streams.seed();
        int nTracks = tracks;
        int nAlbums = albums;
        int nArtists = artists;
        List<Future<?>> jobs = new ArrayList<>();
        jobs.add(pool.submit(() -> fillIds(new SpotifyIds(seed, "track"), trackId, trackUri, "spotify:track:", 0, nTracks / 2)));
        jobs.add(pool.submit(() -> fillIds(new SpotifyIds(seed, "track"), trackId, trackUri, "spotify:track:", nTracks / 2, nTracks)));
        jobs.add(pool.submit(() -> fillIds(new SpotifyIds(seed, "album"), null, albumUri, "spotify:album:", 0, nAlbums)));
        jobs.add(pool.submit(() -> fillIds(new SpotifyIds(seed, "artist"), null, artistUri, "spotify:artist:", 0, nArtists)));
        for (Future<?> j : jobs) {
            OrderedTasks.await(j);
        }
        return new Catalog(taxonomy, artistGenre, artistPop, artistFirstAlbum, artistName, artistUri, albumArtist,
                albumFirstTrack, albumName, albumUri, trackAlbum, trackGenre, trackPop, trackChristmas, trackDuration,
                features, trackName, trackId, trackUri);
    }

    private static void fillIds(SpotifyIds ids, String[] bare, String[] uris, String prefix, int from, int to) {
        for (int i = from; i < to; i++) {
            String id = ids.id(i);
            if (bare != null) {
                bare[i] = id;
            }
            uris[i] = prefix + id;
        }
    }

    /** The artists, albums and tracks of one genre, with genre-local indices. */
    private static final class Part {
        final Genre genre;
        final FloatList artistPop = new FloatList();
        final IntList artistFirstAlbum = new IntList(64);
        final List<String> artistNames = new ArrayList<>();
        final IntList albumArtist = new IntList(256);
        final IntList albumFirstTrack = new IntList(256);
        final List<String> albumNames = new ArrayList<>();
        final IntList trackAlbum = new IntList(1024);
        final IntList trackGenre = new IntList(1024);
        final FloatList trackPop = new FloatList();
        final IntList trackChristmas = new IntList(1024);
        final IntList trackDuration = new IntList(1024);
        final IntList[] features = new IntList[F];
        final List<String> trackNames = new ArrayList<>();

        Part(Taxonomy taxonomy, Genre genre, int budget, SplittableRandom r) {
            this.genre = genre;
            for (int f = 0; f < F; f++) {
                features[f] = new IntList(1024);
            }
            int rank = 0;
            while (trackAlbum.size() < budget) {
                addArtist(taxonomy, rank++, r);
            }
        }

        private void addArtist(Taxonomy taxonomy, int rank, SplittableRandom r) {
            int artist = artistPop.size();
            float pop = (float) (Math.pow(rank + 2, -1.05) * Draw.lognormal(r, 1, 0.35));
            String name = NameMaker.artist(r, genre.broadName());
            artistPop.add(pop);
            artistNames.add(name);
            artistFirstAlbum.add(albumArtist.size());
            double[] offset = new double[F];
            for (AudioFeature f : AudioFeature.values()) {
                offset[f.ordinal()] = Draw.normal(r) * 0.45 * scale(f);
            }
            double era = Draw.clamp(genre.mean(AudioFeature.YEAR) + Draw.normal(r) * 7, 1950, 2017);
            double stayBusy = 0.3 + 0.45 * Math.min(1.0, rank / 300.0);
            int albums = 1 + Math.min(11, Draw.geometric(r, stayBusy));
            for (int k = 0; k < albums; k++) {
                int year = (int) Draw.clamp(Math.round(era + k * 2 + Draw.normal(r) * 1.5), 1950, 2017);
                int albumGenre = r.nextDouble() < 0.12 ? neighbour(taxonomy, r) : genre.id();
                addAlbum(artist, name, albumGenre, false, year, pop, offset, r);
            }
            if (r.nextDouble() < genre.christmasRate()) {
                int year = (int) Draw.clamp(Math.round(era + albums + Draw.normal(r) * 3), 1950, 2017);
                addAlbum(artist, name, genre.id(), true, year, pop, offset, r);
            }
        }

        private int neighbour(Taxonomy taxonomy, SplittableRandom r) {
            List<Genre> all = taxonomy.genres();
            double[] w = new double[all.size()];
            boolean sameBroad = r.nextDouble() < 0.7;
            for (Genre g : all) {
                if (g.id() != genre.id() && (!sameBroad || g.broad() == genre.broad())) {
                    w[g.id()] = g.weight();
                }
            }
            double sum = 0;
            for (double x : w) {
                sum += x;
            }
            return sum == 0 ? genre.id() : Draw.weighted(r, w);
        }

        private void addAlbum(int artist, String artistName, int albumGenre, boolean christmas, int year,
                              float artistPopularity, double[] offset, SplittableRandom r) {
            int album = albumArtist.size();
            albumArtist.add(artist);
            albumFirstTrack.add(trackAlbum.size());
            albumNames.add(NameMaker.album(r, christmas, artistName));
            int kind = r.nextInt(20);
            int n = christmas ? 8 + r.nextInt(6) : kind < 8 ? 1 + r.nextInt(2) : kind < 13 ? 3 + r.nextInt(4) : 8 + r.nextInt(7);
            double albumFactor = Draw.lognormal(r, 1, 0.9);
            Genre g = genre;
            for (int k = 0; k < n; k++) {
                double trackFactor = Math.pow(k + 1, -0.7) * Draw.lognormal(r, 1, 0.6);
                trackAlbum.add(album);
                trackGenre.add(albumGenre);
                trackPop.add((float) (artistPopularity * albumFactor * trackFactor));
                trackChristmas.add(christmas ? 1 : 0);
                for (AudioFeature f : AudioFeature.values()) {
                    double v;
                    if (f == AudioFeature.YEAR) {
                        v = year;
                    } else if (f == AudioFeature.DUR) {
                        v = g.mean(f) * Math.exp(0.2 * Draw.normal(r) + offset[f.ordinal()] / 400.0);
                    } else {
                        v = g.mean(f) + offset[f.ordinal()] + Draw.normal(r) * 0.55 * scale(f);
                        if (christmas) {
                            v += christmasShift(f);
                        }
                    }
                    features[f.ordinal()].add((int) Math.round(f.clamp(v)));
                }
                int seconds = features[AudioFeature.DUR.ordinal()].get(trackAlbum.size() - 1);
                trackDuration.add(seconds * 1000 + r.nextInt(1000));
                trackNames.add(NameMaker.track(r, christmas, g.broadName()));
            }
        }

        private static double christmasShift(AudioFeature f) {
            return switch (f) {
                case VAL -> 12;
                case NRGY -> -6;
                case ACOUS -> 10;
                default -> 0;
            };
        }

        private static double scale(AudioFeature f) {
            return switch (f) {
                case YEAR -> 6;
                case BPM -> 18;
                case NRGY -> 14;
                case DNCE -> 11;
                case DB -> 2.2;
                case LIVE -> 9;
                case VAL -> 17;
                case ACOUS -> 16;
                case SPCH -> 5;
                case DUR -> 40;
            };
        }
    }

    /** A growable {@code float} array. */
    private static final class FloatList {
        private float[] values = new float[256];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        float get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }
    }
}
