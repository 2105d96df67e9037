package dev.segue.churn;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A plain-Java reference of the churn pipeline, written for clarity and used only by tests: lists of events,
 * sorting for percentiles, BigDecimal sums, LocalDate arithmetic. The pipeline must match it.
 */
final class ChurnReference {

    record Event(String uid, char kind, String device, String song, LocalDate date, double playTime,
                 double songLength) {}

    record Features(double[] values, String device) {}

    record Rating(double rating, int plays, boolean downloaded) {}

    /** Cleaning thresholds of one snapshot. */
    record Thresholds(long maxRecords, double songLengthMax, double songLengthMean, double playTimeMax,
                      double playTimeMean) {}

    final Map<DeadLetter.Reason, Long> dead = new EnumMap<>(DeadLetter.Reason.class);
    final List<Event> events = new ArrayList<>();
    /** key uid + "@" + snapshot date. */
    final Map<String, Features> features = new TreeMap<>();
    final Map<String, Integer> labels = new TreeMap<>();
    /** key uid + "|" + song (last snapshot). */
    final Map<String, Rating> ratings = new TreeMap<>();
    final Map<LocalDate, Thresholds> thresholds = new LinkedHashMap<>();
    final Map<LocalDate, Long> bots = new LinkedHashMap<>();

    static ChurnReference compute(Path logs, List<LocalDate> snapshots, int featureDays, int labelDays)
            throws IOException {
        return compute(logs, snapshots, featureDays, labelDays, false);
    }

    /**
     * {@code derived}: the snapshots are the pipeline's default plan (no --snapshots), under which a date after
     * the last label window is an AFTER_LAST_WINDOW dead letter rather than OUTSIDE_WINDOWS.
     */
    static ChurnReference compute(Path logs, List<LocalDate> snapshots, int featureDays, int labelDays,
                                  boolean derived) throws IOException {
        ChurnReference r = new ChurnReference();
        r.derived = derived;
        r.parse(logs, snapshots, featureDays, labelDays);
        LocalDate last = r.lastDate;
        for (int i = 0; i < snapshots.size(); i++) {
            r.snapshot(snapshots.get(i), featureDays, labelDays, i == snapshots.size() - 1, last);
        }
        return r;
    }

    private LocalDate lastDate;
    private boolean derived;

