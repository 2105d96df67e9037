package dev.segue.churn;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Study 003's cleaning, with its thresholds computed per snapshot from that snapshot's feature window only
 * (so a snapshot never depends on later data), in this order:
 * <ol>
 *   <li>bots: users whose record count (all events in the window) is above the 99.9th percentile of the
 *       window's users are dropped, with all their events, from features, labels and ratings;</li>
 *   <li>plays with a missing song_length are dropped;</li>
 *   <li>plays whose song_length is above the 99.9th percentile of the positive song lengths are dropped;</li>
 *   <li>zero or negative song_length is replaced by the mean of the positive song lengths not above that
 *       percentile;</li>
 *   <li>missing or negative play_time is replaced by the mean of the valid (≥ 0) play times not above their
 *       99.9th percentile, the percentile taken over the plays that survive rules 2–3;</li>
 *   <li>plays whose play_time is above that percentile are dropped.</li>
 * </ol>
 * Percentiles are exact nearest-rank ({@link Percentile}); means are exact sums over n ({@link ExactSum}).
 * When a window has no valid value to average, a play that needs that mean is dropped (rule "no_mean").
 * Downloads and searches are affected only by rule 1.
 */
public final class CleaningRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Outcomes of {@link #cleanPlay}: the low 3 bits say kept (0) or why dropped; higher bits flag replacements. */
    public static final int KEPT = 0;
    public static final int DROP_SONG_LENGTH_MISSING = 1;
    public static final int DROP_SONG_LENGTH_OUTLIER = 2;
    public static final int DROP_PLAY_TIME_OUTLIER = 3;
    public static final int DROP_NO_MEAN = 4;
    public static final int DROP_MASK = 7;
    public static final int SONG_LENGTH_REPLACED = 8;
    public static final int PLAY_TIME_MISSING_REPLACED = 16;
    public static final int PLAY_TIME_NEGATIVE_REPLACED = 32;

    private final int size;
    private final long[] activeUsers;
    private final long[] maxRecords;
    private final long[] botUsers;
    private final long[] positiveSongLengths;
    private final double[] songLengthMax;
    private final double[] songLengthMean;
    private final long[] validPlayTimes;
    private final double[] playTimeMax;
    private final double[] playTimeMean;

    private CleaningRules(int size) {
        this.size = size;
        activeUsers = new long[size];
        maxRecords = new long[size];
        botUsers = new long[size];
        positiveSongLengths = new long[size];
        songLengthMax = new double[size];
        songLengthMean = new double[size];
        validPlayTimes = new long[size];
        playTimeMax = new double[size];
        playTimeMean = new double[size];
        Arrays.fill(songLengthMax, Double.NaN);
        Arrays.fill(songLengthMean, Double.NaN);
        Arrays.fill(playTimeMax, Double.NaN);
        Arrays.fill(playTimeMean, Double.NaN);
    }

    private CleaningRules copy() {
        CleaningRules c = new CleaningRules(size);
        for (int i = 0; i < size; i++) {
            c.activeUsers[i] = activeUsers[i];
            c.maxRecords[i] = maxRecords[i];
            c.botUsers[i] = botUsers[i];
            c.positiveSongLengths[i] = positiveSongLengths[i];
            c.songLengthMax[i] = songLengthMax[i];
            c.songLengthMean[i] = songLengthMean[i];
            c.validPlayTimes[i] = validPlayTimes[i];
            c.playTimeMax[i] = playTimeMax[i];
            c.playTimeMean[i] = playTimeMean[i];
        }
        return c;
    }

    /** Stage 1: the bot threshold from the record-count histogram. */
    public static CleaningRules fromActivity(int snapshots, CleaningStats.Activity a) {
        CleaningRules r = new CleaningRules(snapshots);
        for (int i = 0; i < snapshots; i++) {
            r.maxRecords[i] = Long.MAX_VALUE;
            if (a.histogram.length == 0) {
                continue;
            }
            long n = 0;
            for (long[] slot : a.histogram[i].values()) {
                n += slot[0];
            }
            r.activeUsers[i] = n;
            long rank = Percentile.rank999(n);
            long seen = 0;
            for (Map.Entry<Long, long[]> e : a.histogram[i].entrySet()) {
                seen += e.getValue()[0];
                if (seen >= rank) {
                    r.maxRecords[i] = e.getKey();
                    break;
                }
            }
            for (Map.Entry<Long, long[]> e : a.histogram[i].entrySet()) {
                if (e.getKey() > r.maxRecords[i]) {
                    r.botUsers[i] += e.getValue()[0];
                } else {
                    r.positiveSongLengths[i] += e.getValue()[1];
                }
            }
        }
        return r;
    }

