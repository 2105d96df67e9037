package dev.segue.genre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Manifest;
import dev.segue.store.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the genre pipeline on a small dirty audio file and checks it against plain two-pass statistics. */
class GenrePipelineTest {
    static final String[] GENRES = {"dance pop", "album rock", "adult standards", "pop rap", "tropical house", ""};

    @TempDir
    Path dir;

    @Test
    void standardisesKeepsMissingLabelsAndDeadLettersBadRows() throws Exception {
        Random rnd = new Random(3);
        List<String> lines = new ArrayList<>();
        lines.add("Id,title,artist,year,bpm,nrgy,dnce,dB,live,val,dur,acous,spch,pop,top genre");
        Map<String, double[]> good = new HashMap<>();
        Map<String, String> genre = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            String id = String.format(Locale.ROOT, "%022d", i);
            double[] v = new double[11];
            for (int c = 0; c < 11; c++) {
                v[c] = c == 0 ? 1950 + rnd.nextInt(70) : c == 4 ? -rnd.nextInt(20)
                        : rnd.nextInt(100) + (c == 1 ? 0.5 : c == 7 ? 1 : 0); // tempo and duration above 0
            }
            v[10] = 42; // constant 'pop' column: z and min-max are 0
            String g = GENRES[i % GENRES.length];
            v[2] = (i % GENRES.length) * 18 + rnd.nextInt(8); // energy and danceability carry the genre (0-100)
            v[3] = ((i % GENRES.length) * 37) % 100 + rnd.nextInt(8);
            StringBuilder b = new StringBuilder(id).append(",\"Song, ").append(i).append("\",Artist ").append(i % 7);
            for (double x : v) {
                b.append(',').append(x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x));
            }
            lines.add(b.append(',').append(g).toString());
            good.put(id, v);
            genre.put(id, g.isEmpty() ? null : g);
        }
        lines.add(String.format(Locale.ROOT, "%022d", 5) + ",dup,dup,2000,1,1,1,1,1,1,1,1,1,42,pop"); // duplicate Id
        lines.add("x1,t,a,2000,fast,1,1,1,1,1,1,1,1,42,pop");          // bad number
        lines.add("x2,t,a,2000,,1,1,1,1,1,1,1,1,42,pop");              // missing number
        lines.add(",t,a,2000,1,1,1,1,1,1,1,1,1,42,pop");               // missing Id
        lines.add("x3,t,a,2000,1,1");                                  // malformed
        // 1% of absurd values: dead letters before the statistics, so the parameters equal the reference's below
        lines.add("x4,t,a,2000,-120,1,1,1,1,1,1,1,1,42,pop");            // negative tempo
        lines.add("x5,t,a,2000,1,1,1,1,1,1,99999999999999999999,1,1,42,pop"); // a song of 10^20 s
        lines.add("x6,t,a,2000,1,250,1,1,1,1,1,1,1,42,pop");             // energy 250 %
        Path audio = dir.resolve("tracks.csv");
        Files.write(audio, lines);
        Path store = dir.resolve("store");
        GenreOptions o = PipelineOptionsFactory.fromArgs("--audio=" + audio, "--store=" + store,
                "--reportDir=" + dir.resolve("report"), "--splitBytes=4096", "--audioShards=3",
                "--targetParallelism=2", "--enforceImmutability=false", "--enforceEncodability=false").as(GenreOptions.class);
        GenrePipeline.Report r = GenrePipeline.run(o);
        assertEquals(300, r.rows());
        assertEquals(8, r.deadLetters());
        List<String> dead = Files.readAllLines(dir.resolve("report/dead-letters.csv"));
        assertEquals(9, dead.size());
        assertEquals(3L, r.counters().get("deadletter.implausible"), r.counters().toString());
        assertEquals(1L, r.counters().get("deadletter.duplicate_key"), r.counters().toString());
        for (String want : List.of("bpm -120 is not above the plausible minimum 0 BPM",
                "dur 1.00000e+20 is above the plausible maximum 86400 s (one day)",
                "nrgy 250 is above the plausible maximum 100 (a percentage)")) {
            assertEquals(1, dead.stream().filter(l -> l.contains(",IMPLAUSIBLE,") && l.contains(want)).count(),
                    want + " in\n" + String.join("\n", dead));
        }
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("report/report.json").toFile());
        assertEquals("ok", report.get("status").asText());
        assertEquals(8, report.get("dead_letters").asLong());
        assertEquals(300, report.get("rows").asLong());
        try (java.util.stream.Stream<Path> left = Files.list(dir.resolve("report"))) {
            assertEquals(List.of("dead-letters.csv", "report.json", "standardisation.json"),
                    left.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }

        // reference statistics: plain two-pass mean and population std
        double[] mean = new double[11];
        double[] std = new double[11];
        double[] min = new double[11];
        double[] max = new double[11];
        java.util.Arrays.fill(min, Double.MAX_VALUE);
        java.util.Arrays.fill(max, -Double.MAX_VALUE);
        for (double[] v : good.values()) {
            for (int c = 0; c < 11; c++) {
                mean[c] += v[c] / good.size();
                min[c] = Math.min(min[c], v[c]);
                max[c] = Math.max(max[c], v[c]);
            }
        }
        for (double[] v : good.values()) {
            for (int c = 0; c < 11; c++) {
                std[c] += (v[c] - mean[c]) * (v[c] - mean[c]) / good.size();
            }
        }
        for (int c = 0; c < 11; c++) {
            std[c] = Math.sqrt(std[c]);
        }
        try (FeatureSetReader reader = FeatureStore.open(store).read(GenreSchemas.NAME)) {
            Manifest m = reader.manifest();
            Table t = reader.readAll(List.of());
            String[] uri = t.strings(GenreSchemas.TRACK_URI);
            for (int c = 0; c < 11; c++) {
                String col = AudioLayout.NUMERIC.get(c);
                assertEquals(mean[c], Double.parseDouble(m.parameters().get("mean." + col)), 1e-9 * Math.max(1, Math.abs(mean[c])), col);
                assertEquals(std[c], Double.parseDouble(m.parameters().get("std." + col)), 1e-9 * Math.max(1, std[c]), col);
                double[] raw = t.doubles(col);
                double[] z = t.doubles(GenreSchemas.z(col));
                double[] mm = t.doubles(GenreSchemas.minMax(col));
                for (int row = 0; row < t.rows(); row++) {
                    String id = uri[row].substring("spotify:track:".length());
                    double x = good.get(id)[c];
                    assertEquals(x, raw[row]);
                    double wantZ = std[c] < 1e-12 ? 0 : (x - mean[c]) / std[c];
                    double wantMm = max[c] == min[c] ? 0 : (x - min[c]) / (max[c] - min[c]);
                    assertEquals(wantZ, z[row], 1e-9, col + " z of " + id);
                    assertEquals(wantMm, mm[row], 1e-12, col + " min-max of " + id);
                }
            }
            String[] top = t.strings(GenreSchemas.TOP_GENRE);
            String[] broad = t.strings(GenreSchemas.BROAD_GENRE);
            String[] title = t.strings(GenreSchemas.TITLE);
            int missing = 0;
            for (int row = 0; row < t.rows(); row++) {
                String id = uri[row].substring("spotify:track:".length());
                assertEquals(genre.get(id), top[row]);
                if (genre.get(id) == null) {
                    assertNull(broad[row]);
                    missing++;
                } else {
                    assertEquals(GenreCondensation.broad(genre.get(id)), broad[row]);
                }
                assertTrue(title[row].startsWith("Song, "), title[row]);
            }
            assertEquals(50, missing);
        }

        GenreTraining.Result trained = GenreTraining.run(new GenreTraining.Options(store, 0.3, 1, 20, 0, dir.resolve("train")));
        assertEquals(250, trained.labelled());
        assertEquals(50, trained.unlabelled());
        Map<String, Double> baseline = trained.models().get(0).metrics();
        Map<String, Double> forest = trained.models().get(1).metrics();
        assertEquals("random_forest", trained.models().get(1).model());
        assertTrue(forest.get("accuracy") > baseline.get("accuracy") + 0.4, forest + " vs " + baseline);
        assertTrue(forest.get("macro_f1") > 0.8, forest.toString());
        assertTrue(Files.readString(dir.resolve("train/genre-summary.md")).contains("majority_baseline"));
        assertTrue(Files.exists(dir.resolve("train/genre-metrics.json")));
    }
}
