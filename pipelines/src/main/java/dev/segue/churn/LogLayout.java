package dev.segue.churn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the needed columns sit in one log file, read from its header line. Columns are found by name, so
 * extra columns and any order are accepted; a missing required column is an error naming the file.
 */
public record LogLayout(LogKind kind, int fields, int uid, int device, int songId, int playTime, int songLength,
                        int date) implements Serializable {

    public static LogLayout fromHeader(String file, String headerLine) {
        CsvFields f = new CsvFields(64);
        int n = f.split(stripBom(headerLine));
        if (n < 0) {
            throw new IllegalArgumentException(file + ":1: unreadable header: " + f.error());
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Math.min(n, 64); i++) {
            names.add(f.text(i).toLowerCase(Locale.ROOT));
        }
        LogKind kind = LogKind.detect(names);
        if (kind == null) {
            throw new IllegalArgumentException(file + ":1: header " + names
                    + " is none of the play, download or search layouts (study 003)");
        }
        for (String r : kind.required()) {
            if (!names.contains(r)) {
                throw new IllegalArgumentException(file + ":1: " + kind.name().toLowerCase(Locale.ROOT)
                        + " log header lacks column '" + r + "' (has " + names + ")");
            }
        }
        return new LogLayout(kind, n, names.indexOf("uid"), names.indexOf("device"), names.indexOf("song_id"),
                names.indexOf("play_time"), names.indexOf("song_length"), names.indexOf("date"));
    }

    private static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }
}
