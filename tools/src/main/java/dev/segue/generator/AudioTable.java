package dev.segue.generator;

import java.nio.charset.StandardCharsets;

/**
 * Rows of {@code audio/tracks.csv} in study 004's layout ({@code Id, title, artist, year, bpm, nrgy, dnce, dB,
 * live, val, dur, acous, spch, pop, top genre}) and of {@code truth/tracks.csv}. {@code Id} is the track's
 * 22-character id ({@code track_uri} without {@code spotify:track:}); {@code top genre} is the artist's fine
 * genre, left empty on about 10% of rows; {@code pop} (0-100) follows the track's overall popularity.
 */
public final class AudioTable {
    public static final String HEADER = "Id,title,artist,year,bpm,nrgy,dnce,dB,live,val,dur,acous,spch,pop,top genre\n";
    public static final String TRUTH_HEADER = "Id,track_uri,genre,broad_genre,artist_genre,christmas\n";
    static final double UNLABELLED_SHARE = 0.10;
    private static final AudioFeature[] COLUMNS = {AudioFeature.YEAR, AudioFeature.BPM, AudioFeature.NRGY,
        AudioFeature.DNCE, AudioFeature.DB, AudioFeature.LIVE, AudioFeature.VAL, AudioFeature.DUR,
        AudioFeature.ACOUS, AudioFeature.SPCH};

    private final Catalog catalog;
    private final long salt;
    private final double[] logMass;
    private final double minLog;
    private final double maxLog;

    public AudioTable(Catalog catalog, ThemeModel model, long seed) {
        this.catalog = catalog;
        this.salt = RandomStreams.mix64(seed ^ 0xA0D10L);
        int genres = catalog.taxonomy().genres().size();
        double[] genreTotal = new double[genres];
        for (int t = 0; t < catalog.tracks(); t++) {
            genreTotal[catalog.genreOf(t)] += catalog.popularity(t);
        }
        double[] share = model.genreShares();
        logMass = new double[catalog.tracks()];
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int t = 0; t < catalog.tracks(); t++) {
            int g = catalog.genreOf(t);
            double m = Math.log(catalog.popularity(t) / genreTotal[g] * share[g]);
            logMass[t] = m;
            lo = Math.min(lo, m);
            hi = Math.max(hi, m);
        }
        minLog = lo;
        maxLog = hi;
    }

    /** Popularity 0..100, log-scaled, with a little deterministic jitter. */
    public int pop(int t) {
        double x = 100 * (logMass[t] - minLog) / Math.max(1e-9, maxLog - minLog);
        int jitter = (int) Math.floorMod(RandomStreams.mix64(salt + t), 7L) - 3;
        return (int) Draw.clamp(Math.round(x) + jitter, 0, 100);
    }

    public boolean labelled(int t) {
        return (RandomStreams.mix64(salt ^ (t * 0x9E3779B97F4A7C15L)) >>> 11) * 0x1.0p-53 >= UNLABELLED_SHARE;
    }

    /** Audio rows and truth rows for tracks {@code [from, to)}. */
    public byte[][] rows(int from, int to) {
        StringBuilder audio = new StringBuilder((to - from) * 110);
        StringBuilder truth = new StringBuilder((to - from) * 80);
        Taxonomy tax = catalog.taxonomy();
        for (int t = from; t < to; t++) {
            int artist = catalog.artistOf(t);
            String artistGenre = tax.genre(catalog.artistGenre(artist)).label();
            audio.append(catalog.trackId(t)).append(',');
            Csv.field(audio, catalog.trackName(t)).append(',');
            Csv.field(audio, catalog.artistName(artist));
            for (AudioFeature f : COLUMNS) {
                audio.append(',').append(catalog.feature(f, t));
            }
            audio.append(',').append(pop(t)).append(',');
            if (labelled(t)) {
                audio.append(artistGenre);
            }
            audio.append('\n');
            Genre g = tax.genre(catalog.genreOf(t));
            truth.append(catalog.trackId(t)).append(',').append(catalog.trackUri(t)).append(',')
                    .append(g.label()).append(',').append(g.broadName()).append(',').append(artistGenre)
                    .append(',').append(catalog.christmas(t) ? 1 : 0).append('\n');
        }
        return new byte[][] {audio.toString().getBytes(StandardCharsets.UTF_8),
            truth.toString().getBytes(StandardCharsets.UTF_8)};
    }
}
