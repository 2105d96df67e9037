package dev.segue.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The MPD title normalisation rule (the dataset's own {@code normalize_name}): lower-case, the punctuation
 * set {@code [.,/#!$%^*;:{}=_`~()@]} to spaces, whitespace collapsed and trimmed. Training and serving both
 * call this one implementation so a title maps to the same key everywhere.
 */
public final class TitleNormalizer {
    private static final Pattern PUNCTUATION = Pattern.compile("[.,/#!$%^*;:{}=_`~()@]");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private TitleNormalizer() {}

    /** Normalised title; {@code null} becomes the empty string. */
    public static String normalize(String title) {
        if (title == null) {
            return "";
        }
        String lower = title.toLowerCase(Locale.ROOT);
        String spaced = PUNCTUATION.matcher(lower).replaceAll(" ");
        return SPACES.matcher(spaced).replaceAll(" ").trim();
    }

    /** The whitespace-separated tokens of the normalised title (empty for a blank title). */
    public static List<String> tokens(String title) {
        String normalized = normalize(title);
        List<String> out = new ArrayList<>();
        if (normalized.isEmpty()) {
            return out;
        }
        for (String token : normalized.split(" ")) {
            out.add(token);
        }
        return out;
    }
}
