package dev.segue.churn;

import dev.segue.store.Batch;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything the churn pipeline writes, for one user shard: per snapshot the feature rows and (when the label
 * window lies inside the logs) the label rows, and for the last snapshot the user × song ratings; plus the
 * cleaning tallies. Plain Java so the Beam step is a thin wrapper.
 *
 * <p>A user enters snapshot T when they have at least one event in T's feature window and are not a bot
 * there; the label is 1 when they have no event in the label window. Users active only in the label window
 * get nothing. Ratings (study 003 §6) use the last snapshot's feature window: each cleaned play with a song
 * id scores its play-time bucket 1..5, a download scores 5, and a (user, song)'s rating is the larger of its
 * mean play score and its download score.
 */
public final class ShardFeatures {

    /** features[i] / labels[i]: rows of snapshot i (labels[i] null when its label window is incomplete). */
    public record Result(Batch[] features, Batch[] labels, Batch ratings, long[][] tally, long ratingPlaysWithoutSong) {}

    private ShardFeatures() {}

    public static Result compute(UserEvents ev, WindowPlan plan, CleaningRules rules, int lastLogDay) {
        int snapshots = plan.size();
        Batch[] features = new Batch[snapshots];
        Batch[] labels = new Batch[snapshots];
        long[][] tally = new long[snapshots][CleaningTally.WIDTH];
        ChurnFeatures.Scratch scratch = new ChurnFeatures.Scratch();
        double[] vec = new double[ChurnFeatures.COUNT];
        int nu = ev.userCount();
        Ratings ratings = new Ratings();
        for (int i = 0; i < snapshots; i++) {
            int t = plan.snapshot(i);
            int start = plan.featureStart(i);
            boolean labelled = plan.labelEnd(i) <= lastLogDay;
            boolean rate = i == snapshots - 1;
            String date = LogDates.format(t);
            long stamp = LogDates.closeMicros(t);
            long labelStamp = LogDates.closeMicros(plan.labelEnd(i));
            long[] uid = new long[nu];
            double[][] cols = new double[ChurnFeatures.COUNT][nu];
            String[] device = new String[nu];
            int[] churn = new int[nu];
            int rows = 0;
            for (int u = 0; u < nu; u++) {
                int lo = ev.firstOnOrAfter(ev.from(u), ev.to(u), start);
                int hi = ev.firstOnOrAfter(lo, ev.to(u), t + 1);
                if (hi == lo) {
                    continue;
                }
                if (rules.isBot(i, hi - lo)) {
                    tally[i][CleaningTally.BOT_USERS]++;
                    tally[i][CleaningTally.BOT_EVENTS] += hi - lo;
                    continue;
                }
                String dev = ChurnFeatures.compute(ev, lo, hi, t, plan.featureDays(), rules, i, scratch, tally[i], vec);
                uid[rows] = Long.parseLong(ev.user(u));
                for (int f = 0; f < ChurnFeatures.COUNT; f++) {
                    cols[f][rows] = vec[f];
                }
                device[rows] = dev;
                int labelEnd = ev.firstOnOrAfter(hi, ev.to(u), plan.labelEnd(i) + 1);
                churn[rows] = labelEnd > hi ? 0 : 1;
                rows++;
                if (rate) {
                    ratings.add(ev, u, lo, hi, rules, i);
                }
            }
            Batch.Builder fb = Batch.builder(rows)
                    .longs(ChurnSchemas.UID, Arrays.copyOf(uid, rows))
                    .timestamps(ChurnSchemas.WINDOW_END, filled(rows, stamp))
                    .strings(ChurnSchemas.WINDOW_END_DATE, filled(rows, date));
            for (int f = 0; f < ChurnFeatures.COUNT; f++) {
                String name = ChurnFeatures.NAMES.get(f);
                if (ChurnFeatures.isCount(f)) {
                    int[] v = new int[rows];
                    for (int r = 0; r < rows; r++) {
                        v[r] = (int) cols[f][r];
                    }
                    fb.ints(name, v);
                } else {
                    fb.doubles(name, Arrays.copyOf(cols[f], rows));
                }
            }
            features[i] = fb.strings(ChurnSchemas.DEVICE, Arrays.copyOf(device, rows)).build();
            if (labelled) {
                labels[i] = Batch.builder(rows)
                        .longs(ChurnSchemas.UID, Arrays.copyOf(uid, rows))
                        .timestamps(ChurnSchemas.LABEL_TIME, filled(rows, labelStamp))
                        .timestamps(ChurnSchemas.WINDOW_END, filled(rows, stamp))
                        .strings(ChurnSchemas.WINDOW_END_DATE, filled(rows, date))
                        .ints(ChurnSchemas.CHURN, Arrays.copyOf(churn, rows))
                        .build();
            }
        }
        long stamp = LogDates.closeMicros(plan.snapshot(snapshots - 1));
        return new Result(features, labels, ratings.build(stamp), tally, ratings.playsWithoutSong);
    }

