package dev.segue.eval;

import dev.segue.format.AtomicFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One method's score on every playlist of an evaluation set, in the set's order: the values the report averages
 * (a failed playlist holds the empty list's scores and {@code answered = false}). Written as
 * {@code playlists/<method>.csv} beside {@code report.json}: {@code pid,category,answered,} then one column per
 * metric key of the report ({@code r_precision, r_precision_track, ndcg, ndcg_rules, clicks, rp_artist@10, …}).
 *
 * @param values {@code values[metric][playlist]}, metrics in the order of {@code keys}
 */
public record PlaylistScores(String method, long[] pids, int[] categories, boolean[] answered, List<String> keys,
                             double[][] values) {
    public static final String FOLDER = "playlists";
    private static final List<String> FIXED = List.of("pid", "category", "answered");

    public PlaylistScores {
        keys = List.copyOf(keys);
        if (values.length != keys.size()) {
            throw new IllegalArgumentException(values.length + " metric columns for " + keys.size() + " keys");
        }
    }

    public int size() {
        return pids.length;
    }

    /** The per-playlist values of one metric, or null when the file has no such column. */
    public double[] column(String key) {
        int at = keys.indexOf(key);
        return at < 0 ? null : values[at];
    }

    /** Where a method's scores live in a report folder. */
    public static Path file(Path reportDir, String method) {
        return reportDir.resolve(FOLDER).resolve(method + ".csv");
    }

    /** Writes the CSV atomically (a reader never sees half a file). */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (AtomicFile out = AtomicFile.create(file)) {
            Writer w = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
            w.write(String.join(",", FIXED) + "," + String.join(",", keys) + "\n");
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < pids.length; i++) {
                line.setLength(0);
                line.append(pids[i]).append(',').append(categories[i]).append(',').append(answered[i]);
                for (double[] column : values) {
                    line.append(',').append(column[i]); // Double.toString: reads back to the same double
                }
                w.write(line.append('\n').toString());
            }
            w.flush();
            out.commit();
        }
    }

    /** Reads a file written by {@link #write}; a malformed one is refused with its path and line. */
    public static PlaylistScores read(Path file, String method) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no per-playlist scores there (reports written before per-playlist "
                    + "files existed have none: evaluate again)");
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new BadInputException(file + ": empty, expected a header " + String.join(",", FIXED) + ",…");
            }
            List<String> names = Arrays.asList(header.split(",", -1));
            if (names.size() <= FIXED.size() || !names.subList(0, FIXED.size()).equals(FIXED)) {
                throw new BadInputException(file + ":1: expected the header to start with " + String.join(",", FIXED)
                        + " and name at least one metric, got " + header);
            }
            List<String> keys = names.subList(FIXED.size(), names.size());
            int m = keys.size();
            long[] pids = new long[1024];
            int[] categories = new int[1024];
            boolean[] answered = new boolean[1024];
            double[][] values = new double[m][1024];
            Map<Long, Integer> seen = new HashMap<>();
            int n = 0;
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != names.size()) {
                    throw new BadInputException(file + ":" + lineNo + ": " + f.length + " fields, the header has "
                            + names.size());
                }
                if (n == pids.length) {
                    pids = Arrays.copyOf(pids, n * 2);
                    categories = Arrays.copyOf(categories, n * 2);
                    answered = Arrays.copyOf(answered, n * 2);
                    for (int k = 0; k < m; k++) {
                        values[k] = Arrays.copyOf(values[k], n * 2);
                    }
                }
                try {
                    pids[n] = Long.parseLong(f[0]);
                    categories[n] = Integer.parseInt(f[1]);
                    for (int k = 0; k < m; k++) {
                        values[k][n] = Double.parseDouble(f[FIXED.size() + k]);
                    }
                } catch (NumberFormatException e) {
                    throw new BadInputException(file + ":" + lineNo + ": not a number (" + e.getMessage() + ")");
                }
                if (!f[2].equals("true") && !f[2].equals("false")) {
                    throw new BadInputException(file + ":" + lineNo + ": answered must be true or false, got " + f[2]);
                }
                answered[n] = f[2].equals("true");
                Integer before = seen.put(pids[n], lineNo);
                if (before != null) {
                    throw new BadInputException(file + ":" + lineNo + ": pid " + pids[n] + " again (first on line "
                            + before + ")");
                }
                n++;
            }
            double[][] cols = new double[m][];
            for (int k = 0; k < m; k++) {
                cols[k] = Arrays.copyOf(values[k], n);
            }
            return new PlaylistScores(method, Arrays.copyOf(pids, n), Arrays.copyOf(categories, n),
                    Arrays.copyOf(answered, n), new ArrayList<>(keys), cols);
        }
    }
}
