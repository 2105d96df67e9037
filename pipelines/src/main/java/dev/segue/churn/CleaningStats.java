package dev.segue.churn;

import dev.segue.math.ScoreHeap;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-shard partial statistics for the cleaning rules (see {@link CleaningRules}), one slot per snapshot,
 * merged across shards into exact global values. Three passes, each needing the previous pass's thresholds:
 * {@link Activity} (record counts per user: the bot threshold), {@link SongLengths} (song-length percentile and
 * mean), {@link PlayTimes} (play-time percentile and mean). An instance with no snapshots is the merge identity.
 */
public final class CleaningStats {
    private CleaningStats() {}

    /** Per snapshot: users by record count in the feature window, with their plays' positive song lengths. */
    public static final class Activity implements Serializable {
        private static final long serialVersionUID = 1L;
        /** count -> {users, positive song lengths of those users}. */
        final TreeMap<Long, long[]>[] histogram;

        @SuppressWarnings("unchecked")
        Activity(int snapshots) {
            histogram = new TreeMap[snapshots];
            for (int i = 0; i < snapshots; i++) {
                histogram[i] = new TreeMap<>();
            }
        }

        public static Activity empty() {
            return new Activity(0);
        }

        public static Activity of(UserEvents ev, WindowPlan plan) {
            Activity a = new Activity(plan.size());
            for (int i = 0; i < plan.size(); i++) {
                int start = plan.featureStart(i);
                int end = plan.snapshot(i);
                for (int u = 0; u < ev.userCount(); u++) {
                    int lo = ev.firstOnOrAfter(ev.from(u), ev.to(u), start);
                    int hi = ev.firstOnOrAfter(lo, ev.to(u), end + 1);
                    if (hi == lo) {
                        continue;
                    }
                    long positive = 0;
                    for (int e = lo; e < hi; e++) {
                        if (ev.kind[e] == LogKind.PLAY.index() && ev.songLength[e] > 0) {
                            positive++;
                        }
                    }
                    long[] slot = a.histogram[i].computeIfAbsent((long) (hi - lo), k -> new long[2]);
                    slot[0]++;
                    slot[1] += positive;
                }
            }
            return a;
        }

        public static Activity merge(Iterable<Activity> parts) {
            Activity out = null;
            for (Activity p : parts) {
                if (p.histogram.length == 0) {
                    continue;
                }
                if (out == null) {
                    out = new Activity(p.histogram.length);
                }
                for (int i = 0; i < p.histogram.length; i++) {
                    for (Map.Entry<Long, long[]> e : p.histogram[i].entrySet()) {
                        long[] slot = out.histogram[i].computeIfAbsent(e.getKey(), k -> new long[2]);
                        slot[0] += e.getValue()[0];
                        slot[1] += e.getValue()[1];
                    }
                }
            }
            return out == null ? empty() : out;
        }
    }

    /** Per snapshot: positive song lengths of non-bot plays (largest kept) and their exact sum. */
    public static final class SongLengths implements Serializable {
        private static final long serialVersionUID = 1L;
        final ScoreHeap[] top;
        /** Largest positive song lengths among plays whose play time is valid (present, ≥ 0). */
        final ScoreHeap[] topValidPlayTime;
        final ExactSum[] sum;
        final long[] count;
        /** Plays with a song length (any sign) and a valid play time. */
        final long[] presentValidPlayTime;

        private SongLengths(long[] k) {
            int n = k.length;
            top = new ScoreHeap[n];
            topValidPlayTime = new ScoreHeap[n];
            sum = new ExactSum[n];
            count = new long[n];
            presentValidPlayTime = new long[n];
            for (int i = 0; i < n; i++) {
                top[i] = ScoreHeap.topK(k[i]);
                topValidPlayTime[i] = ScoreHeap.topK(k[i]);
                sum[i] = new ExactSum();
            }
        }

        public static SongLengths empty() {
            return new SongLengths(new long[0]);
        }

        static SongLengths forRules(CleaningRules rules) {
            long[] k = new long[rules.size()];
            for (int i = 0; i < k.length; i++) {
                k[i] = Percentile.topCount999(rules.positiveSongLengths(i));
            }
            return new SongLengths(k);
        }