    /** Stage 2: song-length percentile and mean. */
    public CleaningRules withSongLengths(CleaningStats.SongLengths s) {
        CleaningRules r = copy();
        for (int i = 0; i < size; i++) {
            long n = s.top.length == 0 ? 0 : s.count[i];
            if (n != positiveSongLengths[i]) {
                throw new IllegalStateException("snapshot " + i + ": " + n + " positive song lengths seen, "
                        + positiveSongLengths[i] + " expected");
            }
            if (n == 0) {
                continue;
            }
            double max = Percentile.kthLargest(s.top[i]);
            r.songLengthMax[i] = max;
            BigDecimal kept = s.sum[i].value().subtract(Percentile.sumAbove(s.top[i], max).value());
            r.songLengthMean[i] = ExactSum.mean(kept, n - s.top[i].countAbove(max));
            r.validPlayTimes[i] = s.presentValidPlayTime[i] - s.topValidPlayTime[i].countAbove(max);
        }
        return r;
    }

    /** Stage 3: play-time percentile and mean. */
    public CleaningRules withPlayTimes(CleaningStats.PlayTimes p) {
        CleaningRules r = copy();
        for (int i = 0; i < size; i++) {
            long n = p.top.length == 0 ? 0 : p.count[i];
            if (n != validPlayTimes[i]) {
                throw new IllegalStateException("snapshot " + i + ": " + n + " valid play times seen, "
                        + validPlayTimes[i] + " expected");
            }
            if (n == 0) {
                continue;
            }
            double max = Percentile.kthLargest(p.top[i]);
            r.playTimeMax[i] = max;
            BigDecimal kept = p.sum[i].value().subtract(Percentile.sumAbove(p.top[i], max).value());
            r.playTimeMean[i] = ExactSum.mean(kept, n - p.top[i].countAbove(max));
        }
        return r;
    }

    public int size() {
        return size;
    }

    public boolean isBot(int i, long records) {
        return records > maxRecords[i];
    }

    public long positiveSongLengths(int i) {
        return positiveSongLengths[i];
    }

    public long validPlayTimes(int i) {
        return validPlayTimes[i];
    }

    public long maxRecords(int i) {
        return maxRecords[i];
    }

    public long botUsers(int i) {
        return botUsers[i];
    }

    public long activeUsers(int i) {
        return activeUsers[i];
    }

    public double songLengthMax(int i) {
        return songLengthMax[i];
    }

    public double songLengthMean(int i) {
        return songLengthMean[i];
    }

    public double playTimeMax(int i) {
        return playTimeMax[i];
    }

    public double playTimeMean(int i) {
        return playTimeMean[i];
    }

    /** Rules 2 and 3 only (used while the play-time statistics are gathered). */
    public boolean survivesSongLengthRules(int i, double songLength) {
        return !Double.isNaN(songLength) && !(songLength > songLengthMax[i]);
    }

    /**
     * Applies rules 2–6 to one play of a non-bot user in snapshot i's feature window. On a kept play writes
     * the cleaned play time and song length to {@code out[0]} and {@code out[1]}.
     */
    public int cleanPlay(int i, double playTime, double songLength, double[] out) {
        if (Double.isNaN(songLength)) {
            return DROP_SONG_LENGTH_MISSING;
        }
        int flags = KEPT;
        double sl = songLength;
        if (sl > 0) {
            if (sl > songLengthMax[i]) {
                return DROP_SONG_LENGTH_OUTLIER;
            }
        } else {
            sl = songLengthMean[i];
            flags |= SONG_LENGTH_REPLACED;
        }
        double pt = playTime;
        if (Double.isNaN(pt)) {
            pt = playTimeMean[i];
            flags |= PLAY_TIME_MISSING_REPLACED;
        } else if (pt < 0) {
            pt = playTimeMean[i];
            flags |= PLAY_TIME_NEGATIVE_REPLACED;
        } else if (pt > playTimeMax[i]) {
            return DROP_PLAY_TIME_OUTLIER;
        }
        if (Double.isNaN(sl) || Double.isNaN(pt)) {
            return DROP_NO_MEAN;
        }
        out[0] = pt;
        out[1] = sl;
        return flags;
    }

    /** The thresholds of snapshot i as text, for reports and manifests. */
    public Map<String, String> describe(int i) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("active_users", Long.toString(activeUsers[i]));
        m.put("bot_max_records", maxRecords[i] == Long.MAX_VALUE ? "none" : Long.toString(maxRecords[i]));
        m.put("bot_users", Long.toString(botUsers[i]));
        m.put("song_length_p999", Double.toString(songLengthMax[i]));
        m.put("song_length_mean", Double.toString(songLengthMean[i]));
        m.put("play_time_p999", Double.toString(playTimeMax[i]));
        m.put("play_time_mean", Double.toString(playTimeMean[i]));
        return m;
    }
}
