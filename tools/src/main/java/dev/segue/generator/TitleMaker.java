package dev.segue.generator;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Playlist titles from the theme, with the mess of real titles: the occasion's or a genre's phrases, the
 * favourite artist's name for artist playlists, generic titles ("music", "my playlist", "songs"), years,
 * people's names; then case, punctuation, emoji, stretched letters and suffixes. Normalised titles (the MPD
 * rule) therefore repeat heavily at the head and carry the theme; raw titles vary much more.
 */
public final class TitleMaker {
    private static final Phrases GENERIC = Phrases.parse(Words.get("generic"));
    private static final String[] PEOPLE = Words.list("person");
    private static final String[] FILLER_EMOJI = {"🔥", "🎶", "✨", "💯", "🎧", "😎", "👌"};
    private static final String[] SUFFIX = {" playlist", " mix", " songs", " music", " jams"};

    private final Catalog catalog;
    private final Taxonomy taxonomy;

    public TitleMaker(Catalog catalog) {
        this.catalog = catalog;
        this.taxonomy = catalog.taxonomy();
    }

    public String title(Theme theme, SplittableRandom r) {
        Occasion occasion = taxonomy.occasion(theme.occasion());
        boolean hasOccasion = theme.occasion() != taxonomy.none().id();
        String base;
        String emoji = null;
        double u = r.nextDouble();
        if (theme.artistFocused() && theme.favorites().length > 0 && u < 0.7) {
            base = catalog.artistName(theme.favorites()[0]);
            if (r.nextDouble() < 0.4) {
                base = base.toLowerCase(Locale.ROOT);
            }
            return r.nextDouble() < 0.15 ? base + " ❤️" : base;
        }
        if (hasOccasion && u < 0.62) {
            base = occasion.titles().pick(r);
            emoji = occasion.emoji().length > 0 ? Draw.pick(r, occasion.emoji()) : null;
        } else if (u < (hasOccasion ? 0.82 : 0.66)) {
            Genre g = taxonomy.genre(theme.genres()[pickGenre(theme, r)]);
            base = g.titles().pick(r);
        } else if (u < (hasOccasion ? 0.93 : 0.88)) {
            base = GENERIC.pick(r);
        } else {
            base = other(theme, r);
        }
        return mess(base, emoji, r);
    }

    /**
     * A title of a drifting playlist: three times in four a generic one ("music", a year, a person's
     * playlist) that says nothing of its tracks, else an ordinary {@link #title}.
     */
    public String weakTitle(Theme theme, SplittableRandom r) {
        double u = r.nextDouble();
        if (u < 0.5) {
            return mess(GENERIC.pick(r), null, r);
        }
        if (u < 0.75) {
            return mess(other(theme, r), null, r);
        }
        return title(theme, r);
    }

    /** A description for about 2% of playlists (MPD's share), else {@code null}. */
    public String description(Theme theme, SplittableRandom r) {
        if (r.nextDouble() >= 0.02) {
            return null;
        }
        Occasion occasion = taxonomy.occasion(theme.occasion());
        Genre g = taxonomy.genre(theme.primaryGenre());
        if (theme.occasion() != taxonomy.none().id() && r.nextBoolean()) {
            return "songs for " + occasion.titles().pick(r);
        }
        return "the best " + g.label() + (r.nextBoolean() ? " songs" : " tracks, updated often");
    }

    private static int pickGenre(Theme theme, SplittableRandom r) {
        return r.nextDouble() < 0.75 ? 0 : Draw.weighted(r, theme.genreWeights());
    }

    private String other(Theme theme, SplittableRandom r) {
        int k = r.nextInt(10);
        if (k < 4) {
            return Integer.toString(2010 + r.nextInt(8));
        }
        if (k < 6) {
            String season = Draw.pick(r, new String[] {"summer", "spring", "fall", "winter"});
            return season + " " + (2012 + r.nextInt(6));
        }
        if (k < 8) {
            return Draw.pick(r, PEOPLE).toLowerCase(Locale.ROOT) + Draw.pick(r, new String[] {"'s playlist", "", "'s songs", " mix"});
        }
        Genre g = taxonomy.genre(theme.primaryGenre());
        return g.titles().pick(r) + " " + (2012 + r.nextInt(6));
    }

    private static String mess(String base, String emoji, SplittableRandom r) {
        String s = base;
        double c = r.nextDouble();
        if (c < 0.28) {
            s = titleCase(s);
        } else if (c < 0.36) {
            s = s.toUpperCase(Locale.ROOT);
        }
        if (r.nextDouble() < 0.03 && s.length() > 2) {
            char last = s.charAt(s.length() - 1);
            if (Character.isLetter(last)) {
                s = s + String.valueOf(last).repeat(1 + r.nextInt(3));
            }
        }
        if (r.nextDouble() < 0.025) {
            s = s + Draw.pick(r, SUFFIX);
        }
        if (r.nextDouble() < 0.02) {
            s = "my " + s;
        }
        if (r.nextDouble() < 0.03) {
            s = s + " " + (r.nextBoolean() ? Integer.toString(2013 + r.nextInt(5)) : "'" + (13 + r.nextInt(5)));
        }
        double p = r.nextDouble();
        if (p < 0.05) {
            s = s + Draw.pick(r, new String[] {"!", "!!", "!!!", ".", "..."});
        } else if (p < 0.07) {
            String wrap = Draw.pick(r, new String[] {"~", "*", "."});
            s = wrap + s + wrap;
        } else if (p < 0.08) {
            s = s.replace(' ', '_');
        }
        if (r.nextDouble() < 0.08) {
            String e = emoji != null && r.nextDouble() < 0.7 ? emoji : Draw.pick(r, FILLER_EMOJI);
            s = r.nextDouble() < 0.8 ? s + " " + e : e + " " + s;
        }
        return s;
    }

    private static String titleCase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean up = true;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            b.append(up ? Character.toUpperCase(ch) : ch);
            up = ch == ' ';
        }
        return b.toString();
    }
}