    private static long[] filled(int n, long v) {
        long[] a = new long[n];
        Arrays.fill(a, v);
        return a;
    }

    private static String[] filled(int n, String v) {
        String[] a = new String[n];
        Arrays.fill(a, v);
        return a;
    }

    /** Growable columns of the ratings set. */
    private static final class Ratings {
        private final Map<Integer, long[]> perSong = new HashMap<>();
        private long[] uid = new long[1024];
        private String[] song = new String[1024];
        private double[] rating = new double[1024];
        private int[] plays = new int[1024];
        private boolean[] downloaded = new boolean[1024];
        private int rows;
        long playsWithoutSong;
        private final double[] cleaned = new double[2];

        void add(UserEvents ev, int u, int lo, int hi, CleaningRules rules, int i) {
            perSong.clear();
            for (int e = lo; e < hi; e++) {
                int k = ev.kind[e];
                if (k == LogKind.SEARCH.index()) {
                    continue;
                }
                int sid = ev.song[e];
                if (k == LogKind.PLAY.index()) {
                    int outcome = rules.cleanPlay(i, ev.playTime[e], ev.songLength[e], cleaned);
                    if ((outcome & CleaningRules.DROP_MASK) != 0) {
                        continue;
                    }
                    if (sid < 0) {
                        playsWithoutSong++;
                        continue;
                    }
                    long[] a = perSong.computeIfAbsent(sid, x -> new long[3]);
                    a[0] += ChurnFeatures.bucket(cleaned[0], cleaned[1]) + 1;
                    a[1]++;
                } else if (sid >= 0) {
                    perSong.computeIfAbsent(sid, x -> new long[3])[2] = 1;
                }
            }
            Integer[] songs = perSong.keySet().toArray(new Integer[0]);
            Arrays.sort(songs, (a, b) -> ev.songs[a].compareTo(ev.songs[b]));
            for (Integer sid : songs) {
                long[] a = perSong.get(sid);
                if (rows == uid.length) {
                    int n = rows * 2;
                    uid = Arrays.copyOf(uid, n);
                    song = Arrays.copyOf(song, n);
                    rating = Arrays.copyOf(rating, n);
                    plays = Arrays.copyOf(plays, n);
                    downloaded = Arrays.copyOf(downloaded, n);
                }
                double playScore = a[1] == 0 ? 0 : (double) a[0] / a[1];
                uid[rows] = Long.parseLong(ev.user(u));
                song[rows] = ev.songs[sid];
                rating[rows] = Math.max(playScore, a[2] == 1 ? 5.0 : 0.0);
                plays[rows] = (int) a[1];
                downloaded[rows] = a[2] == 1;
                rows++;
            }
        }

        Batch build(long stamp) {
            return Batch.builder(rows)
                    .longs(ChurnSchemas.UID, Arrays.copyOf(uid, rows))
                    .timestamps(ChurnSchemas.WINDOW_END, filled(rows, stamp))
                    .strings(ChurnSchemas.SONG_ID, Arrays.copyOf(song, rows))
                    .doubles(ChurnSchemas.RATING, Arrays.copyOf(rating, rows))
                    .ints(ChurnSchemas.PLAYS, Arrays.copyOf(plays, rows))
                    .bools(ChurnSchemas.DOWNLOADED, Arrays.copyOf(downloaded, rows))
                    .build();
        }
    }
}
