package dev.segue.format;

/**
 * The ten categories of the RecSys Challenge 2018 challenge set, in the challenge's order. A category is
 * recognised from a challenge playlist alone: title present or not, number of seeds, and whether the seeds
 * are the first tracks (positions 0..n-1) or a random sample.
 */
public enum ChallengeCategory {
    TITLE_ONLY(1, "title only", true, 0, false),
    TITLE_FIRST_1(2, "title + first 1", true, 1, false),
    TITLE_FIRST_5(3, "title + first 5", true, 5, false),
    FIRST_5_NO_TITLE(4, "first 5, no title", false, 5, false),
    TITLE_FIRST_10(5, "title + first 10", true, 10, false),
    FIRST_10_NO_TITLE(6, "first 10, no title", false, 10, false),
    TITLE_FIRST_25(7, "title + first 25", true, 25, false),
    TITLE_RANDOM_25(8, "title + 25 random", true, 25, true),
    TITLE_FIRST_100(9, "title + first 100", true, 100, false),
    TITLE_RANDOM_100(10, "title + 100 random", true, 100, true);

    private final int id;
    private final String label;
    private final boolean hasTitle;
    private final int seeds;
    private final boolean random;

    ChallengeCategory(int id, String label, boolean hasTitle, int seeds, boolean random) {
        this.id = id;
        this.label = label;
        this.hasTitle = hasTitle;
        this.seeds = seeds;
        this.random = random;
    }

    public int id() {
        return id;
    }

    public String label() {
        return label;
    }

    public boolean hasTitle() {
        return hasTitle;
    }

    public int seeds() {
        return seeds;
    }

    public boolean random() {
        return random;
    }

    /**
     * The shortest playlist (tracks, duplicates included) the challenge set draws for this category: the bands the
     * RecSys Challenge 2018 set shows — title only 10-50 tracks; title + first 1, 10-78; title + first 5, 10-100;
     * the 5- and 10-seed categories 40-100; the 25-seed categories 101-250; the 100-seed categories 150-250.
     */
    public int minLength() {
        return switch (this) {
            case TITLE_ONLY, TITLE_FIRST_1, TITLE_FIRST_5 -> 10;
            case FIRST_5_NO_TITLE, TITLE_FIRST_10, FIRST_10_NO_TITLE -> 40;
            case TITLE_FIRST_25, TITLE_RANDOM_25 -> 101;
            case TITLE_FIRST_100, TITLE_RANDOM_100 -> 150;
        };
    }

    /** The longest playlist the challenge set draws for this category (see {@link #minLength()}). */
    public int maxLength() {
        return switch (this) {
            case TITLE_ONLY -> 50;
            case TITLE_FIRST_1 -> 78;
            case TITLE_FIRST_5, FIRST_5_NO_TITLE, TITLE_FIRST_10, FIRST_10_NO_TITLE -> 100;
            default -> 250;
        };
    }

    /** True when a playlist of {@code tracks} tracks lies in this category's challenge length band. */
    public boolean inLengthBand(int tracks) {
        return tracks >= minLength() && tracks <= maxLength();
    }

    public static ChallengeCategory byId(int id) {
        for (ChallengeCategory c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("no challenge category " + id + " (1-10)");
    }

    /** The category this playlist belongs to, or the nearest one for a non-standard seed count. */
    public static ChallengeCategory of(ChallengePlaylist p) {
        return nearest(p.name() != null, p.numSamples(), !p.seedsInOrder());
    }

    /**
     * The category of a request with or without a title and {@code n} seeds that are the playlist's first tracks or
     * a random sample ({@code shuffled}): exact for the ten challenge shapes, the nearest one for other seed counts
     * (no seeds: title only; no title: first 5 up to 5 seeds, else first 10; with a title: 1, up to 5, up to 10, up
     * to 25, more).
     */
    public static ChallengeCategory nearest(boolean title, int n, boolean shuffled) {
        boolean firstN = !shuffled;
        if (n == 0) {
            return TITLE_ONLY;
        }
        if (!title) {
            return n <= 5 ? FIRST_5_NO_TITLE : FIRST_10_NO_TITLE;
        }
        if (n == 1) {
            return TITLE_FIRST_1;
        }
        if (n <= 5) {
            return TITLE_FIRST_5;
        }
        if (n <= 10) {
            return TITLE_FIRST_10;
        }
        if (n <= 25) {
            return firstN ? TITLE_FIRST_25 : TITLE_RANDOM_25;
        }
        return firstN ? TITLE_FIRST_100 : TITLE_RANDOM_100;
    }
}
