package dev.segue.churn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Small, dirty music-box logs in study 003's layouts for tests: ~1,200 users over 44 days from 2017-03-30
 * (so the default snapshot is 2017-04-28), churners who stop early, a bot, the study's dirty values
 * (nan, negative and zero values, long outliers, missing song_length), play times beyond any physical bound,
 * special users and bad lines.
 */
final class TinyLogs {
    static final LocalDate FIRST = LocalDate.of(2017, 3, 30);
    static final LocalDate SNAPSHOT = LocalDate.of(2017, 4, 28);
    static final int DAYS = 44;

    /** Bad lines written, by expected reason. */
    static final int MALFORMED = 3;
    static final int BAD_NUMBER = 3;
    static final int BAD_DATE = 1;
    static final int MISSING = 1;
    static final int OUTSIDE = 2;
    /**
     * The one stray far-future line (weeks after the last real date, 2017-05-12): with explicit snapshots an
     * OUTSIDE_WINDOWS dead letter, with the default plan the only AFTER_LAST_WINDOW one (the other outside
     * line, dated 2016-01-01, stays OUTSIDE_WINDOWS).
     */
    static final String STRAY_LATE = "200000005,ar,1,q,2017-07-01";

    private TinyLogs() {}

    static void write(Path dir, int users, long seed) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(seed);
        List<String> play = new ArrayList<>();
        List<String> down = new ArrayList<>();
        List<String> search = new ArrayList<>();
        play.add("uid,device,song_id,song_type,song_name,singer,play_time,song_length,paid_flag,date");
        down.add("uid,device,song_id,song_name,singer,paid_flag,date");
        search.add("uid,device,time_stamp,search_query,date");
        int[] songLength = new int[300];
        for (int s = 0; s < songLength.length; s++) {
            songLength[s] = 90 + rnd.nextInt(300);
        }
        for (int u = 0; u < users; u++) {
            String uid = String.format(Locale.ROOT, "%d", 168500000 + u * 7);
            boolean churner = rnd.nextDouble() < 0.5;
            int lastDay = churner ? 5 + rnd.nextInt(25) : DAYS - 1;
            int firstDay = rnd.nextInt(20);
            int n = 3 + rnd.nextInt(30);
            String dev = rnd.nextDouble() < 0.7 ? "ar" : "ip";
            for (int e = 0; e < n; e++) {
                int day = firstDay + rnd.nextInt(Math.max(1, lastDay - firstDay + 1));
                String date = FIRST.plusDays(day).toString();
                String d = rnd.nextDouble() < 0.1 ? (dev.equals("ar") ? "ip" : "ar") : dev;
                double r = rnd.nextDouble();
                if (r < 0.78) {
                    play.add(playLine(rnd, uid, d, songLength, date));
                } else if (r < 0.88) {
                    int s = rnd.nextInt(songLength.length);
                    down.add(uid + "," + d + "," + (1000 + s) + ",song " + s + ",singer,0," + date);
                } else {
                    search.add(uid + "," + d + "," + (1490000000L + rnd.nextInt(1000000)) + ",query " + e + "," + date);
                }
            }
        }
        // a bot with far more records than anyone else (with ~1,100 active users only the largest count is
        // above the 99.9th percentile)
        for (int b = 0; b < 1; b++) {
            String uid = "9999999" + b;
            for (int e = 0; e < 600; e++) {
                play.add(playLine(rnd, uid, "ar", songLength, FIRST.plusDays(e % 30).toString()));
            }
        }
        // special users
        search.add("200000001,ip,1490000000,only searches,2017-04-20");
        search.add("200000001,ip,1490000001,only searches again,2017-04-27");
        play.add("200000002,ar,1005,0,one day,singer,150,200,0,2017-04-28");
        down.add("200000002,ar,1006,two,singer,0,2017-04-28");
        play.add("200000003,ar,1007,0,late,singer,100,200,0,2017-05-03");
        play.add("200000004,,1008,0,\"no, device\",singer,100,200,0,2017-04-10");
        play.add("200000004,ar,1008,0,tie,singer,100,200,0,2017-04-11");
        play.add("200000004,ip,1008,0,tie,singer,190,200,0,2017-04-12");
        // bad lines
        play.add("200000005,ar,1009,0,short line");
        play.add("200000005,ar,1009,0,\"unterminated,singer,100,200,0,2017-04-10");
        play.add("");
        play.add("200000005,ar,1009,0,x,singer,abc,200,0,2017-04-10");
        play.add("200000005,ar,1009,0,x,singer,100,2e,0,2017-04-10");
        play.add("200000005,ar,1009,0,x,singer,100,200,0,2017-13-45");
        play.add(",ar,1009,0,x,singer,100,200,0,2017-04-10");
        play.add("200000005,ar,1009,0,x,singer,100,200,0,2016-01-01");
        search.add(STRAY_LATE);
        search.add("not-a-number,ar,1,q,2017-04-10");
        Files.write(dir.resolve("play.csv"), play);
        Files.write(dir.resolve("download.csv"), down);
        Files.write(dir.resolve("search.csv"), search);
    }

    private static String playLine(Random rnd, String uid, String dev, int[] songLength, String date) {
        int s = rnd.nextInt(songLength.length);
        double sl = songLength[s];
        String songId = Integer.toString(1000 + s);
        String slText = Integer.toString((int) sl);
        double r = rnd.nextDouble();
        if (r < 0.01) {
            return uid + "," + dev + ",,,,," + "," + "," + "0," + date; // missing song, play_time and length
        } else if (r < 0.02) {
            slText = "0";
        } else if (r < 0.025) {
            slText = "-1";
        } else if (r < 0.0255) {
            slText = Integer.toString(3000 + rnd.nextInt(1000)); // long, plausible: the 99.9th percentile's business
        }
        double pt = Math.floor(rnd.nextDouble() * 1.2 * sl);
        String ptText = rnd.nextDouble() < 0.1 ? String.format(Locale.ROOT, "%.3f", pt + rnd.nextDouble())
                : Long.toString((long) pt);
        double q = rnd.nextDouble();
        if (q < 0.01) {
            ptText = "nan";
        } else if (q < 0.015) {
            ptText = "-0.011976957";
        } else if (q < 0.0155) {
            ptText = Integer.toString(79276184 + rnd.nextInt(1000)); // over two years: IMPLAUSIBLE
        }
        return uid + "," + dev + "," + songId + ",0,\"song, " + s + "\",singer," + ptText + "," + slText + ",0," + date;
    }
}
