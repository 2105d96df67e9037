package dev.segue.generator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed vocabulary of the world: fine genres grouped into broad genres, and occasions. Loaded from the
 * {@code genres.tsv} and {@code occasions.tsv} resources beside this class. Occasion {@link #none()} (id =
 * number of occasions) is the plain playlist with no purpose.
 */
public final class Taxonomy {
    private static final Taxonomy DEFAULT = load();

    private final List<Genre> genres;
    private final List<String> broadGenres;
    private final List<Occasion> occasions;
    private final Occasion none;

    private Taxonomy(List<Genre> genres, List<String> broadGenres, List<Occasion> occasions) {
        this.genres = List.copyOf(genres);
        this.broadGenres = List.copyOf(broadGenres);
        this.occasions = List.copyOf(occasions);
        this.none = new Occasion(occasions.size(), "none", 0, new double[AudioFeature.values().length], false,
                Phrases.parse(""), new String[0]);
    }

    public static Taxonomy standard() {
        return DEFAULT;
    }

    public List<Genre> genres() {
        return genres;
    }

    public Genre genre(int id) {
        return genres.get(id);
    }

    public List<String> broadGenres() {
        return broadGenres;
    }

    public List<Occasion> occasions() {
        return occasions;
    }

    /** Occasion by id, where id == occasions().size() is {@link #none()}. */
    public Occasion occasion(int id) {
        return id == occasions.size() ? none : occasions.get(id);
    }

    public Occasion none() {
        return none;
    }

    /** Number of occasion ids including none. */
    public int occasionCount() {
        return occasions.size() + 1;
    }

    private static Taxonomy load() {
        List<Genre> genres = new ArrayList<>();
        Map<String, Integer> broad = new LinkedHashMap<>();
        for (String[] f : rows("genres.tsv", 15)) {
            int broadId = broad.computeIfAbsent(f[1], k -> broad.size());
            double[] profile = new double[AudioFeature.values().length];
            String[] columns = {"year", "bpm", "nrgy", "dnce", "dB", "live", "val", "acous", "spch", "dur"};
            for (int i = 0; i < columns.length; i++) {
                profile[AudioFeature.byColumn(columns[i]).ordinal()] = Double.parseDouble(f[3 + i]);
            }
            genres.add(new Genre(genres.size(), f[0], broadId, f[1], Double.parseDouble(f[2]), profile,
                    Double.parseDouble(f[13]), Phrases.parse(f[14])));
        }
        List<Occasion> occasions = new ArrayList<>();
        for (String[] f : rows("occasions.tsv", 5)) {
            double[] coef = new double[AudioFeature.values().length];
            boolean christmas = false;
            for (String c : f[2].split(",")) {
                String[] kv = c.split("=");
                if (kv[0].equals("xmas")) {
                    christmas = true;
                } else {
                    coef[AudioFeature.byColumn(kv[0]).ordinal()] = Double.parseDouble(kv[1]);
                }
            }
            occasions.add(new Occasion(occasions.size(), f[0], Double.parseDouble(f[1]), coef, christmas,
                    Phrases.parse(f[3]), f[4].trim().split(" ")));
        }
        return new Taxonomy(genres, new ArrayList<>(broad.keySet()), occasions);
    }

    private static List<String[]> rows(String resource, int columns) {
        List<String[]> out = new ArrayList<>();
        try (InputStream in = Taxonomy.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != columns) {
                    throw new IllegalStateException(resource + ": expected " + columns + " columns: " + line);
                }
                out.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