        public static SongLengths of(UserEvents ev, WindowPlan plan, CleaningRules rules) {
            SongLengths s = forRules(rules);
            for (int i = 0; i < plan.size(); i++) {
                int start = plan.featureStart(i);
                int end = plan.snapshot(i);
                for (int u = 0; u < ev.userCount(); u++) {
                    int lo = ev.firstOnOrAfter(ev.from(u), ev.to(u), start);
                    int hi = ev.firstOnOrAfter(lo, ev.to(u), end + 1);
                    if (hi == lo || rules.isBot(i, hi - lo)) {
                        continue;
                    }
                    for (int e = lo; e < hi; e++) {
                        if (ev.kind[e] != LogKind.PLAY.index()) {
                            continue;
                        }
                        double sl = ev.songLength[e];
                        boolean ptValid = ev.playTime[e] >= 0;
                        if (sl > 0) {
                            s.top[i].offer(0, sl);
                            s.sum[i].add(sl);
                            s.count[i]++;
                            if (ptValid) {
                                s.topValidPlayTime[i].offer(0, sl);
                            }
                        }
                        if (!Double.isNaN(sl) && ptValid) {
                            s.presentValidPlayTime[i]++;
                        }
                    }
                }
            }
            return s;
        }

        public static SongLengths merge(Iterable<SongLengths> parts) {
            SongLengths out = null;
            for (SongLengths p : parts) {
                if (p.top.length == 0) {
                    continue;
                }
                if (out == null) {
                    long[] k = new long[p.top.length];
                    for (int i = 0; i < k.length; i++) {
                        k[i] = p.top[i].capacity();
                    }
                    out = new SongLengths(k);
                }
                for (int i = 0; i < p.top.length; i++) {
                    out.top[i].addAll(p.top[i]);
                    out.topValidPlayTime[i].addAll(p.topValidPlayTime[i]);
                    out.sum[i].addAll(p.sum[i]);
                    out.count[i] += p.count[i];
                    out.presentValidPlayTime[i] += p.presentValidPlayTime[i];
                }
            }
            return out == null ? empty() : out;
        }
    }

    /** Per snapshot: valid play times of plays that survive the song-length rules (largest kept) and their sum. */
    public static final class PlayTimes implements Serializable {
        private static final long serialVersionUID = 1L;
        final ScoreHeap[] top;
        final ExactSum[] sum;
        final long[] count;

        private PlayTimes(long[] k) {
            int n = k.length;
            top = new ScoreHeap[n];
            sum = new ExactSum[n];
            count = new long[n];
            for (int i = 0; i < n; i++) {
                top[i] = ScoreHeap.topK(k[i]);
                sum[i] = new ExactSum();
            }
        }

        public static PlayTimes empty() {
            return new PlayTimes(new long[0]);
        }

        static PlayTimes forRules(CleaningRules rules) {
            long[] k = new long[rules.size()];
            for (int i = 0; i < k.length; i++) {
                k[i] = Percentile.topCount999(rules.validPlayTimes(i));
            }
            return new PlayTimes(k);
        }

        public static PlayTimes of(UserEvents ev, WindowPlan plan, CleaningRules rules) {
            PlayTimes s = forRules(rules);
            for (int i = 0; i < plan.size(); i++) {
                int start = plan.featureStart(i);
                int end = plan.snapshot(i);
                for (int u = 0; u < ev.userCount(); u++) {
                    int lo = ev.firstOnOrAfter(ev.from(u), ev.to(u), start);
                    int hi = ev.firstOnOrAfter(lo, ev.to(u), end + 1);
                    if (hi == lo || rules.isBot(i, hi - lo)) {
                        continue;
                    }
                    for (int e = lo; e < hi; e++) {
                        if (ev.kind[e] != LogKind.PLAY.index()) {
                            continue;
                        }
                        double pt = ev.playTime[e];
                        if (pt >= 0 && rules.survivesSongLengthRules(i, ev.songLength[e])) {
                            s.top[i].offer(0, pt);
                            s.sum[i].add(pt);
                            s.count[i]++;
                        }
                    }
                }
            }
            return s;
        }

        public static PlayTimes merge(Iterable<PlayTimes> parts) {
            PlayTimes out = null;
            for (PlayTimes p : parts) {
                if (p.top.length == 0) {
                    continue;
                }
                if (out == null) {
                    long[] k = new long[p.top.length];
                    for (int i = 0; i < k.length; i++) {
                        k[i] = p.top[i].capacity();
                    }
                    out = new PlayTimes(k);
                }
                for (int i = 0; i < p.top.length; i++) {
                    out.top[i].addAll(p.top[i]);
                    out.sum[i].addAll(p.sum[i]);
                    out.count[i] += p.count[i];
                }
            }
            return out == null ? empty() : out;
        }
    }
}
