package dev.segue.generator;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * Listening logs in study 003's layouts over its 44-day window (2017-03-30 .. 2017-05-12; the last 14 days
 * are the label window). Each listener has a taste (genres, favourite artists, a library of liked tracks)
 * and an activity level; churners fade out and stop before the label window, active listeners play in it.
 * How they fade is the world's {@link ChurnStyle}: abruptly (a few days, stopping anywhere in the feature
 * window) or gradually (over weeks, stopping in the last days before the label window, while 45% of active
 * listeners pause for 4-17 days around the feature window's end and 25% slow down to sporadic plays).
 * Plays of liked tracks are mostly played through, discoveries often skipped. The dirt that study 003
 * cleans is present: bot-like users with extreme record counts, a few users whose records miss
 * song_id/play_time/song_length together, zero and negative song_length, missing, negative and huge play_time.
 * {@code song_id} is the catalog track id (the {@code track_uri} without {@code spotify:track:}).
 */
public final class LogSimulator {
    public static final LocalDate FIRST_DAY = LocalDate.of(2017, 3, 30);
    public static final int DAYS = 44;
    public static final int LABEL_WINDOW_START = 30;
    public static final String PLAY_HEADER =
            "uid,device,song_id,song_type,song_name,singer,play_time,song_length,paid_flag,date\n";
    public static final String DOWNLOAD_HEADER = "uid,device,song_id,song_name,singer,paid_flag,date\n";
    public static final String SEARCH_HEADER = "uid,device,time_stamp,search_query,date\n";
    public static final String USERS_HEADER =
            "uid,kind,churn,first_active,last_active,device,paid_flag,plays_per_day,genres\n";
    static final double CHURN_RATE = 0.55;
    static final double NEW_USER_RATE = 0.04;

    /** Rows of a block of users, plus counts for the statistics. */
    public record Chunk(int listeners, byte[] plays, byte[] downloads, byte[] searches, byte[] users,
                        long playRows, long downloadRows, long searchRows, int churners, int actives, int bots) {}

    private final Catalog catalog;
    private final ThemeModel model;
    private final ThemeSampler themes;
    private final RandomStreams streams;
    private final ChurnStyle churn;
    private final String[] dates = new String[DAYS];
    private final long[] dayStart = new long[DAYS];
    private final boolean[] weekend = new boolean[DAYS];

    public LogSimulator(ThemeModel model, RandomStreams streams) {
        this(model, streams, ChurnStyle.ABRUPT);
    }

    public LogSimulator(ThemeModel model, RandomStreams streams, ChurnStyle churn) {
        this.churn = churn;
        this.catalog = model.catalog();
        this.model = model;
        this.themes = new ThemeSampler(model);
        this.streams = streams;
        for (int d = 0; d < DAYS; d++) {
            LocalDate day = FIRST_DAY.plusDays(d);
            dates[d] = day.toString();
            dayStart[d] = day.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
            weekend[d] = day.getDayOfWeek().getValue() >= 6;
        }
    }

    /** The simulated uid of user {@code index} (unique: index * 7919 + an offset below 7919). */
    static long uid(int index, SplittableRandom r) {
        return 100_000_000L + index * 7919L + r.nextInt(7919);
    }

    static boolean isBot(int index) {
        return index % 500 == 137;
    }

    static boolean missesLengths(int index) {
        return index % 1500 == 37;
    }

    public Chunk simulate(int from, int to) {
        Sink s = new Sink();
        int churners = 0;
        int actives = 0;
        int bots = 0;
        for (int i = from; i < to; i++) {
            String kind = user(i, s);
            switch (kind) {
                case "churner" -> churners++;
                case "active" -> actives++;
                case "bot" -> bots++;
                default -> { }
            }
        }
        return new Chunk(to - from, bytes(s.plays), bytes(s.downloads), bytes(s.searches), bytes(s.users), s.playRows,
                s.downloadRows, s.searchRows, churners, actives, bots);
    }

    private static byte[] bytes(StringBuilder b) {
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Mutable per-chunk output. */
    private static final class Sink {
        final StringBuilder plays = new StringBuilder(1 << 16);
        final StringBuilder downloads = new StringBuilder(1 << 12);
        final StringBuilder searches = new StringBuilder(1 << 12);
        final StringBuilder users = new StringBuilder(1 << 12);
        long playRows;
        long downloadRows;
        long searchRows;
    }

    /** One listener's state while their days are simulated. */
    private final class Listener {
        final SplittableRandom r;
        final long uid;
        final String device;
        final String otherDevice;
        final boolean multiDevice;
        final int paid;
        final Theme taste;
        final int[] library;
        final boolean dirtyLengths;
        int firstEvent = -1;
        int lastEvent = -1;

        Listener(int index, SplittableRandom r) {
            this.r = r;
            this.uid = uid(index, r);
            boolean android = r.nextDouble() < 0.75;
            this.device = android ? "ar" : "ip";
            this.otherDevice = android ? "ip" : "ar";
            this.multiDevice = r.nextDouble() < 0.005;
            this.paid = r.nextDouble() < 0.08 ? 1 : 0;
            this.taste = themes.listener(r);
            this.library = new int[10 + r.nextInt(50)];
            for (int k = 0; k < library.length; k++) {
                library[k] = r.nextDouble() < 0.5
                        ? model.drawFromArtist(taste.favorites()[Draw.weighted(r, taste.favoriteWeights())], r)
                        : model.drawFromGenre(taste.genres()[Draw.weighted(r, taste.genreWeights())],
                                taste.occasion(), false, r);
            }
            this.dirtyLengths = missesLengths(index);
        }

        String deviceNow() {
            return multiDevice && r.nextDouble() < 0.3 ? otherDevice : device;
        }

        /** A track to play: from the library (liked) or a discovery; returns -(track+1) for a discovery. */
        int choose() {
            if (r.nextDouble() < 0.6) {
                return library[Math.min(library.length - 1, Draw.geometric(r, 0.08))];
            }
            double u = r.nextDouble();
            int t;
            if (u < 0.3) {
                t = model.drawFromArtist(taste.favorites()[Draw.weighted(r, taste.favoriteWeights())], r);
                return t;
            } else if (u < 0.93) {
                t = model.drawFromGenre(taste.genres()[Draw.weighted(r, taste.genreWeights())], taste.occasion(),
                        false, r);
            } else {
                t = model.drawNoise(r);
            }
            return -(t + 1);
        }
    }

    private String user(int index, Sink s) {
        SplittableRandom r = streams.stream(RandomStreams.Kind.USER, index);
        Listener u = new Listener(index, r);
        String kind;
        int first;
        int last;
        if (isBot(index)) {
            kind = "bot";
            first = 0;
            last = DAYS - 1;
        } else {
            double k = r.nextDouble();
            kind = k < NEW_USER_RATE ? "new" : k < NEW_USER_RATE + CHURN_RATE ? "churner" : "active";
            first = kind.equals("new") ? LABEL_WINDOW_START + r.nextInt(DAYS - LABEL_WINDOW_START - 1)
                    : r.nextDouble() < 0.8 ? 0 : r.nextInt(26);
            if (!kind.equals("churner")) {
                last = DAYS - 1;
            } else if (churn == ChurnStyle.GRADUAL) {
                last = Math.max(first + 1, LABEL_WINDOW_START - 1 - Draw.geometric(r, 0.2));
            } else {
                last = first + 1 + r.nextInt(Math.max(1, LABEL_WINDOW_START - 2 - first));
            }
        }
        double rate = kind.equals("bot") ? 0 : Draw.lognormal(r, 3.0, 0.9);
        double activeProb = 0.3 + 0.6 * r.nextDouble();
        int fade = 4 + r.nextInt(11);
        int pauseFrom = -1;
        int pauseTo = -1;
        int decline = 0;
        if (churn == ChurnStyle.GRADUAL) {
            if (kind.equals("churner")) {
                fade = 10 + r.nextInt(21);
            } else if (kind.equals("active")) {
                double v = r.nextDouble();
                if (v < 0.45) {
                    pauseTo = LABEL_WINDOW_START - 3 + r.nextInt(8);
                    pauseFrom = pauseTo - 4 - r.nextInt(14);
                } else if (v < 0.7) {
                    decline = 10 + r.nextInt(21);
                }
            }
        }
        for (int d = first; d <= last; d++) {
            if (kind.equals("bot")) {
                botDay(u, d, 300 + r.nextInt(500), s);
                continue;
            }
            if (d >= pauseFrom && d < pauseTo) {
                continue;
            }
            double m = kind.equals("churner") ? Draw.clamp((last + 1.0 - d) / fade, 0.08, 1)
                    : decline > 0 ? Draw.clamp((LABEL_WINDOW_START + 3.0 - d) / decline, 0.1, 1) : 1;
            if (r.nextDouble() >= activeProb * Math.sqrt(m)) {
                continue;
            }
            int plays = Draw.poisson(r, rate * m * (weekend[d] ? 1.25 : 1));
            day(u, d, plays, m, s);
        }
        // Every churner was seen in the feature window and every active listener is seen in the label window.
        if (u.firstEvent < 0) {
            day(u, first, 1, 1, s);
        }
        if (!kind.equals("churner") && u.lastEvent < LABEL_WINDOW_START) {
            day(u, LABEL_WINDOW_START + r.nextInt(DAYS - LABEL_WINDOW_START), 1, 1, s);
        }
        String churn = switch (kind) {
            case "churner" -> "1";
            case "new" -> "";
            default -> "0";
        };
        StringBuilder b = s.users;
        b.append(u.uid).append(',').append(kind).append(',').append(churn).append(',').append(dates[u.firstEvent])
                .append(',').append(dates[u.lastEvent]).append(',').append(u.device).append(',').append(u.paid)
                .append(',').append(Math.round(rate * 100) / 100.0).append(',');
        for (int g = 0; g < u.taste.genres().length; g++) {
            b.append(g == 0 ? "" : "|").append(catalog.taxonomy().genre(u.taste.genres()[g]).label());
        }
        b.append('\n');
        return kind;
    }

    private void day(Listener u, int d, int plays, double m, Sink s) {
        SplittableRandom r = u.r;
        if (plays <= 0) {
            return;
        }
        u.firstEvent = u.firstEvent < 0 ? d : Math.min(u.firstEvent, d);
        u.lastEvent = Math.max(u.lastEvent, d);
        for (int p = 0; p < plays; p++) {
            int c = u.choose();
            boolean liked = c >= 0;
            int t = liked ? c : -c - 1;
            double skip = (liked ? 0.1 : 0.45) + (1 - m) * 0.3;
            double x = r.nextDouble();
            double frac = x < skip ? 0.005 + 0.195 * r.nextDouble()
                    : x < skip + 0.2 ? 0.2 + 0.6 * r.nextDouble() : 0.8 + 0.2 * r.nextDouble();
            playRow(u, t, frac, d, s);
            if (liked && r.nextDouble() < (u.paid == 1 ? 0.06 : 0.02)) {
                downloadRow(u, t, d, s);
            }
        }
        int searches = r.nextDouble() < 0.3 ? 1 + r.nextInt(2) : 0;
        for (int k = 0; k < searches; k++) {
            searchRow(u, d, s);
        }
    }

    private void botDay(Listener u, int d, int plays, Sink s) {
        u.firstEvent = u.firstEvent < 0 ? d : u.firstEvent;
        u.lastEvent = d;
        for (int p = 0; p < plays; p++) {
            int t = model.drawNoise(u.r);
            playRow(u, t, 0.002 + 0.05 * u.r.nextDouble(), d, s);
        }
    }

    private void playRow(Listener u, int t, double frac, int d, Sink s) {
        SplittableRandom r = u.r;
        StringBuilder b = s.plays;
        int length = catalog.feature(AudioFeature.DUR, t);
        b.append(u.uid).append(',').append(u.deviceNow()).append(',');
        if (u.dirtyLengths && r.nextDouble() < 0.1) {
            // Study 003: records missing song_length also miss song_id and play_time.
            b.append(",,,,,,").append(u.paid).append(',').append(dates[d]).append('\n');
            s.playRows++;
            return;
        }
        b.append(catalog.trackId(t)).append(',').append(songType(t)).append(',');
        Csv.field(b, catalog.trackName(t)).append(',');
        Csv.field(b, catalog.artistName(catalog.artistOf(t))).append(',');
        double x = r.nextDouble();
        if (x < 0.003) {
            b.append("");
        } else if (x < 0.0032) {
            b.append(-Math.round(r.nextDouble() * 1e6) / 1e8);
        } else if (x < 0.0034) {
            b.append(100_000 + r.nextInt(2_000_000_000));
        } else {
            b.append(Math.max(1, Math.round(length * frac)));
        }
        b.append(',');
        double y = r.nextDouble();
        b.append(y < 0.003 ? 0 : y < 0.0035 ? -1 : length);
        b.append(',').append(u.paid).append(',').append(dates[d]).append('\n');
        s.playRows++;
    }

    private void downloadRow(Listener u, int t, int d, Sink s) {
        StringBuilder b = s.downloads;
        b.append(u.uid).append(',').append(u.deviceNow()).append(',').append(catalog.trackId(t)).append(',');
        Csv.field(b, catalog.trackName(t)).append(',');
        Csv.field(b, catalog.artistName(catalog.artistOf(t))).append(',');
        b.append(u.paid).append(',').append(dates[d]).append('\n');
        s.downloadRows++;
    }

    private void searchRow(Listener u, int d, Sink s) {
        SplittableRandom r = u.r;
        double x = r.nextDouble();
        String query;
        if (x < 0.5) {
            query = catalog.artistName(u.taste.favorites()[Draw.weighted(r, u.taste.favoriteWeights())]);
        } else if (x < 0.9) {
            query = catalog.trackName(u.library[r.nextInt(u.library.length)]);
        } else {
            query = catalog.taxonomy().genre(u.taste.primaryGenre()).titles().pick(r);
        }
        query = query.toLowerCase(java.util.Locale.ROOT);
        if (r.nextDouble() < 0.15 && query.length() > 4) {
            query = query.substring(0, 3 + r.nextInt(query.length() - 3));
        }
        StringBuilder b = s.searches;
        b.append(u.uid).append(',').append(u.deviceNow()).append(',').append(dayStart[d] + r.nextInt(86400))
                .append(',');
        Csv.field(b, query).append(',').append(dates[d]).append('\n');
        s.searchRows++;
    }

    /** 0 for most tracks, 1 and 2 for rarer kinds (a fixed property of the track). */
    private static int songType(int t) {
        int h = (int) Math.floorMod(RandomStreams.mix64(t * 31L + 7), 10L);
        return h < 7 ? 0 : h < 9 ? 1 : 2;
    }
}