    private void parse(Path logs, List<LocalDate> snapshots, int featureDays, int labelDays) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(logs)) {
            files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            List<String> header = List.of(lines.get(0).split(","));
            char kind = header.contains("play_time") ? 'P' : header.contains("search_query") ? 'S' : 'D';
            for (String line : lines.subList(1, lines.size())) {
                List<String> v = splitCsv(line);
                if (line.isBlank() || v == null || v.size() != header.size()) {
                    bad(DeadLetter.Reason.MALFORMED_LINE);
                    continue;
                }
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    row.put(header.get(i), v.get(i).strip());
                }
                if (row.get("uid").isEmpty()) {
                    bad(DeadLetter.Reason.MISSING_FIELD);
                    continue;
                }
                if (!row.get("uid").matches("[0-9]+")) {
                    bad(DeadLetter.Reason.BAD_NUMBER);
                    continue;
                }
                LocalDate date;
                try {
                    date = LocalDate.parse(row.get("date"));
                } catch (RuntimeException e) {
                    bad(DeadLetter.Reason.BAD_DATE);
                    continue;
                }
                if (date.getYear() < 2000 || date.getYear() > 2099) { // physical bounds, before everything else
                    bad(DeadLetter.Reason.IMPLAUSIBLE);
                    continue;
                }
                double pt = Double.NaN;
                double sl = Double.NaN;
                if (kind == 'P') {
                    try {
                        pt = number(row.get("play_time"));
                        sl = number(row.get("song_length"));
                    } catch (NumberFormatException e) {
                        bad(DeadLetter.Reason.BAD_NUMBER);
                        continue;
                    }
                    if (pt > 86_400 || sl > 86_400) { // a play or a song longer than a day
                        bad(DeadLetter.Reason.IMPLAUSIBLE);
                        continue;
                    }
                }
                lastDate = max(lastDate, date);
                boolean covered = false;
                for (LocalDate t : snapshots) {
                    covered |= !date.isBefore(t.minusDays(featureDays - 1)) && !date.isAfter(t.plusDays(labelDays));
                }
                LocalDate lastLabelDay = snapshots.get(snapshots.size() - 1).plusDays(labelDays);
                if (derived && date.isAfter(lastLabelDay)) {
                    bad(DeadLetter.Reason.AFTER_LAST_WINDOW);
                    continue;
                }
                if (!covered) {
                    bad(DeadLetter.Reason.OUTSIDE_WINDOWS);
                    continue;
                }
                String device = row.get("device").isEmpty() ? null : row.get("device");
                String song = kind == 'S' || row.get("song_id").isEmpty() ? null : row.get("song_id");
                events.add(new Event(row.get("uid"), kind, device, song, date, pt, sl));
            }
        }
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private void bad(DeadLetter.Reason r) {
        dead.merge(r, 1L, Long::sum);
    }

    private static double number(String s) {
        if (s.isEmpty() || s.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(s);
    }

    private static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(cur.toString());
        return out;
    }

    /** Nearest-rank 99.9th percentile of the values. */
    static double p999(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = new BigDecimal("0.999").multiply(BigDecimal.valueOf(sorted.size()))
                .setScale(0, RoundingMode.CEILING).intValueExact();
        return sorted.get(rank - 1);
    }

    static double mean(List<Double> values) {
        BigDecimal s = BigDecimal.ZERO;
        for (double v : values) {
            s = s.add(new BigDecimal(v));
        }
        return ExactSum.mean(s, values.size());
    }

    private void snapshot(LocalDate t, int featureDays, int labelDays, boolean rate, LocalDate last) {
        LocalDate start = t.minusDays(featureDays - 1);
        Map<String, List<Event>> window = new TreeMap<>();
        Map<String, Boolean> inLabel = new HashMap<>();
        for (Event e : events) {
            if (!e.date.isBefore(start) && !e.date.isAfter(t)) {
                window.computeIfAbsent(e.uid, k -> new ArrayList<>()).add(e);
            } else if (e.date.isAfter(t) && !e.date.isAfter(t.plusDays(labelDays))) {
                inLabel.put(e.uid, true);
            }
        }
        // rule 1: bots
        List<Double> counts = new ArrayList<>();
        window.values().forEach(l -> counts.add((double) l.size()));
        long maxRecords = (long) p999(counts);
        long botCount = window.values().stream().filter(l -> l.size() > maxRecords).count();
        bots.put(t, botCount);
        window.values().removeIf(l -> l.size() > maxRecords);
        // rules 2-4: song length
        List<Double> positive = new ArrayList<>();
        for (List<Event> l : window.values()) {
            for (Event e : l) {
                if (e.kind == 'P' && e.songLength > 0) {
                    positive.add(e.songLength);
                }
            }
        }
        double slMax = positive.isEmpty() ? Double.NaN : p999(positive);
        double slMean = positive.isEmpty() ? Double.NaN : mean(positive.stream().filter(v -> v <= slMax).toList());
        // rules 5-6: play time over plays that survive the song-length rules
        List<Double> valid = new ArrayList<>();
        for (List<Event> l : window.values()) {
            for (Event e : l) {
                boolean survives = !Double.isNaN(e.songLength) && !(e.songLength > slMax);
                if (e.kind == 'P' && survives && e.playTime >= 0) {
                    valid.add(e.playTime);
                }
            }
        }
        double ptMax = valid.isEmpty() ? Double.NaN : p999(valid);
        double ptMean = valid.isEmpty() ? Double.NaN : mean(valid.stream().filter(v -> v <= ptMax).toList());
        thresholds.put(t, new Thresholds(maxRecords, slMax, slMean, ptMax, ptMean));

        boolean labelled = !t.plusDays(labelDays).isAfter(last);
        for (Map.Entry<String, List<Event>> user : window.entrySet()) {
            List<Event> cleaned = new ArrayList<>();
            for (Event e : user.getValue()) {
                if (e.kind != 'P') {
                    cleaned.add(e);
                    continue;
                }
                if (Double.isNaN(e.songLength) || e.songLength > slMax) {
                    continue;
                }
                double sl = e.songLength <= 0 ? slMean : e.songLength;
                double pt = e.playTime;
                if (Double.isNaN(pt) || pt < 0) {
                    pt = ptMean;
                } else if (pt > ptMax) {
                    continue;
                }
                if (Double.isNaN(sl) || Double.isNaN(pt)) {
                    continue;
                }
                cleaned.add(new Event(e.uid, 'P', e.device, e.song, e.date, pt, sl));
            }
            String key = user.getKey() + "@" + t;
            features.put(key, features(cleaned, t, featureDays));
            if (labelled) {
                labels.put(key, inLabel.containsKey(user.getKey()) ? 0 : 1);
            }
            if (rate) {
                rate(user.getKey(), cleaned);
            }
        }
    }

    private static int bucket(Event e) {
        double pct = e.playTime / e.songLength;
        if (pct >= 0.8) {
            return 4;
        }
        if (pct >= 0.6) {
            return 3;
        }
        if (pct >= 0.4) {
            return 2;
        }
        return pct >= 0.2 ? 1 : 0;
    }

    private static Features features(List<Event> events, LocalDate t, int featureDays) {
        double[] f = new double[ChurnFeatures.COUNT];
        List<Event> plays = events.stream().filter(e -> e.kind == 'P').toList();
        List<Event> recentPlays = plays.stream().filter(e -> daysBefore(e, t) < Math.min(7, featureDays)).toList();
        for (int b = 0; b < 5; b++) {
            int bb = b;
            f[b] = plays.isEmpty() ? 0 : (double) plays.stream().filter(e -> bucket(e) == bb).count() / plays.size();
        }
        long over80 = plays.stream().filter(e -> bucket(e) == 4).count();
        long over80Recent = recentPlays.stream().filter(e -> bucket(e) == 4).count();
        f[5] = over80 == 0 ? 0 : (double) over80Recent / over80;
        double total = 0;
        for (Event e : plays) {
            total += e.playTime;
        }
        double recent = 0;
        for (Event e : recentPlays) {
            recent += e.playTime;
        }
        f[6] = total;
        f[7] = total == 0 ? 0 : recent / total;
        f[8] = plays.isEmpty() ? 0 : total / plays.size();
        char[] kinds = {'P', 'D', 'S'};
        int[] days = {1, 3, 7, 14, 30};
        for (int k = 0; k < 3; k++) {
            char kind = kinds[k];
            List<Event> ofKind = events.stream().filter(e -> e.kind == kind).toList();
            for (int w = 0; w < days.length; w++) {
                int span = Math.min(days[w], featureDays);
                f[9 + 5 * k + w] = ofKind.stream().filter(e -> daysBefore(e, t) < span).count();
            }
            f[24 + k] = f[9 + 5 * k + 4] == 0 ? 0 : f[9 + 5 * k + 2] / f[9 + 5 * k + 4];
            f[27 + k] = ofKind.stream().mapToLong(e -> daysBefore(e, t)).min().orElse(featureDays);
        }
        Map<String, Integer> devices = new TreeMap<>();
        for (Event e : events) {
            if (e.device != null) {
                devices.merge(e.device, 1, Integer::sum);
            }
        }
        String device = null;
        int best = -1;
        for (Map.Entry<String, Integer> d : devices.entrySet()) { // ascending names: first of equals wins
            if (d.getValue() > best || (d.getValue() == best && d.getKey().equals("ip"))) {
                device = d.getKey();
                best = d.getValue();
            }
        }
        return new Features(f, device);
    }

    private static long daysBefore(Event e, LocalDate t) {
        return t.toEpochDay() - e.date.toEpochDay();
    }

    private void rate(String uid, List<Event> cleaned) {
        Map<String, List<Integer>> scores = new TreeMap<>();
        Map<String, Boolean> downloads = new HashMap<>();
        for (Event e : cleaned) {
            if (e.song == null || e.kind == 'S') {
                continue;
            }
            if (e.kind == 'P') {
                scores.computeIfAbsent(e.song, k -> new ArrayList<>()).add(bucket(e) + 1);
            } else {
                downloads.put(e.song, true);
                scores.computeIfAbsent(e.song, k -> new ArrayList<>());
            }
        }
        for (Map.Entry<String, List<Integer>> s : scores.entrySet()) {
            double play = s.getValue().stream().mapToInt(Integer::intValue).average().orElse(0);
            boolean dl = downloads.containsKey(s.getKey());
            ratings.put(uid + "|" + s.getKey(), new Rating(Math.max(play, dl ? 5 : 0), s.getValue().size(), dl));
        }
    }

    static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(String.format(Locale.ROOT, "%.6g ", x));
        }
        return b.toString();
    }
}
