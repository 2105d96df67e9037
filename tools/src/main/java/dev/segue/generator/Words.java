package dev.segue.generator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Word lists for names and titles, read once from the {@code words.txt} resource (sections in brackets). */
final class Words {
    private static final Map<String, String> SECTIONS = load();

    private Words() {}

    /** A section split on whitespace. */
    static String[] list(String section) {
        return get(section).trim().split("\\s+");
    }

    /** A section split on semicolons (entries that contain spaces). */
    static String[] phrases(String section) {
        String[] parts = get(section).split(";");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim();
        }
        return parts;
    }

    static String get(String section) {
        String s = SECTIONS.get(section);
        if (s == null) {
            throw new IllegalStateException("words.txt has no section [" + section + "]");
        }
        return s;
    }

    private static Map<String, String> load() {
        Map<String, String> out = new HashMap<>();
        try (InputStream in = Words.class.getResourceAsStream("words.txt")) {
            if (in == null) {
                throw new IllegalStateException("missing resource words.txt");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String section = null;
            StringBuilder body = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("[") && line.endsWith("]")) {
                    if (section != null) {
                        out.put(section, body.toString());
                    }
                    section = line.substring(1, line.length() - 1);
                    body.setLength(0);
                } else {
                    body.append(line).append(' ');
                }
            }
            if (section != null) {
                out.put(section, body.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
