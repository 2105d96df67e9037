package dev.segue.genre;

import dev.segue.churn.CsvFields;
import dev.segue.format.FeatureSetContracts.TrackGenreFeatures;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Column positions of study 004's audio-feature file ({@code Id, title, artist, year, bpm, nrgy, dnce, dB, live,
 * val, dur, acous, spch, pop, top genre}), found by (case-insensitive) name in the header.
 */
public record AudioLayout(int fields, int id, int title, int artist, int[] numeric, int topGenre) implements Serializable {
    /** The numeric audio features, in output order. */
    public static final List<String> NUMERIC = TrackGenreFeatures.NUMERIC;

    public static AudioLayout fromHeader(String file, String header) {
        CsvFields f = new CsvFields(64);
        String h = !header.isEmpty() && header.charAt(0) == '\uFEFF' ? header.substring(1) : header;
        int n = f.split(h);
        if (n < 0) {
            throw new IllegalArgumentException(file + ":1: unreadable header: " + f.error());
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Math.min(n, 64); i++) {
            names.add(f.text(i).toLowerCase(Locale.ROOT));
        }
        int[] numeric = new int[NUMERIC.size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = need(file, names, NUMERIC.get(i).toLowerCase(Locale.ROOT));
        }
        return new AudioLayout(n, need(file, names, "id"), need(file, names, "title"), need(file, names, "artist"),
                numeric, need(file, names, "top genre"));
    }

    private static int need(String file, List<String> names, String column) {
        int i = names.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException(file + ":1: audio header lacks column '" + column + "' (has " + names
                    + "; study 004 layout: Id,title,artist,year,bpm,nrgy,dnce,dB,live,val,dur,acous,spch,pop,top genre)");
        }
        return i;
    }

    /** The catalog track URI of an audio-file Id (the 22-character id of {@code spotify:track:ID}). */
    public static String trackUri(String id) {
        return id.startsWith("spotify:track:") ? id : "spotify:track:" + id;
    }
}
