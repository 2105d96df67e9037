package dev.segue.pipelines.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** What the tests of this module pass to run a pipeline on Spark in the test JVM. */
public final class SparkTesting {
    private SparkTesting() {}

    /**
     * Beam arguments for the SparkRunner on {@code local[2]} (two worker threads in this JVM). The web UI is off and
     * the driver binds to loopback through system properties of the test JVM (this module's pom).
     */
    public static List<String> local() {
        return List.of("--runner=SparkRunner", "--sparkMaster=local[2]");
    }

    /** A header, {@code tracks} clean rows over four genres and three bad rows (dead letters). */
    public static List<String> audioLines(int tracks) {
        Random rnd = new Random(9);
        List<String> lines = new ArrayList<>();
        lines.add("Id,title,artist,year,bpm,nrgy,dnce,dB,live,val,dur,acous,spch,pop,top genre");
        String[] genres = {"dance pop", "album rock", "adult standards", "pop rap"};
        for (int i = 0; i < tracks; i++) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%022d", i)).append(",Song ").append(i)
                    .append(",Artist ").append(i % 7).append(',').append(1950 + rnd.nextInt(70));
            for (int c = 1; c < 11; c++) {
                b.append(',').append(c == 4 ? -rnd.nextInt(20) : 1 + rnd.nextInt(99));
            }
            lines.add(b.append(',').append(genres[i % genres.length]).toString());
        }
        lines.add("x1,t,a,2000,fast,1,1,1,1,1,1,1,1,42,pop");       // bad number
        lines.add("x2,t,a,2000,1,250,1,1,1,1,1,1,1,42,pop");        // energy 250 %
        lines.add("x3,t,a,2000,1,1");                               // malformed
        return lines;
    }
}
