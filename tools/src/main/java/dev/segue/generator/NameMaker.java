package dev.segue.generator;

import java.util.SplittableRandom;

/** Artist, album and track names in styles that follow the broad genre. Deterministic given the stream. */
final class NameMaker {
    private static final String[] FIRST = Words.list("first");
    private static final String[] LAST = Words.list("last");
    private static final String[] LATIN_FIRST = Words.list("latin_first");
    private static final String[] LATIN_LAST = Words.list("latin_last");
    private static final String[] ADJ = Words.list("adjective");
    private static final String[] NOUN = Words.list("noun");
    private static final String[] WORD = Words.list("word");
    private static final String[] VERB = Words.list("verb");
    private static final String[] PRONOUN = Words.list("pronoun");
    private static final String[] TAIL = Words.list("tail");
    private static final String[] SPANISH = Words.list("spanish");
    private static final String[] CHRISTMAS = Words.phrases("christmas");
    private static final String[] CHRISTMAS_ALBUM = Words.phrases("christmas_album");

    private NameMaker() {}

    static String artist(SplittableRandom r, String broad) {
        int style = r.nextInt(10);
        switch (broad) {
            case "hip hop":
                if (style < 3) {
                    return Draw.pick(r, new String[] {"Lil ", "Young ", "MC ", "Big ", "Lil "}) + Draw.pick(r, WORD);
                }
                if (style < 6) {
                    return Draw.pick(r, WORD) + (r.nextBoolean() ? "" : " " + Draw.pick(r, new String[] {"Gang", "Boyz", "$", "Mafia"}));
                }
                break;
            case "dance":
                if (style < 4) {
                    return (r.nextBoolean() ? "DJ " : "") + Draw.pick(r, WORD) + Draw.pick(r, new String[] {"", "x", "tek", "wave", "beat"});
                }
                if (style < 6) {
                    return Draw.pick(r, WORD) + " & " + Draw.pick(r, FIRST);
                }
                break;
            case "rock":
            case "indie folk":
                if (style < 6) {
                    return "The " + Draw.pick(r, ADJ) + " " + Draw.pick(r, NOUN);
                }
                if (style < 7) {
                    return Draw.pick(r, ADJ) + " " + Draw.pick(r, NOUN);
                }
                break;
            case "latin":
                if (style < 8) {
                    return Draw.pick(r, LATIN_FIRST) + " " + Draw.pick(r, LATIN_LAST);
                }
                break;
            case "worship":
                if (style < 4) {
                    return Draw.pick(r, new String[] {"", "New ", "Hill", "River "}) + Draw.pick(r, NOUN) + " Worship";
                }
                break;
            default:
                break;
        }
        if (style < 9) {
            return Draw.pick(r, FIRST) + " " + Draw.pick(r, LAST);
        }
        return Draw.pick(r, FIRST) + " & The " + Draw.pick(r, NOUN);
    }

    static String album(SplittableRandom r, boolean christmas, String artistName) {
        if (christmas) {
            return Draw.pick(r, CHRISTMAS_ALBUM);
        }
        int style = r.nextInt(10);
        if (style < 4) {
            return Draw.pick(r, ADJ) + " " + Draw.pick(r, WORD);
        }
        if (style < 6) {
            return Draw.pick(r, WORD);
        }
        if (style < 7) {
            return artistName;
        }
        if (style < 8) {
            return Draw.pick(r, WORD) + " " + Draw.pick(r, new String[] {"(Deluxe)", "(Deluxe Edition)", "(Remastered)", "EP", "Vol. 2"});
        }
        return Draw.pick(r, NOUN) + " of " + Draw.pick(r, WORD);
    }

    static String track(SplittableRandom r, boolean christmas, String broad) {
        if (christmas) {
            return Draw.pick(r, CHRISTMAS);
        }
        if ("latin".equals(broad) && r.nextInt(3) > 0) {
            return Draw.pick(r, SPANISH) + " " + Draw.pick(r, SPANISH);
        }
        int style = r.nextInt(12);
        String name;
        if (style < 4) {
            name = Draw.pick(r, WORD);
        } else if (style < 6) {
            name = Draw.pick(r, ADJ) + " " + Draw.pick(r, WORD);
        } else if (style < 8) {
            name = Draw.pick(r, VERB) + " " + Draw.pick(r, PRONOUN) + " " + Draw.pick(r, TAIL);
        } else if (style < 9) {
            name = Draw.pick(r, WORD) + " " + Draw.pick(r, TAIL);
        } else if (style < 10) {
            name = Draw.pick(r, WORD) + " (feat. " + Draw.pick(r, FIRST) + " " + Draw.pick(r, LAST) + ")";
        } else if (style < 11) {
            name = Draw.pick(r, WORD) + " - Remastered";
        } else {
            name = "The " + Draw.pick(r, WORD) + " Song";
        }
        return name;
    }
}
